"""PySide6's watch on every import, made free for an app that never asks for it.

Once imported, PySide6 sees every later import (for its opt-in ``from
__feature__ import snake_case, true_property``) and, for each new module,
reads the module's whole source file to look for the word "PySide6"
(``shibokensupport.feature._mod_uses_pyside``). The answer only tells PySide6
which modules could switch those features on. This app never does, so every
answer behaves alike; but the window imports some 500 modules after PySide6
(the parsers and highlighters among them), and reading them cost 60-130 ms of
a start, 10-15 ms of it before the first paint (5,000-runbook library, this
project's benchmark machine). The question is answered without reading.
"""

from __future__ import annotations

import sys

import PySide6.QtCore  # noqa: F401  (installs the hook this module quiets)


def _uses_features(_module: object) -> bool:
    return False  # nothing here writes ``from __feature__ import ...``


def skip_feature_scan() -> bool:
    """Stop PySide6 reading each imported module's source; False where this PySide6
    has no such scan (a later release may drop it), and nothing changes."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    feature._mod_uses_pyside = _uses_features
    return True
