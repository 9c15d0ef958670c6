"""What a new user tripped over in a first week (issue 23), each as that user would meet it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

from tests.conftest import REPO, MakeLibrary
from viewer.core.config import Settings
from viewer.core.library import Library
from viewer.locations import BUNDLED_NAME, bundled_docs_dir
from viewer.sync.sources import new_source, save_sources
from viewer.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def _bundled_window(qtbot) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(Library(bundled_docs_dir()), Settings(), start="user-guide.md")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.document is not None and window.triage_panel is not None
                    and window.sources is not None, timeout=20000)
    return window


def test_adding_the_first_source_keeps_the_pin_the_page_and_the_guided_triage(
        qtbot, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    team = make_library({"net/dns.md": "# DNS failures\n"})
    window = _bundled_window(qtbot)
    window.toggle_pin()
    assert [p.path for p in window.pin_store.pins(window.library.root)] == ["user-guide.md"]
    qtbot.waitUntil(lambda: window.triage_panel.start_button.isVisible(), timeout=20000)
    source, _ = new_source("team", str(team))
    listing = window.sources.listing
    listing.sources.append(source)
    save_sources(listing)
    window.sources.sources_changed.emit(listing)  # as the Sources dialog does
    moved = f"{BUNDLED_NAME}/user-guide.md"
    qtbot.waitUntil(lambda: window.library.is_union and window.history.current is not None,
                    timeout=20000)
    assert window.history.current.path == moved  # the same page, not Welcome
    assert [p.path for p in window.pin_store.pins(window.library.root)] == [moved]
    assert window.pins_panel.count() == 1
    def first_target() -> str:
        question = window.triage_panel.question
        answer = question.answers[0] if question is not None else None
        while answer is not None and answer.question is not None:
            answer = answer.question.answers[0]
        return answer.target if answer is not None else ""

    # Start triage stays, and its walk opens the runbooks where they are now.
    qtbot.waitUntil(lambda: first_target().startswith(f"{BUNDLED_NAME}/"), timeout=20000)
    assert window.triage_panel.start_button.isVisible()

    # The last source removed: the bundled guide again, said so, with the page and the pin.
    listing.sources.clear()
    save_sources(listing)
    window.sources.sources_changed.emit(listing)
    qtbot.waitUntil(lambda: not window.library.is_union and window.history.current is not None,
                    timeout=20000)
    assert window.history.current.path == "user-guide.md"
    assert [p.path for p in window.pin_store.pins(window.library.root)] == ["user-guide.md"]
    assert window.library_label.text() == f"Library: {bundled_docs_dir().resolve()}"


def test_a_source_added_on_the_command_line_shows_in_the_open_window(
        qtbot, make_library: MakeLibrary, isolated_user_dirs: Path) -> None:  # type: ignore[no-untyped-def]
    team = make_library({"net/dns.md": "# DNS failures\n"})
    window = _bundled_window(qtbot)
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin",
           **{k: str(isolated_user_dirs / v) for k, v in (
               ("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
               ("XDG_CACHE_HOME", "cache"), ("XDG_STATE_HOME", "state"))}}
    added = subprocess.run([sys.executable, "-m", "viewer", "sources", "add", "team", str(team)],
                           capture_output=True, text=True, env=env, cwd=REPO, timeout=60)
    assert added.returncode == 0, added.stderr
    qtbot.waitUntil(lambda: [s.name for s in window.sources.listing.sources] == ["team"],
                    timeout=3000)
    qtbot.waitUntil(lambda: window.library.is_union, timeout=10000)
    window.sources.show_dialog()
    dialog = window.sources._dialog
    assert [dialog.list.item(i).text().split()[0] for i in range(dialog.list.count())] == ["team"]


def test_go_to_library_brings_its_tab_to_the_front(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = _bundled_window(qtbot)
    window.focus_symptoms()
    window.focus_library()
    qtbot.waitUntil(lambda: not window.library_dock.visibleRegion().isEmpty(), timeout=3000)
    assert window.library_panel.filter.hasFocus() or window.focusWidget() is \
        window.library_panel.filter


def test_ctrl_q_quits_from_the_search_box(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = _bundled_window(qtbot)
    window.search_for("")
    qtbot.waitUntil(lambda: window.search_panel.field.hasFocus(), timeout=3000)
    qtbot.keyClick(window.search_panel.field, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=3000)


def test_a_selected_search_result_is_drawn_in_the_selections_colour(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QStandardItem, QStandardItemModel

    from viewer.core.search.results import Hit
    from viewer.ui.search_panel import _RichTextDelegate, hit_html

    model = QStandardItemModel()
    model.appendRow(QStandardItem(hit_html(Hit(
        path="a.md", title="API down", anchor="", heading="", snippet="", score=1.0,
        severity="SEV1", tags=[]))))

    def badge_colour(state: QStyle.StateFlag) -> object:
        option = QStyleOptionViewItem()
        option.state = state
        document = _RichTextDelegate()._document(option, model.index(0, 0))
        cursor = document.find("SEV1")
        return cursor.charFormat().foreground().style()

    assert badge_colour(QStyle.StateFlag.State_None) != Qt.BrushStyle.NoBrush  # red
    assert badge_colour(QStyle.StateFlag.State_Selected) == Qt.BrushStyle.NoBrush  # the palette's


def test_a_symptom_a_section_lists_opens_that_section(qtbot, open_window,  # type: ignore[no-untyped-def]
                                                      make_library: MakeLibrary) -> None:
    root = make_library({"api.md": "---\nseverity: SEV1\nsymptoms:\n  - 503 errors\n---\n"
                                   "# API outage\n\n## SEV2: Partial outage\n\n### Symptoms\n\n"
                                   "- 503 errors\n\nRestart one node.\n"})
    window = open_window(root, start="api.md")
    qtbot.waitUntil(lambda: window.triage_panel is not None
                    and window.triage_panel.tree.topLevelItemCount() > 0, timeout=20000)
    window.triage_panel.filter.setText("503")
    with qtbot.waitSignal(window.page_shown, timeout=10000):
        qtbot.keyClick(window.triage_panel.filter, Qt.Key.Key_Return)
    assert window.history.current.anchor == "sev2-partial-outage"


def test_a_git_source_added_on_the_command_line_is_fetched_by_the_open_window(
        qtbot, tmp_path: Path, isolated_user_dirs: Path) -> None:  # type: ignore[no-untyped-def]
    repo = tmp_path / "team-runbooks"
    (repo / "net").mkdir(parents=True)
    (repo / "net/dns.md").write_text("# DNS failures\n\nFlush the resolver cache.\n")
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    for args in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-qm", "first"]):
        subprocess.run([*git, *args], check=True, capture_output=True)
    window = _bundled_window(qtbot)
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin",
           **{k: str(isolated_user_dirs / v) for k, v in (
               ("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
               ("XDG_CACHE_HOME", "cache"), ("XDG_STATE_HOME", "state"))}}
    added = subprocess.run([sys.executable, "-m", "viewer", "sources", "add", "team",
                            repo.as_uri()], capture_output=True, text=True, env=env, cwd=REPO,
                           timeout=60)
    assert added.returncode == 0, added.stderr
    # No `runbook-viewer sync` was run: the window fetches the new source by itself.
    qtbot.waitUntil(lambda: window.library.is_union
                    and (window.library.root / "team/net/dns.md").is_file(), timeout=30000)
    window.open("team/net/dns.md")
    qtbot.waitUntil(lambda: window.document is not None
                    and window.document.title == "DNS failures", timeout=10000)


def test_a_closed_window_no_longer_follows_the_sources_file(
        qtbot, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    from viewer.sync.sources import SourceList
    from viewer.sync.union import union_library

    team = make_library({"net/dns.md": "# DNS failures\n"})
    save_sources(SourceList([new_source("team", str(team))[0]]))
    union, _ = union_library()
    assert union is not None
    window = MainWindow(Library(union), Settings(), start="team/net/dns.md")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.sources is not None, timeout=20000)
    window.close()
    save_sources(SourceList())  # the file changes after the window closed
    qtbot.wait(2000)  # longer than the sources file's check interval
    assert (union / "team").is_symlink()  # the library folder was left alone
