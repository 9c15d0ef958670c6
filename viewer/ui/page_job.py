"""What the render worker does for one page: read it through the gate, render, load pictures.

Runs off the UI thread. A runbook gone from the library is rendered from
the copy kept with its pin, with a notice saying so.
"""

from __future__ import annotations

import time

from viewer.core.document import Document, Problem
from viewer.core.library import Library
from viewer.core.rst_targets import LabelIndex
from viewer.core.start_page import OVERVIEW

PageResult = tuple[Document | Problem, str | None, dict]


def render_page(library: Library, labels: LabelIndex, rel_path: str,
                kept_copy: tuple[str, int] | None, pinned: bool, *,
                cached: bool = False) -> PageResult:
    """The page, its text when it is pinned (to keep a copy of), and its decoded pictures.

    With ``cached``, the page as rendered last time when its file is unchanged
    (:mod:`viewer.core.page_cache`): no parser is loaded for it.
    """
    from viewer.core import page_cache
    from viewer.core.start_page import overview_document

    if rel_path == OVERVIEW:
        return overview_document(library), None, {}
    if cached and not pinned and (kept := page_cache.cached_page(library, rel_path)):
        return kept, None, _read_pictures(library, kept)
    # Imported here, in the worker: the parsers load while the window is built.
    from viewer.core.rendering import read_runbook, render_decoded, render_text

    decoded = read_runbook(library, rel_path)
    if isinstance(decoded, Problem):
        if kept_copy is None or (library.root / rel_path).exists():
            return decoded, None, {}
        text, saved = kept_copy
        document = render_text(text, rel_path, library=library, labels=labels)
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(saved / 1e9))
        document.notices.insert(0, f"This runbook is no longer in the library. You are "
                                   f"reading the copy kept with your pin on {when}.")
        return document, None, _read_pictures(library, document)
    result = render_decoded(decoded, rel_path, library, labels=labels)
    if not isinstance(result, Document):
        return result, None, {}
    page_cache.keep_page(library, rel_path, result)
    return result, decoded.text if pinned else None, _read_pictures(library, result)


def _read_pictures(library: Library, document: Document) -> dict:
    """The page's pictures, read through the library's gate and decoded, on the worker thread;
    the page shows the alt text and path of each one that cannot be read."""
    if "<img" not in document.body_html.lower():
        return {}  # most runbooks; and the first page need not load the picture code
    from viewer.core.page_images import load_page_images, mark_refused
    from viewer.ui.document_view import decode_pictures

    found = load_page_images(library, document.path, document.body_html)
    pictures = decode_pictures(found.pictures)
    refused = dict(found.refused)
    refused.update({src: "not a picture this viewer can show" for src in found.pictures
                    if src not in pictures})
    document.body_html = mark_refused(document.body_html, refused)
    return pictures
