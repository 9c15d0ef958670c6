"""Break-glass export: one HTML file that refers to nothing outside itself, and a PDF."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, MakeLibrary
from viewer.core.document import Document
from viewer.core.library import Library
from viewer.core.rendering import render_file
from viewer.core.variables.values import SECRET_MASK

LONG_COMMAND = ('curl -H "Authorization: Bearer <token>" https://db-admin.internal/promote '
                "--data '{\"node\": \"<replica>\"}'")
FILES = {
    "db/failover.md": """\
        ---
        severity: P1
        owner: team-db
        last_reviewed: 2026-11-02
        variables:
          token:
            description: The admin API token
            secret: true
        ---
        # Fail over the primary

        ## Diagnosis

        Check replication first; see [the pool runbook](../app/pool.md#count-the-sessions)
        and the [vendor's notes](https://docs.example.com/failover). The
        [old procedure](../archive/old.md) is kept for reference. ![topology](topology.svg)

        ```sh
        LONG_COMMAND
        ```

        ## Mitigation

        Promote the replica, then go back to [Diagnosis](#diagnosis).

        ```sh
        pg_ctl promote -D /var/lib/postgresql/data
        ```
        """,
    "db/topology.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                       '<rect width="10" height="10" fill="red"/></svg>',
    "app/pool.md": """\
        # Connection pool exhausted

        ## Count the sessions

        ```sql
        SELECT count(*) FROM pg_stat_activity;
        ```

        Then read [the failover runbook](../db/failover.md).
        """,
    "archive/old.md": "# Old failover\n\nDo not use this any more, it predates the cluster.\n",
}
FILES["db/failover.md"] = FILES["db/failover.md"].replace("LONG_COMMAND", LONG_COMMAND)
SECRET = "hunter2-very-secret-token"


def _export(library: Path, *args: str, env_home: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(env_home), "QT_QPA_PLATFORM": "offscreen",
           "XDG_DATA_HOME": str(env_home / "data"), "XDG_CONFIG_HOME": str(env_home / "cfg"),
           "XDG_CACHE_HOME": str(env_home / "cache"), "XDG_STATE_HOME": str(env_home / "state")}
    return subprocess.run([sys.executable, "-m", "viewer", "export", "--library", str(library),
                           *args], cwd=REPO, capture_output=True, text=True, env=env,
                          timeout=120)


@pytest.fixture
def exported(make_library: MakeLibrary, tmp_path: Path) -> tuple[Path, str]:
    root = make_library(FILES)
    out = tmp_path / "copy.html"
    done = _export(root, "db/failover.md", "app/pool.md", "-o", str(out), "--set",
                   f"token={SECRET}", "--set", "replica=db-2", env_home=tmp_path / "home")
    assert done.returncode == 0, done.stderr
    return root, out.read_text(encoding="utf-8")


def test_nothing_in_the_file_is_fetched_from_anywhere(exported: tuple[Path, str]) -> None:
    _root, page = exported
    sources = re.findall(r'\bsrc="([^"]*)"', page)
    assert sources and all(s.startswith("data:image/") for s in sources), sources
    outbound = {h for h in re.findall(r'\bhref="([^"]*)"', page)
                if h.lower().startswith(("http:", "https:", "file:"))}
    assert outbound == {"https://docs.example.com/failover"}, "only the runbook's own link"
    assert "<link" not in page and "@import" not in page and "url(" not in page


def test_every_in_file_link_has_exactly_one_target(exported: tuple[Path, str]) -> None:
    _root, page = exported
    ids = re.findall(r'\bid="([^"]*)"', page)
    targets = re.findall(r'\bhref="#([^"]*)"', page)
    assert targets
    for target in targets:
        assert ids.count(target) == 1, target
    assert 'href="#r2-count-the-sessions"' in page, "x.md#sec leads to that section here"
    assert 'href="#r1-diagnosis"' in page
    assert "Old failover" not in page
    assert "not in this export: ../archive/old.md" in page


def test_commands_are_byte_identical_and_secrets_never_appear(
        exported: tuple[Path, str]) -> None:
    root, page = exported
    assert SECRET not in page
    blocks = [html.unescape(re.sub(r"<[^>]+>", "", b))
              for b in re.findall(r'<pre class="code">(.*?)</pre>', page, re.S)]
    library = Library(root)
    expected = []
    for rel in ("db/failover.md", "app/pool.md"):
        document = render_file(library, rel)
        assert isinstance(document, Document)
        expected += [block.text.rstrip("\n") for block in document.code_blocks]
    assert SECRET_MASK in blocks[0], "a secret's value is masked, as on screen"
    filled = [b.replace("db-2", "<replica>").replace(SECRET_MASK, "<token>") for b in blocks]
    assert filled == expected
    assert "db-2" in blocks[0], "a value given with --set fills its placeholder"


def test_the_cover_says_when_and_that_it_may_be_stale(exported: tuple[Path, str]) -> None:
    _root, page = exported
    assert "may be stale" in page and "Exported 20" in page
    assert "team-db" in page and "reviewed 2026-11-02" in page
    assert "prefers-color-scheme: dark" in page
    assert '<input id="search"' in page and " hidden" in page, \
        "the search box appears only when scripts run"


@pytest.mark.gui
def test_the_app_s_own_view_shows_the_first_runbook(qtbot, exported) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QUrl

    from viewer.ui.document_view import DocumentView

    _root, page = exported
    view = DocumentView()
    qtbot.addWidget(view)
    view.show_page(page, QUrl())
    text = view.toPlainText()
    assert "Fail over the primary" in text and "pg_ctl promote" in text
    assert text.index("Contents") < text.index("Promote the replica")


def test_the_pdf_lists_every_runbook_and_its_commands_can_be_read_back(
        make_library: MakeLibrary, tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    root = make_library(FILES)
    out = tmp_path / "copy.pdf"
    done = _export(root, "--all", "-o", str(out), "--set", f"token={SECRET}",
                   env_home=tmp_path / "home")
    assert done.returncode == 0, done.stderr
    reader = pypdf.PdfReader(str(out))

    def squashed(text: str) -> str:  # PDF text comes back with its own spacing (tabs, breaks)
        return re.sub(r"\s+", "", text)

    first = squashed(reader.pages[0].extract_text())
    for title in ("Fail over the primary", "Connection pool exhausted", "Old failover"):
        assert squashed(title) in first, f"the contents list {title}"
    everything = "\n".join(p.extract_text() for p in reader.pages)
    assert squashed("pg_ctl promote -D /var/lib/postgresql/data") in squashed(everything)
    assert squashed("SELECT count(*) FROM pg_stat_activity;") in squashed(everything)
    assert SECRET not in squashed(everything)
    assert "\u21a9" in everything, "the long curl line wraps with a mark"
    assert re.search(r"page\s*1\b", everything) and re.search(r"page\s*3\b", everything), \
        "page numbers"
    assert len(reader.pages) >= 4, "the cover, then each runbook on its own page"
    destinations = set(reader.named_destinations)
    assert {"r1", "r2", "r3", "r3-mitigation"} <= destinations
    links = {a.get_object().get("/Dest") for a in reader.pages[0].get("/Annots", [])}
    assert {"r1", "r2", "r3"} <= links, "the contents are linked to each runbook"
    contents = re.sub(r"\s+", " ", reader.pages[0].extract_text())
    starts = [int(n) for n in re.findall(r"page (\d+)", contents.split("Contents", 1)[1])]
    titles = ["Connection pool exhausted", "Old failover", "Fail over the primary"]  # by path
    assert len(starts) == len(titles), "the contents give each runbook's first page"
    for title, start in zip(titles, starts, strict=True):
        assert squashed(title) in squashed(reader.pages[start - 1].extract_text())


def test_pins_are_the_default_and_nothing_pinned_says_what_to_do(
        make_library: MakeLibrary, tmp_path: Path) -> None:
    root = make_library(FILES)
    home = tmp_path / "home"
    none = _export(root, "-o", str(tmp_path / "x.html"), env_home=home)
    assert none.returncode == 1 and "nothing is pinned" in none.stderr
    assert not (tmp_path / "x.html").exists()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
           "XDG_CONFIG_HOME": str(home / "cfg"), "XDG_CACHE_HOME": str(home / "cache"),
           "XDG_STATE_HOME": str(home / "state")}
    subprocess.run([sys.executable, "-m", "viewer", "pins", "add", "app/pool.md", "--library",
                    str(root)], cwd=REPO, env=env, check=True, capture_output=True)
    done = _export(root, "-o", str(tmp_path / "x.html"), env_home=home)
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "x.html").read_text(encoding="utf-8")
    assert "Connection pool exhausted" in page and "Fail over the primary" not in page
    assert json.dumps("1 runbook")[1:-1] in done.stderr


def test_worker_processes_render_the_same_book(make_library: MakeLibrary,
                                               monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import viewer.export.book as book_module
    from viewer.export.book import make_book

    library = Library(make_library(FILES))
    paths = ["db/failover.md", "app/pool.md", "archive/old.md"]
    alone = make_book(library, paths, workers=1)
    monkeypatch.setattr(book_module, "PARALLEL_FROM", 1)
    shared = make_book(library, paths, workers=2)
    assert [(c.number, c.path, c.title, c.body, c.owners) for c in shared.chapters] == \
        [(c.number, c.path, c.title, c.body, c.owners) for c in alone.chapters]


def test_a_myst_reference_to_another_runbook_is_titled_in_the_book(
        make_library: MakeLibrary) -> None:
    from viewer.core.search import open_index
    from viewer.core.search.refresh import refresh_index
    from viewer.export.book import make_book

    library = Library(make_library({
        "errors.md": "# Errors\n\n```{note}\nRead [](#logs:hub) first.\n```\n",
        "logs.md": "(logs:hub)=\n# Hub logs\n\nText.\n"}))
    index = open_index(library)
    refresh_index(index, library)
    index.close()
    book = make_book(library, ["errors.md", "logs.md"], workers=1)
    errors = book.chapter_of("errors.md")
    assert errors is not None and "Hub logs" in errors.body and "logs:hub" not in \
        re.sub(r'(?:href|id)="[^"]*"', "", errors.body)
