"""Starting the window: the QApplication, the library to show, and the self-test."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from viewer import APP_ID, APP_NAME, __version__


def run_window(library_dir: Path | None, *, self_test: bool = False,
               started: float | None = None) -> int:
    """Open the window on ``library_dir`` (None: configured library, else the bundled docs)."""
    started = started if started is not None else time.perf_counter()
    if self_test:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from viewer.core.config import load_settings, shown_library
    from viewer.core.document import Problem
    from viewer.core.library import Library
    from viewer.locations import resources_dir
    from viewer.sync.union import union_library
    from viewer.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    icon = resources_dir() / "icons" / "runbook-viewer.svg"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))

    settings, settings_problem = load_settings()
    union, union_problem = (None, "") if library_dir else union_library()
    folder, folder_problem = shown_library(library_dir, settings, union)
    window = MainWindow(Library(folder), settings)
    for problem in (settings_problem, union_problem, folder_problem):
        if problem:
            window.message_bar.show_message(problem)

    if self_test:
        outcome = {"code": 1}

        def painted() -> None:
            elapsed = (time.perf_counter() - started) * 1000
            doc = window.document
            if doc is None or isinstance(doc, Problem):
                reason = doc.message if isinstance(doc, Problem) else "no runbook was opened"
                print(f"self-test FAILED: {reason}", file=sys.stderr)
            else:
                print(f"self-test: first paint after {elapsed:.0f} ms; "
                      f"showed {doc.path} ({doc.markup}, {len(doc.headings)} headings, "
                      f"{len(doc.code_blocks)} code blocks)", flush=True)
                outcome["code"] = _check_parts(window.library)
            app.quit()

        def on_page(_path: str) -> None:
            window.view.viewport().update()

        window.view.first_paint.connect(painted)
        window.page_shown.connect(on_page)
        QTimer.singleShot(30000, lambda: (print("self-test FAILED: nothing painted within 30 s",
                                                file=sys.stderr), app.quit()))
        window.show()
        app.exec()
        return outcome["code"]

    window.show()
    return app.exec()



def _check_parts(library) -> int:  # type: ignore[no-untyped-def]
    """The self-test's second half: parsers, highlighting, index, sync; 0 when all work."""
    from viewer.core.selfcheck import SelfCheckFailed, check_library
    from viewer.sync.selfcheck import check_sync

    try:
        for line in [*check_library(library), *check_sync()]:
            print(f"self-test: {line}")
    except SelfCheckFailed as err:
        print(f"self-test FAILED: {err}", file=sys.stderr)
        return 1
    except Exception as err:  # a missing module or data file in a packaged app
        print(f"self-test FAILED: {type(err).__name__}: {err}", file=sys.stderr)
        return 1
    print("self-test ok")
    return 0
