"""Pins in the window: Ctrl+D pins the page at its section, Alt+N opens, order is kept."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from tests.conftest import MakeLibrary
from viewer.ui.main_window import MainWindow

FILES = {"README.md": "# Home\n", "db.md": "# DB\n\n## Step 1\n\nCount.\n",
         "api.md": "# API\n\nDown.\n"}


def panels(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.pins_panel is not None, timeout=20000)


def reading_db_step(qtbot, open_window, root) -> MainWindow:  # type: ignore[no-untyped-def]
    """A window on ``root`` showing db.md at its "Step 1" section, pins ready."""
    window = open_window(root)
    panels(qtbot, window)
    with qtbot.waitSignal(window.page_shown, timeout=10000):
        window.open("db.md", "step-1")
    return window


def test_pin_open_with_alt_n_reorder_and_keep_across_restarts(
        qtbot, open_window, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    root = make_library(FILES)
    window = reading_db_step(qtbot, open_window, root)
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


def test_pin_from_the_library_search_results_and_symptom_sidebar(
        qtbot, open_window, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    root = make_library({**FILES, "cache.md": "# Redis full\n\n## Symptoms\n\n- Evictions\n\n"
                                              "## Step 1: Check memory\n"})
    window = open_window(root)
    panels(qtbot, window)
    qtbot.waitUntil(lambda: window.keeper is not None and window.keeper.ready, timeout=20000)

    # The library tree: the runbook, labelled with its title.
    qtbot.waitUntil(lambda: window.library_panel.shown, timeout=10000)
    window.library_panel.pin_index(window.library_panel.model.index_of("api.md"))

    # A search result: the section it lands on.
    window.search_panel.field.setText("count")
    qtbot.waitUntil(lambda: window.search_panel.results.count() == 1, timeout=10000)
    window.search_panel.pin_item(window.search_panel.results.item(0))

    # The symptom sidebar: a scenario's step.
    qtbot.waitUntil(lambda: window.triage_panel.tree.topLevelItemCount() > 0, timeout=10000)
    symptom = window.triage_panel.tree.findItems(
        "Evictions", Qt.MatchFlag.MatchRecursive | Qt.MatchFlag.MatchExactly)[0]
    symptom.setExpanded(True)
    window.triage_panel.pin_item(symptom.child(0).child(0))

    assert window.pins_panel.targets() == ["api.md", "db.md#step-1",
                                           "cache.md#step-1-check-memory"]
    assert [window.pins_panel.item(i).text() for i in range(3)] == [
        "Alt+1  API", "Alt+2  DB › Step 1", "Alt+3  Redis full › Step 1: Check memory"]
    with qtbot.waitSignal(window.page_shown, timeout=10000):
        qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    assert (window.history.current.path, window.history.current.anchor) == (
        "cache.md", "step-1-check-memory")


def test_the_app_reopens_where_the_reader_left_off(qtbot, open_window,  # type: ignore[no-untyped-def]
                                                   make_library: MakeLibrary) -> None:
    from viewer.core.config import load_settings
    from viewer.core.library import Library

    body = "\n\n".join(f"Paragraph {i} of the long runbook." for i in range(150))
    root = make_library({**FILES, "long.md": f"# Long\n\n{body}\n"})
    window = open_window(root)
    with qtbot.waitSignal(window.page_shown, timeout=10000):
        window.open("long.md")
    bar = window.view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 300, timeout=5000)
    bar.setValue(bar.maximum() // 2)
    kept = bar.value()
    with qtbot.waitSignal(window.page_shown, timeout=10000):
        window.open("api.md")
    with qtbot.waitSignal(window.page_shown, timeout=10000):
        window.open("long.md")  # a plain open, as from the library tree
    qtbot.waitUntil(lambda: abs(bar.value() - kept) <= 5, timeout=5000)
    window.close()

    settings, _ = load_settings()
    again = MainWindow(Library(root), settings)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: again.document is not None, timeout=10000)
    assert again.history.current.path == "long.md"
    again_bar = again.view.verticalScrollBar()
    qtbot.waitUntil(lambda: abs(again_bar.value() - kept) <= 5, timeout=5000)


def _delete_then_open_pin_1(qtbot, window: MainWindow, root) -> str:  # type: ignore[no-untyped-def]
    """Delete db.md from disk, wait for its pin to show it missing, open it: the page's text."""
    (root / "db.md").unlink()
    qtbot.waitUntil(lambda: window.pins_panel.item(0).text().endswith("(missing)"),
                    timeout=15000)
    with qtbot.waitSignal(window.page_shown, timeout=10000):
        qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    return window.view.toPlainText()


def test_a_pinned_runbook_that_was_deleted_stays_readable(
        qtbot, open_window, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    root = make_library(FILES)
    window = reading_db_step(qtbot, open_window, root)
    window.toggle_pin()
    text = _delete_then_open_pin_1(qtbot, window, root)
    assert "Count." in text and "no longer in the library" in text


def test_the_copy_kept_with_a_pin_follows_the_runbook_as_it_is_read(
        qtbot, open_window, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    root = make_library(FILES)
    window = reading_db_step(qtbot, open_window, root)
    window.toggle_pin()
    (root / "db.md").write_text("# DB\n\n## Step 1\n\nCount the waiting queries.\n")
    with qtbot.waitSignal(window.page_shown, timeout=10000):
        window.open("db.md", "step-1")
    qtbot.waitUntil(lambda: "waiting queries" in window.view.toPlainText(), timeout=10000)
    text = _delete_then_open_pin_1(qtbot, window, root)
    assert "Count the waiting queries." in text and "no longer in the library" in text


def test_rename_a_pin_with_f2_and_unpin_with_delete(
        qtbot, open_window, make_library: MakeLibrary,  # type: ignore[no-untyped-def]
        monkeypatch) -> None:
    from PySide6.QtWidgets import QInputDialog

    window = reading_db_step(qtbot, open_window, make_library(FILES))
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    asked: list[str] = []

    def answer(*args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(kwargs.get("text", ""))
        return "Pool exhausted: first steps", True

    monkeypatch.setattr(QInputDialog, "getText", answer)  # what the user types in the dialog
    window.pins_panel.setCurrentRow(0)
    qtbot.keyClick(window.pins_panel, Qt.Key.Key_F2)
    assert asked == ["DB › Step 1"]  # the dialog starts from the current name
    assert window.pins_panel.item(0).text() == "Alt+1  Pool exhausted: first steps"
    window.close()
    again = open_window(window.library.root)
    panels(qtbot, again)
    qtbot.waitUntil(lambda: again.pins_panel.count() == 1 and
                    again.pins_panel.item(0).text() == "Alt+1  Pool exhausted: first steps",
                    timeout=10000)
    again.pins_panel.setCurrentRow(0)
    qtbot.keyClick(again.pins_panel, Qt.Key.Key_Delete)
    assert again.pins_panel.targets() == []


def test_a_pin_follows_a_runbook_moved_on_disk(
        qtbot, open_window, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    root = make_library(FILES)
    window = reading_db_step(qtbot, open_window, root)
    window.toggle_pin()
    qtbot.waitUntil(lambda: window.keeper is not None and window.keeper.ready and
                    window.keeper.watching, timeout=10000)
    (root / "databases").mkdir()
    (root / "db.md").rename(root / "databases" / "db-pool.md")  # a plain folder: no git
    qtbot.waitUntil(lambda: window.pins_panel.targets() == ["databases/db-pool.md#step-1"],
                    timeout=15000)
    assert not window.pins_panel.item(0).text().endswith("(missing)")
    with qtbot.waitSignal(window.page_shown, timeout=10000):
        qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert window.history.current.path == "databases/db-pool.md"
