"""A cheaper answer to PySide6's "does this module use PySide?" question, asked on every import.

Once ``PySide6.QtCore`` is imported, shiboken replaces ``__import__`` so that the opt-in
``from __feature__ import snake_case, true_property`` can work. As a side effect, after every
later import it asks whether the new module uses PySide, and answers by reading the module's
whole source file (``inspect.getsource``) and searching it for "PySide6". riskdesk imports the
database layer after the window has painted (SQLAlchemy is some 150 modules): that reading
costs about 90 ms of the time until the register's rows appear.

``use_cheap_feature_scan()`` answers the same question from the module's globals instead (a
module that uses PySide has PySide classes or modules among them). The answer only chooses
between "no feature selected" and "not a PySide module"; riskdesk selects no feature anywhere,
and a module that does ``from __feature__ import …`` is still switched as before (the import
hook itself is untouched). If a PySide release no longer has the function, nothing is changed.
"""

from __future__ import annotations

import sys
import types
from typing import Any

_PYSIDE = ("PySide6", "shiboken6")


def _uses_pyside(module: types.ModuleType) -> bool:
    for value in vars(module).values():
        if isinstance(value, types.ModuleType):
            name: Any = value.__name__
        elif isinstance(value, type | types.FunctionType | types.BuiltinFunctionType):
            name = getattr(value, "__module__", None)
        else:
            continue  # never touch arbitrary objects: their attribute access may run code
        if isinstance(name, str) and name.startswith(_PYSIDE):
            return True
    return False


def use_cheap_feature_scan() -> bool:
    """Replace PySide's source-reading scan; True if it was there to replace."""
    import PySide6.QtCore  # noqa: F401  (installs shiboken's import hook and its feature module)

    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    feature._mod_uses_pyside = _uses_pyside
    return True
