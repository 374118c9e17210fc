"""``riskdesk casework-report`` imports what it uses: ReportLab only when it writes a PDF, and none of
the register's scoring and snapshot code (issue 13: the annual report's start-up cost)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CODE = """
import sys
sys.argv = ['riskdesk', '--database', sys.argv[1], '--as', 'tester', 'casework-report', 'complaints',
            '--year', '23/24', *sys.argv[2:]]
from riskdesk.__main__ import main
rc = main()
heavy = ('reportlab', 'docx', 'pandas', 'openpyxl', 'PySide6', 'riskdesk.domain.register',
         'riskdesk.domain.snapshot', 'riskdesk.ui', 'riskdesk.reports.appendix')
print('RC', rc)
print('LOADED', ' '.join(sorted({m.split('.')[0] if not m.startswith('riskdesk') else m for m in sys.modules
                                 if m.split('.')[0] in heavy or m in heavy})))
"""


def _loaded(db: Path, *extra: str) -> list[str]:
    from riskdesk.cli import run

    assert run(["--database", str(db), "upgrade"]) == 0  # an empty database at the newest schema
    out = subprocess.run([sys.executable, "-c", CODE, str(db), *extra], capture_output=True, text=True, timeout=300)
    assert "RC 0" in out.stdout, out.stdout + out.stderr
    return next(line for line in out.stdout.splitlines() if line.startswith("LOADED")).split()[1:]


def test_the_annual_report_as_text_imports_no_pdf_word_or_gui_library_and_no_register_code(tmp_path) -> None:
    loaded = _loaded(tmp_path / "empty.sqlite")
    print("heavy modules imported printing the report as text:", loaded)
    assert loaded == []


def test_the_pdf_imports_reportlab_and_nothing_else_heavy(tmp_path) -> None:
    loaded = _loaded(tmp_path / "empty.sqlite", "--pdf", str(tmp_path / "r.pdf"))
    print("heavy modules imported writing the PDF:", loaded)
    assert loaded == ["reportlab"]
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
