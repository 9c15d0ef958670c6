"""The window as a user drives it: links, back, find, copy, themes, refusals."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QImage, QTextCursor, QTextDocument
from PySide6.QtWidgets import QMessageBox

from tests.conftest import MakeLibrary
from tests.ui.conftest import click_link
from viewer.core.document import Document, Problem
from viewer.ui.library_panel import PATH_ROLE
from viewer.ui.main_window import MainWindow

pytestmark = pytest.mark.gui

FILLER = "\n\n".join(f"Paragraph {i} of filler text to make the page scroll." for i in range(60))


@pytest.fixture
def library(make_library: MakeLibrary) -> Path:
    return make_library({
        "README.md": f"# Home\n\nGo to [the pool runbook](db/pool.md#step-2-restart).\n\n"
                     f"{FILLER}\n\n[Status page](https://status.example.com/incidents)\n\n"
                     "[Evil](javascript:alert(1)) [Mail](mailto:oncall@example.com) "
                     "[Escape](../../outside.md)\n",
        "db/pool.md": "# Connection pool exhausted\n\n## Step 1: Look\n\n"
                      "```console\n$ kubectl get pods -n db\nNAME  READY\npg-0  1/1\n"
                      "$ psql -c 'SELECT count(*) FROM pg_stat_activity;'\n  count\n-------\n"
                      f"   97\n```\n\n{FILLER}\n\n## Step 2: Restart\n\n"
                      "```bash\nkubectl rollout restart deploy/api -n prod\n```\n\n"
                      "Back to [home](../README.md).\n",
        "broken.md": b"\x00\x01binary\x00" * 50,
    })


def test_opens_on_the_start_page(open_window, library: Path) -> None:
    window = open_window(library)
    assert isinstance(window.document, Document) and window.document.path == "README.md"
    assert "Home" in window.windowTitle()
    assert [window.outline.topLevelItem(0).text(0)] == ["Home"]


def test_click_link_to_other_runbook_lands_on_anchor_and_back_returns(qtbot, open_window,
                                                                       library: Path) -> None:
    window = open_window(library)
    with qtbot.waitSignal(window.page_shown, timeout=10000):
        click_link(qtbot, window.view, "db/pool.md#step-2-restart")
    assert window.document.path == "db/pool.md"
    assert window.view.verticalScrollBar().value() > 0, "page should scroll to the anchor"
    assert window.back_action.isEnabled()
    with qtbot.waitSignal(window.page_shown, timeout=10000):
        window.back_action.trigger()
    assert window.document.path == "README.md"
    assert window.forward_action.isEnabled()
    with qtbot.waitSignal(window.page_shown, timeout=10000):
        window.forward_action.trigger()
    assert window.document.path == "db/pool.md"


def test_find_in_page_counts_and_steps_through_matches(qtbot, open_window,
                                                       library: Path) -> None:
    window = open_window(library, start="db/pool.md")
    window.find_action.trigger()
    assert window.find_bar.isVisible()
    qtbot.keyClicks(window.find_bar.field, "kubectl")
    assert window.find_bar.count_label.text() == "1 of 2"
    window.find_next_action.trigger()
    assert window.find_bar.count_label.text() == "2 of 2"
    assert window.view.textCursor().selectedText().lower() == "kubectl"
    window.find_previous_action.trigger()
    assert window.find_bar.count_label.text() == "1 of 2"
    window.find_bar.field.setText("no such words anywhere")
    assert window.find_bar.count_label.text() == "No matches"


def test_copy_link_puts_only_the_commands_on_the_clipboard(qtbot, open_window,
                                                           library: Path) -> None:
    window = open_window(library, start="db/pool.md")
    QGuiApplication.clipboard().clear()
    click_link(qtbot, window.view, "copy:0")
    assert QGuiApplication.clipboard().text() == (
        "kubectl get pods -n db\npsql -c 'SELECT count(*) FROM pg_stat_activity;'")
    click_link(qtbot, window.view, "copy:1")
    assert QGuiApplication.clipboard().text() == "kubectl rollout restart deploy/api -n prod"
    assert "Copied code block 2" in window.status_label.text()


def test_copy_shortcut_copies_the_block_in_view(open_window, library: Path) -> None:
    window = open_window(library, start="db/pool.md#step-2-restart")
    QGuiApplication.clipboard().clear()
    window.copy_code_action.trigger()
    assert QGuiApplication.clipboard().text() == "kubectl rollout restart deploy/api -n prod"


def test_web_link_asks_first_and_opens_only_when_confirmed(qtbot, open_window, library: Path,
                                                           monkeypatch) -> None:
    window = open_window(library)
    opened: list[str] = []
    asked: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))

    def answer(choice):  # type: ignore[no-untyped-def]
        def question(parent, title, text, *args):  # type: ignore[no-untyped-def]
            asked.append(text)
            return choice
        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Cancel))
    click_link(qtbot, window.view, "https://status.example.com/incidents")
    assert opened == [] and "https://status.example.com/incidents" in asked[0]
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Open))
    click_link(qtbot, window.view, "https://status.example.com/incidents")
    assert opened == ["https://status.example.com/incidents"]


@pytest.mark.parametrize("href", ["mailto:oncall@example.com", "../../outside.md"])
def test_other_links_are_refused_with_a_message(qtbot, open_window, library: Path,
                                                href: str) -> None:
    window = open_window(library)
    click_link(qtbot, window.view, href)
    assert window.message_bar.isVisible() and window.message_bar.text
    assert window.document.path == "README.md"


def test_binary_file_shows_a_message_not_a_crash(qtbot, open_window, library: Path) -> None:
    window = open_window(library, start="broken.md")
    assert isinstance(window.document, Problem)
    assert "binary" in window.view.toPlainText()


def test_images_load_only_from_inside_the_library(open_window, make_library: MakeLibrary,
                                                  tmp_path: Path) -> None:
    image = QImage(4, 4, QImage.Format.Format_RGB32)
    image.fill(0x0000FF)
    root = make_library({"page.md": "# Images\n\n![local](img/dot.png) ![link](img/link.png) "
                                    "![out](../outside.png) ![abs](/etc/hostname) "
                                    "![remote](https://tracker.example/p.png)\n"})
    (root / "img").mkdir()
    image.save(str(root / "img" / "dot.png"))
    image.save(str(tmp_path / "outside.png"))
    os.symlink(tmp_path / "outside.png", root / "img" / "link.png")
    window = open_window(root, start="page.md")
    view = window.view
    kind = int(QTextDocument.ResourceType.ImageResource.value)
    base = QUrl.fromLocalFile(str(root / "page.md"))

    def shown(src: str) -> bool:
        # The picture itself (4 by 4, blue), not the transparent pixel a refused one gets.
        resource = view.document().resource(kind, base.resolved(QUrl(src)))
        return isinstance(resource, QImage) and resource.width() == 4 and \
            resource.pixelColor(0, 0).blue() == 255

    assert shown("img/dot.png")
    # Qt's own loader reads any URL the view's gate answers with None; it must never get to.
    for src in ("img/link.png", "../outside.png", "/etc/hostname"):
        assert not shown(src), src
    for url in ("img/link.png", "../outside.png", "https://tracker.example/p.png", "ftp://x/y"):
        assert view.loadResource(kind, base.resolved(QUrl(url))) is not None, url


def test_a_picture_that_is_a_fifo_never_freezes_the_window(qtbot, open_window,
                                                           make_library: MakeLibrary) -> None:
    root = make_library({"page.md": "# Pipe\n\n![pipe](pipe.png)\n\nText after it.\n"})
    os.mkfifo(root / "pipe.png")
    window = open_window(root, start="page.md")  # opening blocked forever in open() before
    assert "Text after it." in window.view.toPlainText()


def test_theme_toggle_switches_page_colours_without_losing_place(qtbot, open_window,
                                                                  library: Path) -> None:
    window = open_window(library, start="db/pool.md#step-2-restart")
    scroll = window.view.verticalScrollBar().value()
    assert window.theme == "light"
    window.theme_toggle_action.trigger()
    assert window.theme == "dark" and window.settings.theme == "dark"
    background = window.view.document().rootFrame().frameFormat().background().color()
    assert background.lightness() < 60
    assert abs(window.view.verticalScrollBar().value() - scroll) < 40


def _text_sizes(window: MainWindow) -> dict[str, float]:
    """The point size each block of the page is drawn at, by its first words."""
    sizes = {}
    block = window.view.document().begin()
    while block.isValid():
        if block.text().strip():
            fragment = block.begin().fragment()
            sizes[block.text()[:20]] = fragment.charFormat().font().pointSizeF()
        block = block.next()
    return sizes


def test_zoom_enlarges_the_text_and_commands_not_only_the_headings(
        qtbot, make_library: MakeLibrary, open_window) -> None:  # type: ignore[no-untyped-def]
    window = open_window(make_library({"a.md": "# Title\n\n## Step 1\n\n### Check\n\n"
                                                "Some text.\n\n```bash\nkubectl get pods\n```\n"}),
                         start="a.md")
    qtbot.waitUntil(lambda: "Some text." in _text_sizes(window), timeout=10000)
    before = _text_sizes(window)
    # Headings stand above the text, biggest first.
    assert before["Title"] > before["Step 1"] > before["Check"] > before["Some text."]
    window.zoom_in_action.trigger()
    window.zoom_in_action.trigger()
    after = _text_sizes(window)
    assert window.settings.zoom == 2
    for what in ("Title", "Check", "Some text.", "kubectl get pods"):
        assert after[what] > before[what], what
    window.zoom_reset_action.trigger()
    assert _text_sizes(window) == before


def test_library_tree_opens_runbooks_by_keyboard(qtbot, open_window, library: Path) -> None:
    window = open_window(library)
    panel = window.library_panel
    qtbot.waitUntil(lambda: panel.matcher is not None, timeout=10000)  # the index is ready
    window.focus_library_action.trigger()
    qtbot.keyClicks(panel.filter, "connection pool")
    with qtbot.waitSignal(window.page_shown, timeout=10000):
        qtbot.keyClick(panel.filter, "\r")
    assert window.document.path == "db/pool.md"
    # Cleared, the filter gives the tree back: folders, each runbook under its title,
    # the page shown selected in its folder.
    panel.filter.clear()
    assert panel.tree.currentIndex().data(PATH_ROLE) == "db/pool.md"
    top = [panel.tree.model().index(row, 0).data() for row in range(panel.model.rowCount())]
    assert top[0] == "db" and "broken.md" in top  # folders first, then the runbooks
    db = panel.model.index_of("db/pool.md")
    assert db.data() != "pool.md" and db.data(PATH_ROLE) == "db/pool.md"


def test_outline_jumps_to_heading(qtbot, open_window, library: Path) -> None:
    window = open_window(library, start="db/pool.md")
    root = window.outline.topLevelItem(0)
    step2 = root.child(1)
    assert step2.text(0) == "Step 2: Restart"
    window.outline.itemClicked.emit(step2, 0)
    assert window.view.verticalScrollBar().value() > 0


def test_runbook_text_in_tooltips_and_labels_is_never_laid_out_as_html(
        open_window, make_library: MakeLibrary, tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.png")  # Qt's own loader would block on it for ever
    tag = f'<img src="{tmp_path / "pipe.png"}">'
    escaped = tag.replace("<", "&lt;").replace(">", "&gt;")  # text, once Markdown reads it
    root = make_library({"page.md": f"# {escaped} Disk full\n\n## {escaped} Step 1\n\nText.\n"})
    window = open_window(root, start="page.md")
    tips = [window.outline.topLevelItem(0).toolTip(0)]
    item = window.outline.topLevelItem(0)
    while item.childCount():
        item = item.child(0)
        tips.append(item.toolTip(0))
    assert tips and all(tag not in tip and "&lt;img" in tip for tip in tips)
    window.message_bar.show_message(f"{tag} could not be read")
    from PySide6.QtCore import Qt

    for label in (window.message_bar.label, window.status_label):
        assert label.textFormat() == Qt.TextFormat.PlainText


LONG_COMMAND = ("kubectl -n payments patch deployment api --type=json -p '[" +
                ",".join(f'{{"op":"replace","path":"/spec/template/spec/containers/0/env/{i}"'
                         f',"value":"v{i}"}}' for i in range(5)) + "]' --dry-run=server")


def test_a_long_command_never_makes_the_page_scroll_sideways_and_find_shows_the_match(
        qtbot, open_window, make_library: MakeLibrary) -> None:
    assert len(LONG_COMMAND) >= 400
    filler = "\n\n".join(f"Paragraph {i} before the command." for i in range(40))
    root = make_library({"wide.md": f"# Wide\n\n{filler}\n\n```bash\n{LONG_COMMAND}\n```\n\n"
                                    "| a | b |\n|---|---|\n| " + "x" * 300 + " | y |\n"})
    window = open_window(root, start="wide.md")
    window.resize(900, 700)
    view = window.view
    for zoom in (0, 3):
        view.set_zoom(zoom)
        # Qt lays a long page out in the background after a resize or zoom.
        qtbot.waitUntil(lambda: view.horizontalScrollBar().maximum() == 0, timeout=5000)
    assert window.document.code_blocks[0].copy_text == LONG_COMMAND  # copied whole
    window.find_action.trigger()
    qtbot.keyClicks(window.find_bar.field, "dry-run=server")
    cursor = view.textCursor()
    start, end = QTextCursor(cursor), QTextCursor(cursor)
    start.setPosition(cursor.selectionStart())
    end.setPosition(cursor.selectionEnd())
    area = view.viewport().rect()
    assert area.contains(view.cursorRect(start)) and area.contains(view.cursorRect(end))


def test_the_library_tree_leaves_out_folders_without_runbooks(
        qtbot, open_window, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    root = make_library({"db/pool.md": "# Pool\n", "cmd/server/main.go": "package main\n",
                         "img/diagram.png": b"\x89PNG\r\n\x1a\n", "deep/a/b/c.md": "# C\n"})
    window = open_window(root, start="db/pool.md")
    panel = window.library_panel
    qtbot.waitUntil(lambda: panel.matcher is not None, timeout=20000)  # the index is ready

    def top() -> list[str]:
        return [panel.model.index(row, 0).data() for row in range(panel.model.rowCount())]

    qtbot.waitUntil(lambda: top() == ["db", "deep"], timeout=5000)
    assert panel.model.index_of("deep/a/b/c.md").isValid()


def test_typing_on_the_page_starts_a_symptom_search(
        qtbot, open_window, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    window = open_window(make_library({
        "README.md": "# Team runbooks\n\n" + "Line.\n\n" * 80,
        "edge.md": "# Gateway\n\n**Symptoms:** 503 errors from the gateway\n"}))
    qtbot.waitUntil(lambda: window.triage_panel is not None, timeout=10000)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_PageDown)  # keys the page uses stay its own
    assert window.view.verticalScrollBar().value() > 0
    qtbot.keyClick(window.view, "5")  # the first letter moves the keyboard to the box
    assert QApplication.focusWidget() is window.triage_panel.filter
    qtbot.keyClicks(QApplication.focusWidget(), "03 err")
    assert window.triage_panel.filter.text() == "503 err"
    from tests.ui.test_triage_panel import items

    qtbot.waitUntil(lambda: [i.text(0) for i in items(window, "symptom", visible_only=True)]
                    == ["503 errors from the gateway"], timeout=15000)


def test_a_myst_reference_opens_its_target_on_another_page(qtbot, open_window,
                                                           make_library: MakeLibrary) -> None:
    root = make_library({
        "README.md": "# Common errors\n\nCheck [the proxy logs](#logs:proxy) first.\n",
        "logs.md": f"# Logs\n\n{FILLER}\n\n(logs:proxy)=\n## Proxy pod\n\n"
                   "```bash\nkubectl logs deploy/proxy\n```\n\n{FILLER}\n"})
    from viewer.core.library import Library
    from viewer.core.search import open_index
    from viewer.core.search.refresh import refresh_index

    library = Library(root)
    index = open_index(library)
    refresh_index(index, library)  # the labels of other pages come from the index
    index.close()
    window = open_window(root)
    assert '<a href="logs.md#logs:proxy">the proxy logs</a>' in window.document.body_html
    with qtbot.waitSignal(window.page_shown, timeout=10000):
        click_link(qtbot, window.view, "logs.md#logs:proxy")
    assert window.document.path == "logs.md"
    bar = window.view.verticalScrollBar()
    assert bar.value() > bar.maximum() // 4, "the page opens at the target, not at its top"


def test_a_picture_that_is_not_shown_never_blanks_the_page(qtbot) -> None:  # type: ignore[no-untyped-def]
    from viewer.ui.document_view import DocumentView

    view = DocumentView()
    qtbot.addWidget(view)
    view.resize(800, 600)
    # Given a width and no picture, Qt lays a null image out at minus 33 million pixels
    # high and paints nothing of the page.
    view.show_page('<h1>Title</h1><p align="center"><img src="gone.png" width="150"></p>'
                   "<p>The steps.</p>", QUrl.fromLocalFile("/library/"))
    view.show()
    qtbot.waitUntil(lambda: view.document().size().height() > 0, timeout=5000)
    assert 0 < view.document().size().height() < 2000
    assert "gone.png" in " ".join(view.blocked_resources)


def test_the_text_after_a_second_wide_picture_is_shown(qtbot) -> None:  # type: ignore[no-untyped-def]
    """ScyllaDB's compaction page has diagrams wider than the page: once they were scaled
    to fit, every paragraph after the second one was blank (Qt left those blocks
    unlaid-out), the steps among them."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QImage

    from viewer.ui.document_view import DocumentView

    wide, tall = QImage(1600, 773, QImage.Format.Format_RGB32), QImage(
        1000, 1053, QImage.Format.Format_RGB32)
    wide.fill(Qt.GlobalColor.yellow)
    tall.fill(Qt.GlobalColor.cyan)
    words = "".join(f"<p>Paragraph {i} with some words to show.</p>" for i in range(30))
    view = DocumentView()
    qtbot.addWidget(view)
    view.resize(580, 760)
    view.show()
    view.show_page(f"<h1>T</h1><img src='a.png' alt=''><p>mid</p>{words}<img src='b.png' "
                   f"alt=''><p>After the second picture.</p>{words.replace('Paragraph', 'Step')}",
                   QUrl.fromLocalFile("/library/page.md"), images={"a.png": wide, "b.png": tall})
    qtbot.wait(200)  # the layout settles
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.wait(50)
    shown = view.viewport().grab().toImage()
    ink = sum(QColor(shown.pixel(x, y)).lightness() < 100
              for x in range(0, shown.width(), 3) for y in range(0, shown.height(), 3))
    assert ink > 200, "the steps after the second picture are not painted"
