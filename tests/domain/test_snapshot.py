from datetime import date

from riskdesk.domain.direction import Direction
from riskdesk.domain.scoring import Score, default_scheme
from riskdesk.domain.snapshot import (
    AmendedRisk,
    Footnote,
    Movements,
    RegisterSnapshot,
    RemovedRisk,
    ScoreLine,
    SnapshotCategory,
    SnapshotRisk,
)


def test_snapshot_survives_storage_unchanged():
    risk = SnapshotRisk(
        risk_id=7, ref="7.2", departments=("C&FS", "CR"), departments_text="C&FS CR",
        description="If <staff> & \"agency\" costs rise…", update="• one\n• two ŵ €",
        lines=(ScoreLine(Score(5, 5), Score(3, 5)), ScoreLine(Score(5, 4), Score(3, 3), "E&T", "Decreased from 20")),
        direction=Direction.LEVEL, direction_text="Expected to remain high/red",
    )
    snap = RegisterSnapshot(
        council="Somewhere CC", register_name="Corporate Risk Register", title="Update (Nov)", appendix_label="Appendix A",
        meeting_title="Committee", meeting_date=date(2023, 11, 17), update_heading="Update October 2023",
        period="2023Q3",
        categories=(SnapshotCategory(7, "People", False, "7. People", (risk,)),
                    SnapshotCategory(5, "Safeguarding", True, "5. Safeguarding – category retired")),
        department_key=(("CR", "Corporate Resources"),), footnotes=(Footnote("**", "Arrows", ("a", "b")),),
        removed=(RemovedRisk("B", "ALL", "Homes", 9, 4, 3, "Ended", date(2023, 9, 22)),),
        removed_since=date(2021, 11, 17), scheme=default_scheme(),
        movements=Movements(date(2023, 9, 22), amended=(AmendedRisk("1.1", "All", "old", "new", "why"),)),
    )
    again = RegisterSnapshot.from_json(snap.to_json())
    assert again == snap
    assert again.risks()[0].lines[1].note == "Decreased from 20"
    assert snap.to_json() == again.to_json()  # stable text, so stored snapshots compare byte for byte
