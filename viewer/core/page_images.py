"""The pictures a rendered page shows, read through the library's gate before it is displayed.

The window's page view never reads a file itself: the render worker calls
:func:`load_page_images` with the page's HTML, every ``<img src>`` in it is
resolved against the runbook's folder by :meth:`Library.read_bytes` (inside
the root, regular files only, a size limit, no waiting on a FIFO), SVGs are
stripped of external references, and the view is handed the bytes. Whatever
is not in the result is not shown.
"""

from __future__ import annotations

import base64
import binascii
import html
import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from viewer.core.library import MIDDLEMAN_SUFFIXES, Library, OutsideLibrary
from viewer.core.links import has_scheme
from viewer.core.render.sanitize import blocked_image_html
from viewer.core.render.svg_safe import UnsafeSvg, safe_svg
from viewer.core.textio import UnreadableFile

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_PAGE_IMAGE_BYTES = 40 * 1024 * 1024  # all of one page's pictures together
MAX_IMAGES = 200
_IMG_SRC = re.compile(r"<img\b[^>]*?\bsrc=\"([^\"]*)\"", re.I)
_IMG_TAG = re.compile(r"<img\b[^>]*?\bsrc=\"([^\"]*)\"[^>]*>", re.I)
_ALT = re.compile(r"\balt=\"([^\"]*)\"", re.I)
_DATA_IMAGE = re.compile(r"^data:image/([a-z+.\-]+);base64,(.*)$", re.I | re.S)


@dataclass
class PageImages:
    """Bytes of each picture by the ``src`` the page wrote, and why others were left out."""

    pictures: dict[str, bytes] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)  # src -> reason


def mark_refused(body_html: str, refused: dict[str, str]) -> str:
    """``body_html`` with each picture that could not be read shown as its alt text and path,
    in the style of a remote picture that is not fetched, rather than a broken-image icon."""
    if not refused:
        return body_html

    def replace(match: re.Match[str]) -> str:
        src = html.unescape(match.group(1))
        if src not in refused:
            return match.group(0)
        alt = _ALT.search(match.group(0))
        text = html.unescape(alt.group(1)) if alt else ""
        return blocked_image_html(src, text or src, refused[src])

    return _IMG_TAG.sub(replace, body_html)


def site_picture_paths(library: Library, doc_path: str, path: str) -> list[str]:
    """Where a picture its page's folder does not hold is read from, in order.

    A "/x.png": where the page's site serves its root (Sphinx's source folder, conf.py's;
    a Jekyll site's own, _config.yml's), a Hugo site's ``static`` folder (beside its
    ``content``: dapr's "/images/x.png" is daprdocs/static/images), then the usual site
    folders at the library's top (a Middleman site's ``source``), as its links are read.
    A "../x.png" on a Middleman or Hugo site's page: from the page's published address, a
    folder of its own (GOV.UK's template shows ``adr/ADR004.html.md`` at ``/adr/ADR004/``,
    so its ``../images/x.jpg`` is ``adr/images/x.jpg``).
    """
    from viewer.core.jekyll_site import site_root
    from viewer.core.links import SITE_ROOTS, page_address, site_content_roots
    from viewer.core.sphinx_project import sphinx_root

    if path.startswith("../"):
        if not (doc_path.lower().endswith(MIDDLEMAN_SUFFIXES) or site_content_roots(doc_path)):
            return []  # a git host reads it from the page's folder, and so does the checker
        return [posixpath.normpath(posixpath.join(page_address(doc_path), path))]
    if not path.startswith("/"):
        return []
    root = sphinx_root(library, doc_path) or site_root(library, doc_path)
    if root:
        return [f"{root}{path}"]
    content = site_content_roots(doc_path)
    found = [posixpath.join(posixpath.dirname(content[-1]), "static", path.lstrip("/"))] \
        if content else []
    return found + [posixpath.join(folder, path.lstrip("/")) for folder in SITE_ROOTS]


def site_picture(library: Library, doc_path: str, path: str) -> str | None:
    """The first of :func:`site_picture_paths` that is a file of the library, or None."""
    for candidate in site_picture_paths(library, doc_path, path):
        if candidate.startswith("../"):
            continue  # above the library's root: never
        try:
            if library.resolve(candidate).is_file():
                return candidate
        except (OutsideLibrary, OSError):
            continue
    return None


def image_sources(body_html: str) -> list[str]:
    """Every distinct ``<img src>`` of a page, as the page's HTML writes it (unescaped)."""
    return list(dict.fromkeys(html.unescape(src) for src in _IMG_SRC.findall(body_html)))


def load_page_images(library: Library | None, doc_path: str, body_html: str) -> PageImages:
    """Read the pictures of the page at ``doc_path``; never raises for bad input."""
    found = PageImages()
    budget = MAX_PAGE_IMAGE_BYTES
    for number, src in enumerate(image_sources(body_html)):
        if number >= MAX_IMAGES:
            found.refused[src] = f"more than {MAX_IMAGES} pictures on one page"
            continue
        try:
            data = _read_one(library, doc_path, src)
        except (OutsideLibrary, UnreadableFile, UnsafeSvg) as err:
            found.refused[src] = str(err)
            continue
        if len(data) > budget:
            found.refused[src] = "the page's pictures together are too large"
            continue
        budget -= len(data)
        found.pictures[src] = data
    return found


def _read_one(library: Library | None, doc_path: str, src: str) -> bytes:
    inlined = _DATA_IMAGE.match(src)
    if inlined:
        try:
            data = base64.b64decode(inlined.group(2), validate=False)
        except (binascii.Error, ValueError):
            raise UnreadableFile("the inlined picture is not valid base64") from None
        if len(data) > MAX_IMAGE_BYTES:
            raise UnreadableFile("the inlined picture is too large")
        return safe_svg(data) if "svg" in inlined.group(1).lower() else data
    if has_scheme(src) or library is None:
        raise OutsideLibrary(f"{src} is not a file of this library; not loaded")
    path = unquote(src.split("#", 1)[0].split("?", 1)[0])
    if not path:
        raise UnreadableFile("the picture has no file name")
    try:
        data, _mtime = library.read_bytes(path, base=doc_path, max_bytes=MAX_IMAGE_BYTES)
    except UnreadableFile:
        found = site_picture(library, doc_path, path)
        if found is None:
            raise
        data = library.read_bytes(found, max_bytes=MAX_IMAGE_BYTES)[0]
    if path.lower().endswith((".svg", ".svgz")) or data[:2048].lstrip().startswith(b"<"):
        # Raster formats never start with "<"; Qt would read any XML picture as SVG.
        return safe_svg(data)
    return data
