"""Start-up: the first page paints from the kept copy, and the page as it is now follows."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import QTabBar

from tests.conftest import REPO, MakeLibrary
from viewer.core import page_cache
from viewer.core.config import Settings
from viewer.core.library import Library
from viewer.core.rendering import render_file
from viewer.ui.main_window import MainWindow

PAGE = "Disk full\n=========\n\nFree space\n----------\n\n.. code-block:: bash\n\n   df -h\n"
PROBE = """
import sys
from pathlib import Path
import PySide6.QtCore as QtCore
from viewer.ui import app, main_window
HEAVY = ("docutils", "markdown_it", "pygments", "dulwich")
def loaded():
    heavy = [m for m in HEAVY if m in sys.modules]
    if "Qt" in QtCore.__dict__:  # PySide6 builds the Qt namespace's enums on first touch
        heavy.append("the Qt namespace")
    return ",".join(heavy) or "none"
build = main_window.MainWindow._build
def built_after_paint(self, start):
    if self.view.painted:
        print("loaded at first paint:", loaded(), flush=True)
    build(self, start)
main_window.MainWindow._build = built_after_paint
def checks(library):
    print("loaded at checks:", loaded(), flush=True)
    return 0
app._check_parts = checks
app.run_window(Path(sys.argv[1]), self_test=True)
"""


def test_the_second_start_paints_without_any_parser(make_library: MakeLibrary,
                                                    tmp_path: Path) -> None:
    root = make_library({"index.rst": PAGE, "other.md": "# Other\n"})
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    runs = [subprocess.run([sys.executable, "-c", PROBE, str(root)], env=env, cwd=REPO,
                           capture_output=True, text=True, timeout=120) for _ in range(2)]
    assert "docutils" in runs[0].stdout  # the first start renders the page
    # The second paints the page kept from the first before anything else: no parser, no
    # highlighter, no git, and not even PySide6's Qt namespace (35-50 ms to build).
    assert "loaded at first paint: none" in runs[1].stdout, runs[1].stdout + runs[1].stderr


def test_a_kept_page_that_differs_is_replaced_after_the_first_paint(
        qtbot, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    library = Library(make_library({"index.rst": PAGE}))
    real = render_file(library, "index.rst")
    stale = replace(real, body_html=real.body_html.replace("Free space", "Stale heading"))
    assert stale.body_html != real.body_html
    page_cache.keep_page(library, "index.rst", stale)
    window = MainWindow(library, Settings())
    qtbot.addWidget(window)
    first: list[str] = []
    window.page_shown.connect(lambda _path: first.append(window.view.toPlainText()))
    window.show()
    qtbot.waitUntil(lambda: "Free space" in window.view.toPlainText(), timeout=15000)
    assert "Stale heading" in first[0]  # the kept page painted first...
    assert "Stale heading" not in window.view.toPlainText()  # ...then the page as it is


def test_a_quick_start_paints_the_kept_page_before_building_the_window(
        qtbot, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    library = Library(make_library({"index.rst": PAGE, "other.md": "# Other\n"}))
    page_cache.keep_page(library, "index.rst", render_file(library, "index.rst"))
    window = MainWindow(library, Settings(), quick_start=True)
    qtbot.addWidget(window)
    at_paint: list[tuple[bool, str]] = []
    window.view.first_paint.connect(
        lambda: at_paint.append((window.built, window.view.toPlainText())))
    waited: list[bool] = []
    window.when_built(lambda: waited.append(window.built))
    assert not window.built and waited == []
    window.show()
    qtbot.waitUntil(lambda: window.built, timeout=15000)
    built_at_paint, text_at_paint = at_paint[0]
    assert not built_at_paint and "Free space" in text_at_paint  # the runbook came first
    assert waited == [True]  # work queued for the built window ran once it was built
    # Then the window is whole: docks, menus, the page opened through the usual path.
    qtbot.waitUntil(lambda: window.history.current is not None, timeout=15000)
    assert window.history.current.path == "index.rst"
    assert window.triage_dock is not None and window.back_action is not None
    assert "Free space" in window.view.toPlainText()
    # Built around a window already on screen, the docks still open on the same tabs.
    qtbot.waitUntil(lambda: {"Symptoms", "Outline"} <= {
        bar.tabText(bar.currentIndex()) for bar in window.findChildren(QTabBar)},
        timeout=5000)


def test_a_quick_start_without_a_kept_page_builds_the_window_at_once(
        qtbot, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    library = Library(make_library({"index.rst": PAGE}))
    window = MainWindow(library, Settings(), quick_start=True)
    qtbot.addWidget(window)
    assert window.built
    window.show()
    qtbot.waitUntil(lambda: "Free space" in window.view.toPlainText(), timeout=15000)
