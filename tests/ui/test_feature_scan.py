"""The cheaper PySide "uses PySide?" scan answers as PySide's own does and leaves features working."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path


def _run(tmp_path: Path, body: str) -> str:
    (tmp_path / "uses_qt.py").write_text("from PySide6.QtWidgets import QLabel\n\ndef make():\n    return QLabel()\n")
    (tmp_path / "plain.py").write_text("import json\n\nVALUE = json.dumps([1])\n")
    (tmp_path / "snake.py").write_text(textwrap.dedent("""\
        from __feature__ import snake_case  # noqa
        from PySide6.QtWidgets import QLabel

        def text_of(label):
            label.set_text("snake case still works")
            return label.text()
        """))
    script = textwrap.dedent("""\
        import sys
        sys.path.insert(0, sys.argv[1])
        from PySide6.QtWidgets import QApplication
        from riskdesk.ui.feature_scan import use_cheap_feature_scan
        replaced = use_cheap_feature_scan()
        app = QApplication([])
        feature = sys.modules["shibokensupport.feature"]
        """) + textwrap.dedent(body)
    out = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True,
                         timeout=120, env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_modules_are_classified_as_pyside_does(tmp_path):
    out = _run(tmp_path, """
        import uses_qt, plain
        d = feature.pyside_feature_dict
        print(replaced, d["uses_qt"], d["plain"])
        """)
    assert out == "True 0 -1"


def test_feature_imports_still_switch_their_module(tmp_path):
    out = _run(tmp_path, """
        import snake, uses_qt
        label = uses_qt.make()
        label.setText("camel case elsewhere")
        print(snake.text_of(label))
        """)
    assert out == "snake case still works"
