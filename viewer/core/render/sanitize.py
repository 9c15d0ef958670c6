"""Reducing rendered HTML to a safe subset (nh3, a binding of the Rust `ammonia` cleaner).

Runbook repositories are untrusted. Whatever raw HTML an author wrote, the
page keeps only formatting: no script, style, iframe, object, embed, form or
input, no event-handler or style attributes, and only these URLs: http(s),
mailto and in-page ``#anchors`` or relative paths for links; relative paths
and author-inlined ``data:image/...`` for images. Remote images are never
fetched (see ``links.py`` and the window's resource loader); here their
``src`` is removed so nothing downstream could try.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import nh3

from viewer.core.links import COPY_SCHEME, has_scheme

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
    "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
    "ol", "p", "pre", "q", "s", "samp", "section", "small", "span", "strike", "strong",
    "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt",
    "u", "ul", "var", "big", "center", "font",
}
_CLEAN_CONTENT = {"script", "style", "template", "noscript", "title", "textarea", "select"}
_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir", "align"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height"},
    "table": {"width", "cellspacing", "cellpadding", "border"},
    "td": {"colspan", "rowspan", "valign", "width"},
    "th": {"colspan", "rowspan", "valign", "width"},
    "col": {"span", "width"},
    "ol": {"start", "type"},
    "li": {"value"},
    "font": {"color"},
    "details": {"open"},
}
_SCHEMES = {"http", "https", "mailto", "data", COPY_SCHEME}
_DATA_IMAGE = re.compile(r"^data:image/(png|jpe?g|gif|webp|bmp);base64,[A-Za-z0-9+/=\s]*$", re.I)


_FROM_THE_WEB = "from the web"  # the address of a picture whose address the cleaner took out


def blocked_image_html(src: str, alt: str, why: str = "") -> str:
    """What a remote image (or a local one that cannot be read) becomes: its description,
    never a fetch and never a broken-image icon.

    A local picture's path is shown too (the author can put the file back). A web
    address is only in the tooltip: a README opens with a row of badges, and their
    addresses written out pushed the page's first heading below the window.
    """
    tip = f"{src}: {why}" if why else src
    if has_scheme(src) or src == _FROM_THE_WEB:
        shown = html.escape(alt or _web_name(src))
    else:
        shown = html.escape(alt or src) + (f" ({html.escape(src)})" if alt and alt != src
                                           else "")
    return (f'<span class="blocked-image" title="{html.escape(tip)}">'
            f"[image not loaded: {shown}]</span>")



def _web_name(src: str) -> str:
    """A description for a web picture that has none: its file's name, else its host."""
    if src.lower().startswith("data:"):
        return "inlined picture"
    address = urlsplit(src)
    return address.path.rstrip("/").rsplit("/", 1)[-1] or address.netloc or src


def _filter_attribute(tag: str, attr: str, value: str) -> str | None:
    if tag == "img" and attr == "src":
        if _DATA_IMAGE.match(value):
            return value
        if has_scheme(value):
            return None  # remote, or data: that is not a plain inlined picture
        return value
    if attr == "href" and value.strip().lower().startswith("data:"):
        return None
    return value


# A picture whose address was taken out (a remote one written as raw HTML): Qt lays an
# <img width="150"> with no picture out at a height of minus 33 million pixels, and the
# whole page shows blank. Its description is shown instead, as for every remote picture.
_IMG_WITHOUT_SRC = re.compile(r"<img\b(?![^>]*\ssrc=)([^>]*)>", re.I)
_ALT = re.compile(r'\salt="([^"]*)"')


def _without_picture(match: re.Match[str]) -> str:
    alt = _ALT.search(match.group(1))
    return blocked_image_html(_FROM_THE_WEB, html.unescape(alt.group(1)) if alt else "picture",
                              "pictures from the web are never fetched")


def sanitize_html(fragment: str) -> str:
    """Return ``fragment`` with everything unsafe removed."""
    cleaned = nh3.clean(
        fragment,
        tags=_TAGS,
        clean_content_tags=_CLEAN_CONTENT,
        attributes=_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    return _IMG_WITHOUT_SRC.sub(_without_picture, cleaned) if "<img" in cleaned else cleaned
