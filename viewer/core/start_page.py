"""Which page a library opens on, and the overview it opens on when it has no index page.

A folder's own front page first (README, index), then a wiki's ``Home.md`` and the
documentation's index where generators keep it (``docs/index.md``, Sphinx's
``source/index.rst``, the first page of an ``mkdocs.yml`` nav, Hugo's
``content/_index.md``). Without one, an overview of the library's top
folders, built from one directory listing: never an arbitrary file (a 6 MB
log that happens to sort first), and nothing proportional to the library.
"""

from __future__ import annotations

import html
import os
import posixpath
import re

from viewer.core.document import Block, Document, Heading
from viewer.core.library import (
    FOLDER_PAGES,
    IGNORED_DIRS,
    Library,
    OutsideLibrary,
    is_runbook_name,
)
from viewer.core.textio import UnreadableFile

# Home.md: a GitHub wiki's front page (a wiki is a git repository of its own).
DOC_INDEXES = ("Home.md", "docs/index.md", "docs/README.md", "docs/index.rst", "source/index.rst",
               "docs/source/index.rst", "doc/index.rst", "doc/source/index.rst",
               "content/_index.md", "content/en/_index.md", "content/docs/_index.md")
OVERVIEW = "\u2302 overview"  # not a file name any library has: the generated overview
_NAV_PAGE = re.compile(r"""^\s*-\s*(?:["']?[^:\n]*["']?\s*:\s*)?["']?([\w./ -]+\.md)["']?\s*$""",
                       re.M)
_DOCS_DIR = re.compile(r"""^docs_dir\s*:\s*["']?([\w./-]+)["']?\s*$""", re.M)


def start_page(library: Library, folders: tuple[str, ...] = ("",)) -> str:
    """The page to open first: a front page, the documentation's index, else the overview."""
    for folder in folders:
        for name in FOLDER_PAGES:
            rel = f"{folder}/{name}" if folder else name
            if _is_page(library, rel):
                return rel
    for rel in (*DOC_INDEXES, _mkdocs_first_page(library)):
        if rel and _is_page(library, rel):
            return rel
    return OVERVIEW


def _is_page(library: Library, rel: str) -> bool:
    try:
        return library.resolve(rel).is_file()
    except (OutsideLibrary, OSError):
        return False


def _mkdocs_first_page(library: Library) -> str:
    """The first page of ``mkdocs.yml``'s nav, read as text (its tags need MkDocs)."""
    for name in ("mkdocs.yml", "mkdocs.yaml"):
        try:
            text = library.read_text(name, max_bytes=256 * 1024).text
        except (OutsideLibrary, UnreadableFile):
            continue
        docs = _DOCS_DIR.search(text)
        nav = text.split("\nnav:", 1)
        if len(nav) < 2:
            return ""
        page = _NAV_PAGE.search(nav[1])
        if page:
            return posixpath.join(docs.group(1) if docs else "docs", page.group(1).strip())
    return ""


def overview_document(library: Library) -> Document:
    """The library's top folders and runbooks, each linked to its front page."""
    folders: list[tuple[str, str]] = []
    pages: list[str] = []
    try:
        with os.scandir(library.root) as listing:
            entries = sorted(listing, key=lambda e: e.name.lower())
    except OSError:
        entries = []
    for entry in entries:
        if entry.name.startswith(".") or entry.name in IGNORED_DIRS:
            continue
        try:
            is_dir = entry.is_dir(follow_symlinks=library.is_union)
        except OSError:
            continue
        if is_dir:
            front = next((f"{entry.name}/{n}" for n in FOLDER_PAGES
                          if _is_page(library, f"{entry.name}/{n}")), "")
            folders.append((entry.name, front))
        elif is_runbook_name(entry.name) and entry.is_file(follow_symlinks=False):
            pages.append(entry.name)
    parts = [f"<h1 id=\"overview\">{html.escape(library.name)}</h1>\n",
             "<p>This library has no front page (README or index). Its folders and "
             "runbooks are listed here; the Library tab (Ctrl+Shift+L) shows them all, "
             "and Search (Ctrl+K) finds any of them.</p>\n"]
    if folders:
        parts.append('<h2 id="folders">Folders</h2>\n<ul>\n')
        for name, front in folders:
            link = (f'<a href="{html.escape(front)}">{html.escape(name)}</a>' if front
                    else html.escape(name))
            parts.append(f"<li>{link}</li>\n")
        parts.append("</ul>\n")
    if pages:
        parts.append('<h2 id="runbooks">Runbooks</h2>\n<ul>\n')
        parts += [f'<li><a href="{html.escape(p)}">{html.escape(p)}</a></li>\n'
                  for p in pages[:200]]
        parts.append("</ul>\n")
    headings = [Heading(1, library.name, "overview")]
    return Document(path=OVERVIEW, markup="markdown", title=f"{library.name}: overview",
                    body_html="".join(parts), headings=headings,
                    blocks=[Block("heading", library.name, 1, "overview")])
