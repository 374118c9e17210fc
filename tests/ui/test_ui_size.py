"""No room in the window's house is too big: modules up to 600 lines, classes up to 400."""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "riskdesk" / "ui"
MAX_MODULE, MAX_CLASS = 600, 400


def test_no_ui_module_over_600_lines_and_no_class_over_400():
    too_big = []
    for path in sorted(UI.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        if lines > MAX_MODULE:
            too_big.append(f"{path.relative_to(UI)}: {lines} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef) and node.end_lineno - node.lineno + 1 > MAX_CLASS:
                too_big.append(f"{path.relative_to(UI)}: class {node.name} {node.end_lineno - node.lineno + 1} lines")
    print("\n".join(too_big))
    assert too_big == []
