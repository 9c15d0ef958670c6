"""Search in the window: Ctrl+K, Ctrl+P, and results that follow the files on disk."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.conftest import MakeLibrary
from viewer.ui.main_window import MainWindow
from viewer.ui.quick_open import PATH_ROLE

LONG_BODY = "\n\n".join(f"Paragraph {i} about routine checks." for i in range(120))

FILES = {
    "README.md": "# Team runbooks\n\nStart here.\n",
    "db/pool.md": "---\ntags: [database]\nseverity: SEV1\n---\n# Postgres pool exhausted\n\n"
                  "## Symptoms\n\nClients see remaining connection slots are reserved.\n\n"
                  "## Count the sessions\n\n```sql\nSELECT count(*) FROM pg_stat_activity;\n```\n",
    "edge/gateway.md": "# Gateway 5xx storm\n\n## Roll back\n\n"
                       "```bash\nkubectl rollout undo deployment/edge\n```\n",
    "long.md": f"# Long page\n\n{LONG_BODY}\n\n## Tail\n\nThe very end.\n",
}


def ready(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.keeper is not None and window.keeper.ready, timeout=20000)


def result_paths(window: MainWindow) -> list[str]:
    panel = window.search_panel
    return [panel.results.item(i).data(Qt.ItemDataRole.UserRole + 1).path
            for i in range(panel.results.count())]


def search(qtbot, window: MainWindow, text: str, expect: Callable[[list[str]], bool]) -> None:  # type: ignore[no-untyped-def]
    window.search_panel.field.setText(text)
    qtbot.waitUntil(lambda: expect(result_paths(window)), timeout=15000)


def test_ctrl_k_search_then_enter_opens_the_section_with_matches_marked(
        qtbot, open_window, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    window = open_window(make_library(FILES))
    ready(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.search_panel.field
    qtbot.keyClicks(window.search_panel.field, "pg_stat_activity")
    qtbot.waitUntil(lambda: result_paths(window) == ["db/pool.md"], timeout=10000)
    item_text = window.search_panel.results.item(0).text()
    assert "<b>pg_stat_activity</b>" in item_text and "SEV1" in item_text
    with qtbot.waitSignal(window.page_shown, timeout=10000):
        qtbot.keyClick(window.search_panel.field, Qt.Key.Key_Return)
    assert window.history.current.path == "db/pool.md"
    assert window.history.current.anchor == "count-the-sessions"
    marked = [s.cursor.selectedText() for s in window.view.extraSelections()]
    assert marked and all(m == "pg_stat_activity" for m in marked)


def test_arrow_keys_choose_among_results(qtbot, open_window,  # type: ignore[no-untyped-def]
                                         make_library: MakeLibrary) -> None:
    window = open_window(make_library(FILES))
    ready(qtbot, window)
    window.focus_search()
    search(qtbot, window, "roll OR pool", lambda paths: len(paths) == 2)
    second = result_paths(window)[1]
    qtbot.keyClick(window.search_panel.field, Qt.Key.Key_Down)
    with qtbot.waitSignal(window.page_shown, timeout=10000):
        qtbot.keyClick(window.search_panel.field, Qt.Key.Key_Return)
    assert window.history.current.path == second


def test_filters_narrow_the_results(qtbot, open_window,  # type: ignore[no-untyped-def]
                                   make_library: MakeLibrary) -> None:
    window = open_window(make_library(FILES))
    ready(qtbot, window)
    panel = window.search_panel
    search(qtbot, window, "SELECT OR kubectl", lambda paths: len(paths) == 2)
    # The folders, tags and severities are read in the background, then offered.
    qtbot.waitUntil(lambda: panel.folder.findData("edge") > 0, timeout=10000)
    panel.folder.setCurrentIndex(panel.folder.findData("edge"))
    qtbot.waitUntil(lambda: result_paths(window) == ["edge/gateway.md"], timeout=10000)
    panel.folder.setCurrentIndex(0)
    panel.tag.setCurrentIndex(panel.tag.findData("database"))
    qtbot.waitUntil(lambda: result_paths(window) == ["db/pool.md"], timeout=10000)
    assert panel.severity.findData("SEV1") > 0


def test_results_and_open_page_follow_edits_adds_renames_and_deletes(
        qtbot, open_window, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    root = make_library(FILES)
    window = open_window(root, start="long.md")
    ready(qtbot, window)

    # The open page re-renders in place when its file changes, keeping the scroll position.
    bar = window.view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 200, timeout=5000)
    bar.setValue(bar.maximum() // 2)
    kept = bar.value()
    with qtbot.waitSignal(window.page_shown, timeout=15000):
        (root / "long.md").write_text(FILES["long.md"].replace("The very end.",
                                                               "Edited ending zebra."))
    assert "Edited ending zebra." in window.view.toPlainText()
    assert abs(bar.value() - kept) <= 5

    search(qtbot, window, "zebra", lambda paths: paths == ["long.md"])

    (root / "new.md").write_text("# Kafka lag\n\nConsumer lag keeps growing.\n")
    search(qtbot, window, "kafka", lambda paths: paths == ["new.md"])

    os.rename(root / "new.md", root / "kafka.md")
    search(qtbot, window, "kafka", lambda paths: paths == ["kafka.md"])

    (root / "kafka.md").unlink()
    search(qtbot, window, "kafka", lambda paths: paths == [])
    qtbot.waitUntil(lambda: "No runbook matches" in window.search_panel.status.text(),
                    timeout=5000)

    # A checkout-sized burst is one update, and the tree follows it too.
    (root / "bulk").mkdir()
    for i in range(60):
        (root / "bulk" / f"svc-{i}.md").write_text(f"# Service {i}\n\nMarker token{i}.\n")
    search(qtbot, window, "token59", lambda paths: paths == ["bulk/svc-59.md"])
    qtbot.waitUntil(lambda: window.library_panel.model.index_of("bulk/svc-59.md").isValid(),
                    timeout=10000)

    # Deleting the open runbook keeps its page readable, with a message.
    (root / "long.md").unlink()
    qtbot.waitUntil(lambda: window.message_bar.isVisible()
                    and "deleted or moved" in window.message_bar.text, timeout=15000)
    assert "Edited ending zebra." in window.view.toPlainText()


def test_quick_open_lists_recent_first_and_matches_fuzzily(
        qtbot, open_window, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    window = open_window(make_library(FILES))
    window.show()
    ready(qtbot, window)
    window.library_panel.filter.setFocus()  # focus elsewhere than the page beforehand
    for path in ("edge/gateway.md", "db/pool.md"):
        with qtbot.waitSignal(window.page_shown, timeout=10000):
            window.open(path)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialog = window.quick_open
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    listed = [dialog.list.item(i).data(PATH_ROLE) for i in range(dialog.list.count())]
    assert listed[:3] == ["db/pool.md", "edge/gateway.md", "README.md"]
    qtbot.keyClicks(dialog.field, "gw5xx")
    assert dialog.list.item(0).data(PATH_ROLE) == "edge/gateway.md"
    qtbot.keyClicks(dialog.field, "nothing")
    assert dialog.list.count() == 0 and "No runbook" in dialog.hint.text()
    dialog.field.setText("pgpool")
    with qtbot.waitSignal(window.page_shown, timeout=10000):
        qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    assert window.history.current.path == "db/pool.md" and not dialog.isVisible()
    # The page has the keyboard: Page Down, Ctrl+D and Ctrl+F work at once.
    qtbot.waitUntil(window.view.hasFocus, timeout=5000)


def test_recents_survive_a_restart(qtbot, open_window,  # type: ignore[no-untyped-def]
                                   make_library: MakeLibrary) -> None:
    root: Path = make_library(FILES)
    window = open_window(root)
    with qtbot.waitSignal(window.page_shown, timeout=10000):
        window.open("edge/gateway.md")
    window.close()
    from viewer.core.config import load_settings

    settings, _ = load_settings()
    assert settings.recent_in(window.library.root)[:2] == ["edge/gateway.md", "README.md"]


def test_rest_cross_references_follow_a_renamed_target(
        qtbot, open_window, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    root = make_library({
        "a.rst": "Alpha\n=====\n\nSee :ref:`pool-label`.\n",
        "b.rst": ".. _pool-label:\n\nPool exhausted\n--------------\n\nText.\n",
    })
    window = open_window(root, start="a.rst")
    ready(qtbot, window)
    assert "See Pool exhausted." in window.view.toPlainText()
    assert window.labels.watched  # labels are now re-read only after changes
    # The window handles the watcher's update (and forgets the labels) after
    # the index has it: a search alone could see the change before the window.
    with qtbot.waitSignal(window.keeper.updated, timeout=10000,
                          check_params_cb=lambda report: "b.rst" in report.changed_paths):
        (root / "b.rst").write_text(".. _pool-label:\n\nConnection pool full\n"
                                    "--------------------\n\nText.\n")
    search(qtbot, window, "full", lambda paths: paths == ["b.rst"])
    with qtbot.waitSignal(window.page_shown, timeout=10000):
        window.reload()
    assert "See Connection pool full." in window.view.toPlainText()


def test_the_count_says_when_more_match_than_are_shown(
        qtbot, open_window, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    from viewer.ui.search_panel import SHOWN

    files = {f"svc/rb{n:02}.md": f"# Service {n}\n\nConsumer lag over {n} minutes.\n"
             for n in range(SHOWN)}
    files["other/disk.md"] = "# Disk full\n\nConsumer lag while the disk fills.\n"
    window = open_window(make_library(files))
    ready(qtbot, window)
    window.focus_search()
    search(qtbot, window, "consumer lag", lambda paths: len(paths) == SHOWN)
    assert window.search_panel.status.text().startswith(
        f"More than {SHOWN} runbooks match; the best {SHOWN} are shown.")
    search(qtbot, window, "disk", lambda paths: paths == ["other/disk.md"])
    assert window.search_panel.status.text().startswith("1 runbook matches.")
    search(qtbot, window, "minutes", lambda paths: len(paths) == SHOWN)  # exactly 50
    qtbot.waitUntil(lambda: window.search_panel.status.text().startswith(
        f"{SHOWN} runbooks match."), timeout=15000)


def test_quick_open_in_a_big_library_ranks_in_the_background_and_enter_waits_for_it(
        qtbot, open_window, make_library: MakeLibrary,  # type: ignore[no-untyped-def]
        monkeypatch) -> None:
    from viewer.ui import quick_open

    monkeypatch.setattr(quick_open, "RANK_HERE_UP_TO", 0)  # every library ranks as a big one
    root = make_library(FILES)
    window = open_window(root)
    ready(qtbot, window)
    window.search.show_quick_open()
    dialog = window.quick_open
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.list.count() > 0, timeout=5000)
    # Typed and Enter at once, before any list for it: the best match for the text opens.
    with qtbot.waitSignal(window.page_shown, timeout=10000):
        qtbot.keyClicks(dialog.field, "gw5xx")
        qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    assert window.history.current.path == "edge/gateway.md"
    # A runbook added since the catalog was read is found once the index took it in.
    (root / "db" / "replica.md").write_text("# Replica lag\n\nBehind the primary.\n",
                                            encoding="utf-8")
    qtbot.waitUntil(lambda: window.keeper.last_report is not None
                    and "db/replica.md" in window.keeper.last_report.changed_paths,
                    timeout=15000)
    window.search.show_quick_open()
    qtbot.waitUntil(lambda: dialog.isVisible(), timeout=5000)
    qtbot.keyClicks(dialog.field, "replag")
    qtbot.waitUntil(lambda: dialog.list.count() > 0
                    and dialog.list.item(0).data(PATH_ROLE) == "db/replica.md", timeout=5000)


def test_a_long_first_build_is_searched_and_shown_as_it_goes(
        qtbot, open_window, make_library: MakeLibrary,  # type: ignore[no-untyped-def]
        monkeypatch) -> None:
    import time as clock

    from viewer.core.search import refresh
    from viewer.ui.search_controller import SearchController

    real_parse = refresh.parse_for_index

    def slow_parse(*args):  # type: ignore[no-untyped-def]
        clock.sleep(0.2)  # a big library's parsing, page by page: 8 s in all
        return real_parse(*args)

    monkeypatch.setattr(refresh, "parse_for_index", slow_parse)
    monkeypatch.setattr(refresh, "_BATCH", 4)
    monkeypatch.setattr(refresh, "_PARALLEL_FROM", 10_000)  # parsed here, slowly
    monkeypatch.setattr(SearchController, "PARTIAL_EVERY", 0.0)
    files = {f"svc/a{n:02}.md": f"# Service {n} outage\n\n**Symptoms:** error budget "
                                f"burn number{n}\n" for n in range(40)}
    window = open_window(make_library(files))
    qtbot.waitUntil(lambda: window.search_panel is not None and window.keeper is not None,
                    timeout=10000)
    panel = window.search_panel
    window.focus_search()
    panel.field.setText("outage")
    qtbot.waitUntil(lambda: panel.results.count() > 0, timeout=15000)
    assert not window.keeper.ready  # still building
    assert "still indexing" in panel.status.text()
    qtbot.waitUntil(lambda: window.triage_panel is not None
                    and window.triage_panel.tree.topLevelItemCount() > 0, timeout=15000)
    assert not window.keeper.ready
    qtbot.waitUntil(lambda: window.keeper.ready, timeout=30000)
    qtbot.waitUntil(lambda: panel.results.count() == len(files), timeout=10000)


def test_the_chosen_result_stays_chosen_when_the_same_words_are_searched_again(
        qtbot, open_window, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    root = make_library(FILES)
    window = open_window(root)
    ready(qtbot, window)
    window.focus_search()
    search(qtbot, window, "roll OR pool", lambda paths: len(paths) == 2)
    panel = window.search_panel
    qtbot.keyClick(panel.field, Qt.Key.Key_Down)
    chosen = panel.results.currentItem().data(Qt.ItemDataRole.UserRole + 1).path
    # The index takes in an edit elsewhere: the results are read again, the choice stays.
    (root / "README.md").write_text("# Team runbooks\n\nStart here, then roll on.\n",
                                    encoding="utf-8")
    qtbot.waitUntil(lambda: len(result_paths(window)) == 3, timeout=15000)
    assert panel.results.currentItem().data(Qt.ItemDataRole.UserRole + 1).path == chosen
