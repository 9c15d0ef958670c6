"""The Qt bindings must not use up Python's references to None.

PySide6 6.12.0 dropped a reference to None it never took on each
``setData`` of a list, tree or item-model row and on each ``appendRow``.
Before Python 3.12, None is counted like any other object: when its count
reaches 0 the interpreter aborts ("deallocating None"). The window died at
start on a library of 5,000 runbooks, and a few hundred searches would
have done the same. pyproject.toml keeps that release out.
"""

from __future__ import annotations

import sys

import pytest

from tests.conftest import MakeLibrary
from tests.ui.test_search_window import ready, result_paths, search

pytestmark = pytest.mark.skipif(sys.version_info >= (3, 12),
                                reason="None is immortal from Python 3.12: its count cannot end")


def test_a_big_library_and_many_searches_leave_none_counted(
        qtbot, open_window, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    files = {f"team{t}/svc{s}.md": f"# Service {t}-{s} restart\n\n## Steps\n\nRestart svc{s}.\n"
             for t in range(30) for s in range(50)}
    before = sys.getrefcount(None)
    window = open_window(make_library(files))
    ready(qtbot, window)
    qtbot.waitUntil(lambda: window.library_panel.model.rowCount() == 30, timeout=20000)
    for round_ in range(60):
        name = f"svc{round_ % 50}"
        search(qtbot, window, f'"{name}"', lambda paths, name=name: len(paths) == 30
               and all(path.endswith(f"/{name}.md") for path in paths))
    assert result_paths(window)
    # 1,500 tree rows and 1,800 result rows, each losing one or more: thousands.
    assert sys.getrefcount(None) > before - 500
