"""Movements are computed from two snapshots by risk id, never typed."""

import json
from dataclasses import replace
from datetime import date

from riskdesk.domain.direction import Direction
from riskdesk.domain.movements import (
    NO_LONGER_ON_REGISTER,
    compute_movements,
    department_label,
    public_movements,
)
from riskdesk.domain.scoring import Score, default_scheme
from riskdesk.domain.snapshot import (
    AmendedRisk,
    RegisterSnapshot,
    RemovedRisk,
    ScoreLine,
    SnapshotCategory,
    SnapshotRisk,
)


def _risk(rid, ref, desc="If x then y.", score=(4, 4), exempt=False, area=""):
    return SnapshotRisk(rid, ref, ("CR",), "CR", desc, (ScoreLine(Score(*score), Score(2, 2)),), "Update.",
                        Direction.LEVEL, "Expected to remain high/red", service_area=area, exempt=exempt)


def _snap(risks, meeting=date(2023, 11, 17), removed=()):
    return RegisterSnapshot(
        council="C", register_name="CRR", title="T", appendix_label="Appendix A", meeting_title="Committee",
        meeting_date=meeting, update_heading="Update", period="2023Q3",
        categories=(SnapshotCategory(1, "One", False, "1. One", tuple(risks)),), department_key=(), footnotes=(),
        removed=tuple(removed), removed_since=date(2021, 11, 1), scheme=default_scheme(),
    )


def test_no_previous_snapshot_means_no_movements():
    assert compute_movements(None, _snap([_risk(1, "1.1")])) is None


def test_added_removed_amended_and_score_changes_by_id_not_ref():
    before = _snap([_risk(1, "1.1", "Old words."), _risk(2, "1.2"), _risk(3, "1.3"), _risk(5, "1.5")],
                   meeting=date(2023, 9, 22))
    gone = RemovedRisk("1.2", "CR", "If x then y.", 16, 4, 4, "Mitigated.", date(2023, 10, 5), risk_id=2)
    # Ref 1.3 is reused by a new risk (id 4) after the old 1.3 (id 3) left without a recorded removal.
    now = _snap([_risk(1, "1.1", "New words.", area="Children's Social Care"), _risk(4, "1.3"),
                 _risk(5, "1.5", score=(3, 3))], removed=[gone])
    moves = compute_movements(before, now, rationales={1: "Broader."},
                              departures={})
    assert moves.since == date(2023, 9, 22)
    assert [r.risk_id for r in moves.added] == [4]
    assert [(r.ref, r.reason) for r in moves.removed] == [("1.2", "Mitigated."), ("1.3", NO_LONGER_ON_REGISTER)]
    assert moves.removed[1].removed_on == date(2023, 11, 17)
    assert moves.amended == (AmendedRisk("1.1", "CR (Children's Social Care)", "Old words.", "New words.",
                                         "Broader.", risk_id=1),)
    assert [(c.ref, c.previous, c.current) for c in moves.score_changes] == [("1.5", 16, 9)]


def test_departures_give_the_reason_for_a_de_escalated_risk():
    before = _snap([_risk(1, "1.1")], meeting=date(2023, 9, 22))
    moves = compute_movements(before, _snap([]), departures={1: ("De-escalated to E&T.", date(2023, 10, 1))})
    assert [(r.reason, r.removed_on) for r in moves.removed] == [("De-escalated to E&T.", date(2023, 10, 1))]


def test_public_movements_drop_exempt_risks():
    before = _snap([_risk(1, "1.1", "Old", exempt=True), _risk(2, "1.2")], meeting=date(2023, 9, 22))
    now = _snap([_risk(1, "1.1", "New", exempt=True, score=(1, 1)), _risk(3, "1.3", exempt=True)])
    moves = compute_movements(before, now)
    assert len(moves.added) == len(moves.amended) == len(moves.score_changes) == len(moves.removed) == 1
    public = public_movements(moves)
    assert (public.added, public.amended, public.score_changes) == ((), (), ())
    assert [r.ref for r in public.removed] == ["1.2"]


def test_department_label():
    assert department_label(_risk(1, "1.5", area="Special Educational Needs")) == "CR (Special Educational Needs)"
    assert department_label(_risk(1, "1.1")) == "CR"


def test_snapshots_stored_before_the_exempt_flags_still_load():
    from riskdesk.domain.snapshot import Movements

    snap = replace(_snap([_risk(1, "1.1")]), removed=(RemovedRisk("B", "ALL", "d", 9, 4, 3, "r", date(2023, 9, 22)),),
                   movements=Movements(date(2023, 9, 22), amended=(AmendedRisk("1.1", "All", "a", "b", "c"),)))
    data = json.loads(snap.to_json())
    for row in (data["removed"][0], data["movements"]["amended"][0]):
        del row["exempt"], row["risk_id"]
    again = RegisterSnapshot.from_json(json.dumps(data))
    assert again == snap
    assert again.removed[0].exempt is False and again.movements.amended[0].exempt is False
