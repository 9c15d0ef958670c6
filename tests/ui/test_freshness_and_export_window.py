"""Freshness under the title, the overdue mark in results, and File > Export in the window."""

from __future__ import annotations

from tests.conftest import MakeLibrary
from tests.ui.test_search_window import ready, result_paths, search

FILES = {
    "CODEOWNERS": "*.md @acme/sre\n",
    "runbook-viewer.toml": "[freshness]\nreview_interval_days = 90\n",
    "cdn.md": "---\nlast_reviewed: 2020-01-05\nreviewed_by: '@alice'\n---\n"
              "# Clear the CDN cache\n\nPurge the affected paths from the CDN console.\n",
    "dns.md": "# Flush the DNS cache\n\nFlush the resolver cache on each node, one zone "
              "at a time, then purge nothing from the CDN.\n",
}


def test_the_page_shows_who_reviewed_it_when_and_that_its_review_is_overdue(
        qtbot, open_window, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    window = open_window(make_library(FILES), start="cdn.md")
    qtbot.waitUntil(lambda: "Reviewed" in window.view.toPlainText(), timeout=10000)
    text = window.view.toPlainText()
    title_at, line_at = text.index("Clear the CDN cache"), text.index("Reviewed ")
    assert title_at < line_at < text.index("Purge the affected paths"), "under the title"
    line = text[line_at:].splitlines()[0]
    assert line.startswith("Reviewed ") and "by @alice" in line
    assert "owner: @acme/sre" in line and "review overdue since 2020-04-04" in line

    window.open("dns.md")
    qtbot.waitUntil(lambda: window.history.current.path == "dns.md", timeout=10000)
    qtbot.wait(300)
    assert "Reviewed" not in window.view.toPlainText(), "no line where nothing is known"


def test_search_results_mark_an_overdue_runbook_without_moving_it(
        qtbot, open_window, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    window = open_window(make_library(FILES), start="dns.md")
    ready(qtbot, window)
    search(qtbot, window, "cdn", lambda paths: set(paths) == {"cdn.md", "dns.md"})
    panel = window.search_panel
    texts = dict(zip(result_paths(window),
                     (panel.results.item(i).text() for i in range(panel.results.count())),
                     strict=True))
    assert "review overdue" in texts["cdn.md"]
    assert "review overdue" not in texts["dns.md"]


def test_file_export_writes_the_pins_as_one_html_file(
        qtbot, open_window, make_library: MakeLibrary, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from viewer.ui.export_dialog import ExportDialog

    window = open_window(make_library(FILES), start="dns.md")
    qtbot.waitUntil(lambda: window.pins.store is not None, timeout=10000)
    window.toggle_pin()
    dialog = ExportDialog(window)
    qtbot.addWidget(dialog)
    assert dialog.pins.isChecked(), "the pins are chosen by default"
    target = tmp_path / "copy.html"
    dialog.path.setText(str(target))
    dialog.export_button.click()
    qtbot.waitUntil(target.exists, timeout=15000)
    page = target.read_text(encoding="utf-8")
    assert "Flush the DNS cache" in page and "Clear the CDN cache" not in page
    assert "may be stale" in page


def test_the_export_dialog_offers_the_librarys_tags_once_read(
        qtbot, open_window, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    from viewer.ui.export_dialog import ExportDialog

    files = {"db.md": "---\ntags: [database, postgres]\n---\n# Pool\n",
             "edge.md": "---\ntags: [edge]\n---\n# Gateway\n"}
    window = open_window(make_library(files))
    qtbot.waitUntil(lambda: window.keeper is not None and window.keeper.ready, timeout=20000)
    dialog = ExportDialog(window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.tag.isEnabled(), timeout=10000)
    assert [dialog.tag.itemText(i) for i in range(dialog.tag.count())] == [
        "database", "edge", "postgres"]
    assert dialog.tagged.isEnabled()
