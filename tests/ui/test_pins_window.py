"""Pins in the window: Ctrl+D pins the page at its section, Alt+N opens, order is kept."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from tests.conftest import MakeLibrary
from viewer.ui.main_window import MainWindow

FILES = {"README.md": "# Home\n", "db.md": "# DB\n\n## Step 1\n\nCount.\n",
         "api.md": "# API\n\nDown.\n"}


def panels(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.pins_panel is not None, timeout=20000)


def test_pin_open_with_alt_n_reorder_and_keep_across_restarts(
        qtbot, open_window, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    root = make_library(FILES)
    window = open_window(root)
    panels(qtbot, window)
    with qtbot.waitSignal(window.page_shown, timeout=10000):
        window.open("db.md", "step-1")
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(window.page_shown, timeout=10000):
        window.open("api.md")
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert window.pins_panel.targets() == ["db.md#step-1", "api.md"]
    assert "Alt+2" in window.status_label.text()

    with qtbot.waitSignal(window.page_shown, timeout=10000):
        qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert (window.history.current.path, window.history.current.anchor) == ("db.md", "step-1")

    # Drag the second pin above the first (what a drop in the list does to its model).
    window.pins_panel.model().moveRow(QModelIndex(), 1, QModelIndex(), 0)
    qtbot.waitUntil(lambda: window.pins_panel.item(0).text() == "Alt+1  API", timeout=5000)
    assert window.pins_panel.item(1).text() == "Alt+2  DB › Step 1"  # labelled by title
    window.close()

    (root / "db.md").unlink()
    again = open_window(root)
    panels(qtbot, again)
    qtbot.waitUntil(lambda: again.pins_panel.targets() == ["api.md", "db.md#step-1"],
                    timeout=10000)
    assert again.pins_panel.item(1).text().endswith("(missing)")
    with qtbot.waitSignal(again.page_shown, timeout=10000):
        qtbot.keyClick(again, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert again.history.current.path == "api.md"
    # Ctrl+D on a pinned page unpins it.
    qtbot.keyClick(again, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert again.pins_panel.targets() == ["db.md#step-1"]
