"""A section's own page with nothing on it lists the section's pages, as its site would.

Hugo sections and Docsy sites keep a folder's page (``_index.md``) for its
front matter alone (dapr's docs have 44, prometheus-operator's runbooks one per
component): the site shows such a page as a list of what the folder holds, and
a blank page in its place tells the reader nothing. The list is built from the
library's own listing (the same rule as the Library tab: nothing outside the
root, hidden names left out) and only for the window's page, never the index.
"""

from __future__ import annotations

import html
import posixpath

from viewer.core.library import FOLDER_PAGES, Library, OutsideLibrary, peek_title
from viewer.core.links import relative_href

MAX_LISTED = 200  # a folder of thousands of pages lists the first 200 and says so


def is_section_page(path: str) -> bool:
    return posixpath.basename(path) in FOLDER_PAGES


def section_listing_html(library: Library, path: str) -> str:
    """The HTML list of the folders and pages beside ``path`` ("" when there are none).

    Titles are read only for the pages listed: a folder of thousands costs MAX_LISTED
    reads of a file's first few KB, whatever its size.
    """
    folder = posixpath.dirname(path)
    dirs, files = library.list_folder(folder)
    entries = [*dirs, *(f for f in files if f.rel_path != path and not f.problem)]
    if not entries:
        return ""
    items = [_item(path, entry.rel_path + "/", entry.name + "/") if entry.is_dir
             else _item(path, entry.rel_path, _title(library, entry.rel_path) or entry.name)
             for entry in entries[:MAX_LISTED]]
    more = len(entries) - MAX_LISTED
    shown = "".join(items)
    tail = f"<p>… and {more} more (the Library tab lists them all).</p>" if more > 0 else ""
    return ('<p class="section-note"><em>This section\'s page has no text of its own. '
            "In this section:</em></p>\n" f"<ul>{shown}</ul>\n{tail}")


def _title(library: Library, rel: str) -> str:
    try:
        return peek_title(library.resolve(rel))
    except OutsideLibrary:
        return ""


def _item(page: str, target: str, label: str) -> str:
    href = relative_href(page, target.rstrip("/")) + ("/" if target.endswith("/") else "")
    return f'<li><a href="{html.escape(href)}">{html.escape(label)}</a></li>'
