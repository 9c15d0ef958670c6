"""The page a session opens on is kept rendered, and never shown stale."""

from __future__ import annotations

import os

from tests.conftest import MakeLibrary
from viewer.core import page_cache
from viewer.core.library import Library
from viewer.core.render.budget import plain_document
from viewer.core.rendering import render_file

PAGE = "Disk full\n=========\n\nFree space\n----------\n\n.. code-block:: bash\n\n   df -h\n"


def test_a_kept_page_comes_back_only_while_its_file_is_unchanged(
        make_library: MakeLibrary) -> None:
    library = Library(make_library({"disk.rst": PAGE}))
    document = render_file(library, "disk.rst")
    page_cache.keep_page(library, "disk.rst", document)
    kept = page_cache.cached_page(library, "disk.rst")
    assert kept is not None and kept.body_html == document.body_html
    assert [h.text for h in kept.headings] == ["Disk full", "Free space"]
    path = library.root / "disk.rst"
    path.write_text(PAGE.replace("df -h", "du -sh /var"))
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert page_cache.cached_page(library, "disk.rst") is None


def test_a_page_shown_as_plain_text_is_not_kept(make_library: MakeLibrary) -> None:
    library = Library(make_library({"slow.rst": PAGE}))
    fallback = plain_document(PAGE, "slow.rst", "rst", "slow.rst takes too long to lay out")
    page_cache.keep_page(library, "slow.rst", fallback)
    assert page_cache.cached_page(library, "slow.rst") is None


def test_a_damaged_entry_is_dropped_and_the_page_rendered_anew(
        make_library: MakeLibrary) -> None:
    library = Library(make_library({"disk.rst": PAGE}))
    page_cache.keep_page(library, "disk.rst", render_file(library, "disk.rst"))
    [entry] = page_cache.cache_folder().iterdir()
    entry.write_bytes(b"not a page")
    assert page_cache.cached_page(library, "disk.rst") is None
    assert not entry.exists()


def test_only_the_last_pages_are_kept(make_library: MakeLibrary) -> None:
    files = {f"p{i}.md": f"# Page {i}\n" for i in range(page_cache.KEEP + 5)}
    library = Library(make_library(files))
    for rel in files:
        page_cache.keep_page(library, rel, render_file(library, rel))
    assert len(list(page_cache.cache_folder().iterdir())) == page_cache.KEEP


def test_the_highlight_styles_are_kept_text(tmp_path) -> None:  # type: ignore[no-untyped-def]
    made = []
    first = page_cache.kept_text("x.css", lambda: made.append(1) or ".hl-k { color: red }")
    again = page_cache.kept_text("x.css", lambda: made.append(1) or "other")
    assert first == again == ".hl-k { color: red }" and made == [1]
