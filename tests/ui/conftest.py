"""Fixtures for driving the real window with pytest-qt."""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor

from viewer.core.config import Settings
from viewer.core.library import Library
from viewer.sync.credentials import CredentialStore
from viewer.ui.document_view import DocumentView
from viewer.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True, scope="session")
def collect_on_the_ui_thread(qapp):  # type: ignore[no-untyped-def]
    """As the app does (viewer/ui/collector.py): without it, a worker thread's collection
    of an old window's QObject froze a run for good."""
    from viewer.ui.collector import UiThreadCollector

    collector = UiThreadCollector(qapp)
    yield collector
    gc.enable()


@pytest.fixture
def open_window(qtbot) -> Callable[..., MainWindow]:  # type: ignore[no-untyped-def]
    def make(root: Path, start: str | None = None, theme: str = "light") -> MainWindow:
        window = MainWindow(Library(root), Settings(theme=theme), start=start)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.document is not None, timeout=10000)
        return window

    return make


class ThreadRecordingStore(CredentialStore):
    """The real store, noting whether each keyring lookup, read or write ran on the UI thread."""

    def __init__(self) -> None:
        super().__init__()
        self.on_ui_thread: list[bool] = []

    def _note(self) -> None:
        import threading

        self.on_ui_thread.append(threading.current_thread() is threading.main_thread())

    def _keyring(self) -> object | None:
        if not self._checked:  # the first call finds the backend, maybe over D-Bus
            self._note()
        return super()._keyring()

    def get(self, source: str) -> str:
        self._note()
        return super().get(source)

    def set(self, source: str, secret: str) -> str:
        self._note()
        return super().set(source, secret)

    def delete(self, source: str) -> None:
        self._note()
        super().delete(source)


def link_position(view: DocumentView, href: str) -> int:
    for position, length, link in view.link_fragments():
        if link == href:
            return position + max(0, length // 2)
    raise AssertionError(f"no link to {href!r} on the page")


def click_link(qtbot, view: DocumentView, href: str) -> None:  # type: ignore[no-untyped-def]
    """Scroll the link into view and click it with the mouse, as a user would."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(link_position(view, href))
    view.setTextCursor(cursor)
    view.ensureCursorVisible()
    rect = view.cursorRect(cursor)
    point = QPoint(rect.center().x() + 1, rect.center().y())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
