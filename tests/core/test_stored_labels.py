"""`:ref:` in a big library: the page looks its labels up in the index instead of every file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import MakeLibrary
from viewer.core import rst_targets
from viewer.core.document import Document
from viewer.core.library import Library
from viewer.core.rendering import render_file
from viewer.core.search import library_labels, open_index
from viewer.core.search.refresh import refresh_index

FILES = {
    "index.rst": "Index\n=====\n\nSee :ref:`db-pool`, :ref:`the pool <db-pool>`, "
                 ":ref:`disk-full` and :ref:`nowhere`.\n\n.. _here:\n\nHere\n----\n\n"
                 "Back to :ref:`here`.\n",
    "ops/issues.rst": ".. _db-pool:\n\nPool Exhausted\n--------------\n\nText.\n",
    "ops/storage.rst": "Storage\n=======\n\n.. _disk-full:\n\nDisk full\n---------\n\nText.\n",
    "ops/later.rst": ".. _db-pool:\n\nA later duplicate\n-----------------\n\nText.\n",
    "notes.md": "# Notes\n\nMarkdown has no labels.\n",
}


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files whose labels were scanned: the page being rendered always reads its own."""
    read: list[str] = []
    real = rst_targets.scan_labels

    def counted(text: str, path: str):  # type: ignore[no-untyped-def]
        read.append(path)
        return real(text, path)

    monkeypatch.setattr(rst_targets, "scan_labels", counted)
    return read


def _render(library: Library, rel: str, **kwargs: bool) -> str:
    doc = render_file(library, rel, labels=library_labels(library, **kwargs))
    assert isinstance(doc, Document), doc
    return doc.body_html


def _indexed(root: Path) -> Library:
    library = Library(root)
    index = open_index(library)
    refresh_index(index, library)
    index.close()
    return library


def test_refs_resolve_from_the_index_without_reading_other_files(
        make_library: MakeLibrary, scans: list[str]) -> None:
    library = _indexed(make_library(FILES))
    scans.clear()
    html = _render(library, "index.rst")
    assert 'href="ops/issues.rst#db-pool">Pool Exhausted</a>' in html  # first path wins
    assert 'href="ops/issues.rst#db-pool">the pool</a>' in html
    assert 'href="ops/storage.rst#disk-full">Disk full</a>' in html
    assert 'href="#here">Here</a>' in html  # the page's own label
    assert 'class="unresolved"' in html and "nowhere" in html
    assert [path for path in scans if path != "index.rst"] == []


def test_the_index_answers_as_the_scan_does(make_library: MakeLibrary) -> None:
    library = _indexed(make_library(FILES))
    from viewer.core.rst_targets import LabelIndex

    scanned = render_file(library, "index.rst", labels=LabelIndex(library))
    assert isinstance(scanned, Document)
    assert _render(library, "index.rst") == scanned.body_html


def test_a_library_never_fully_indexed_is_scanned(make_library: MakeLibrary,
                                                   scans: list[str]) -> None:
    library = Library(make_library(FILES))
    html = _render(library, "index.rst")
    assert 'href="ops/storage.rst#disk-full">Disk full</a>' in html
    assert "ops/storage.rst" in scans


def test_a_label_moved_since_the_index_was_checked(make_library: MakeLibrary,
                                                   scans: list[str]) -> None:
    root = make_library(FILES)
    library = _indexed(root)
    storage = root / "ops" / "storage.rst"
    storage.write_text("Storage\n=======\n\n.. _disk-full:\n\nVolume full\n-----------\n\nText.\n",
                       encoding="utf-8")
    stat = storage.stat()
    os.utime(storage, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    # A command checks the files on disk first: changed, so it reads them.
    assert 'href="ops/storage.rst#disk-full">Volume full</a>' in _render(
        library, "index.rst", check_disk=True)
    # Once the index took the change in, the index answers again.
    refresh_index(open_index(library), library)
    scans.clear()
    assert 'href="ops/storage.rst#disk-full">Volume full</a>' in _render(
        library, "index.rst", check_disk=True)
    assert [path for path in scans if path != "index.rst"] == []


def test_a_removed_runbook_takes_its_labels_with_it(make_library: MakeLibrary) -> None:
    root = make_library(FILES)
    library = _indexed(root)
    (root / "ops" / "storage.rst").unlink()
    refresh_index(open_index(library), library)
    html = _render(library, "index.rst")
    assert "storage.rst" not in html
    assert 'class="unresolved"' in html and "disk-full" in html


MYST_FILES = {
    "howto/logs.md": "(logs:hub)=\n# Hub logs\n\n```{tip}\n(logs:tip)=\nExport the names first.\n"
                     "```\n\n```{code-block} bash\n:name: logs:command\nkubectl logs hub\n```\n",
    "howto/errors.md": "# Errors\n\n(errors:here)=\n## Seen here\n\nRead [](#logs:hub), "
                       "[the logs](#logs:hub), {ref}`logs:tip`, [the command](#logs:command), "
                       "[](#errors:here), [](#nowhere) and [](../guide/disk-size.md).\n",
    # A page of plain Markdown in the same project refers to a target as well.
    "howto/plain.md": "# Plain\n\nSee [the hub's logs](#logs:hub) and [top](#plain).\n",
}


def test_myst_references_open_their_target_on_another_page(make_library: MakeLibrary) -> None:
    library = _indexed(make_library(MYST_FILES))
    errors = _render(library, "howto/errors.md")
    assert '<a href="logs.md#logs:hub">Hub logs</a>' in errors  # titled by its heading
    assert '<a href="logs.md#logs:hub">the logs</a>' in errors
    assert '<a href="logs.md#logs:tip">logs:tip</a>' in errors  # in a box: no heading
    assert '<a href="logs.md#logs:command">the command</a>' in errors
    assert '<a href="#errors:here">Seen here</a>' in errors
    assert '<a href="#nowhere">nowhere</a>' in errors  # never a link without words
    assert '<a href="../guide/disk-size.md">disk size</a>' in errors
    # The targets are anchors on their page; the heading keeps its own id.
    logs = _render(library, "howto/logs.md")
    assert '<h1 id="hub-logs"><span id="logs:hub"></span>Hub logs</h1>' in logs
    assert 'id="logs:tip"' in logs and 'id="logs:command"' in logs
    plain = _render(library, "howto/plain.md")
    assert "<a href=\"logs.md#logs:hub\">the hub's logs</a>" in plain
    assert '<a href="#plain">top</a>' in plain  # a link on the page stays on the page


def test_a_watched_library_opens_the_index_s_labels_once_until_files_change(
        make_library: MakeLibrary) -> None:
    library = _indexed(make_library(FILES))
    labels = library_labels(library)
    opened: list[int] = []
    read_from_index = labels.stored
    assert read_from_index is not None
    labels.stored = lambda: opened.append(1) or read_from_index()
    labels.watched = True  # the window, with its folder watcher running
    for _ in range(3):
        assert "Pool Exhausted" in _render_with(library, labels, "index.rst")
    assert len(opened) == 1
    labels.mark_stale()  # files changed: the index is asked again
    assert "Pool Exhausted" in _render_with(library, labels, "index.rst")
    assert len(opened) == 2


def _render_with(library: Library, labels: rst_targets.LabelIndex, rel: str) -> str:
    doc = render_file(library, rel, labels=labels)
    assert isinstance(doc, Document), doc
    return doc.body_html
