"""Starting the window: the QApplication, the library to show, and the self-test."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject

from viewer import APP_ID, APP_NAME, __version__
from viewer.core.open_request import BadRequest, OpenRequest, parse_target


def run_window(library_dir: Path | None, *, self_test: bool = False,
               started: float | None = None, request: OpenRequest | None = None) -> int:
    """Open the window on ``library_dir`` (None: configured library, else the bundled docs),
    then what ``request`` names.

    Without ``library_dir`` the window listens for later launches, which hand it
    their requests (:func:`viewer.handoff.hand_over`, called before this).
    """
    started = started if started is not None else time.perf_counter()
    request = request or OpenRequest()
    single = library_dir is None and not self_test
    if self_test:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from viewer.core.config import load_settings, shown_library
    from viewer.core.document import Problem
    from viewer.core.library import Library
    from viewer.locations import resources_dir
    from viewer.ui.collector import UiThreadCollector
    from viewer.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    UiThreadCollector(app)  # before any worker starts: see collector.py
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    icon = resources_dir() / "icons" / "runbook-viewer.svg"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))

    settings, settings_problem = load_settings()
    union, union_problem = None, ""
    if not library_dir:  # the synced sources matter only when no folder was named
        from viewer.sync.union import union_library

        union, union_problem = union_library()
    folder, folder_problem = shown_library(library_dir, settings, union)
    window = MainWindow(Library(folder), settings, quick_start=True)
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
                app.quit()
                return
            print(f"self-test: first paint after {elapsed:.0f} ms; "
                  f"showed {doc.path} ({doc.markup}, {len(doc.headings)} headings, "
                  f"{len(doc.code_blocks)} code blocks)", flush=True)
            window.when_built(checks)  # the whole window, docks and menus too, must build

        def checks() -> None:
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

    if single:
        from viewer.ui.instance_server import InstanceServer

        server = InstanceServer(window)
        if server.listen():
            # A request arriving while the window is still being built waits for it.
            server.requested.connect(
                lambda request: window.when_built(lambda: window.opener.handle(request)))
    url_events = _UrlOpenEvents(window)  # macOS hands runbook-viewer:// links over this way
    window.when_built(lambda: app.installEventFilter(url_events))
    window.show()
    if not request.is_empty:
        window.when_built(lambda: QTimer.singleShot(0, lambda: window.opener.handle(request)))
    return app.exec()


class _UrlOpenEvents(QObject):
    """Passes the desktop's FileOpen events (a clicked runbook-viewer:// link on macOS)
    to the window as open requests."""

    def __init__(self, window) -> None:  # type: ignore[no-untyped-def]
        super().__init__(window)
        self.window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.FileOpen:
            return False
        target = event.url().toString() or event.file()
        try:
            self.window.opener.handle(parse_target(target))
        except BadRequest as err:
            self.window.message_bar.show_message(str(err))
        return True



def _check_parts(library) -> int:  # type: ignore[no-untyped-def]
    """The self-test's second half: parsers, highlighting, index, sync; 0 when all work."""
    from viewer.core.selfcheck import SelfCheckFailed, check_library
    from viewer.sync.selfcheck import check_sync

    try:
        from viewer.search_helper import self_check as check_search_helper

        for line in [*check_library(library), *check_sync(), _check_links(),
                     check_search_helper(str(library.root))]:
            print(f"self-test: {line}")
    except SelfCheckFailed as err:
        print(f"self-test FAILED: {err}", file=sys.stderr)
        return 1
    except Exception as err:  # a missing module or data file in a packaged app
        print(f"self-test FAILED: {type(err).__name__}: {err}", file=sys.stderr)
        return 1
    print("self-test ok")
    return 0


def _check_links() -> str:
    """A second launch can reach this one: the local socket (QtNetwork) works."""
    import tempfile

    from viewer.core.selfcheck import SelfCheckFailed
    from viewer.ui.instance_server import InstanceServer

    server = InstanceServer()
    with tempfile.TemporaryDirectory() as folder:
        address = os.path.join(folder, "instance") if os.name == "posix" else \
            f"{APP_ID}-self-test-{os.getpid()}"
        listening = server.server.listen(address)
        server.close()
    if not listening:
        raise SelfCheckFailed(f"links: cannot listen for a second launch: "
                              f"{server.server.errorString()}")
    return "links: a second launch can hand its page to this window"
