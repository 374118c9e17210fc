"""The Ombudsman page's self-assessment tab on a 2024/25 year: started by a click, it holds the final
Code's rows (one per section), not the draft's 72 requirements."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from riskdesk.domain.register import Actor
from riskdesk.services import Services
from riskdesk.ui.ombudsman.page import OmbudsmanPage


def test_a_2024_25_assessment_started_on_the_page_uses_the_final_template(qtbot, services: Services,
                                                                         team: Actor) -> None:
    page = OmbudsmanPage(services, team, today=date(2025, 6, 2))
    qtbot.addWidget(page)
    page.resize(1400, 900)
    page.show()
    qtbot.waitExposed(page)
    page.tabs.setCurrentIndex(1)
    page.sa_year.setFocus()
    QTest.keyClick(page.sa_year, Qt.Key.Key_Down)  # from 2025/26 to 2024/25
    assert page.sa_year.currentText() == "2024/25"
    qtbot.mouseClick(page.sa_start_button, Qt.MouseButton.LeftButton)
    refs = [page.sa_model.index(i, 0).data() for i in range(page.sa_model.rowCount())]
    print("rows on the 2024/25 self-assessment:", len(refs))
    assert refs == ["1", "2", "3", "4", "5", "6 Stage 1", "6 Stage 2", "7", "8", "9"]
    assert services.self_assessment.get(team, 2024).template == "LGSCO-2024"  # type: ignore[union-attr]
