"""The export as one self-contained HTML file: nothing in it is fetched from anywhere.

Every id is made unique across the file (``r3-mitigation``), every link
between exported runbooks points inside the file, a link to a runbook left
out says so instead of breaking, pictures are data URIs read through the
library's gate, and outbound web links are shown, never loaded. Light and
dark follow the reader's system; a small search works from ``file://``
with scripts on, and the page is whole with scripts off.
"""

from __future__ import annotations

import base64
import html
import re

from viewer.core.links import classify_link
from viewer.core.open_request import anchor_matching
from viewer.core.page_images import load_page_images, mark_refused
from viewer.core.render.page import stylesheet
from viewer.export.book import Book, Chapter

_ID = re.compile(r'\b(id|name)="([^"]*)"')
_LINK = re.compile(r'<a\b([^>]*?)\bhref="([^"]*)"([^>]*)>(.*?)</a>', re.S | re.I)
_IMG = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]*)(")', re.I)
_COPY_LINK = re.compile(r'&nbsp;&nbsp;<a class="copy"[^>]*>Copy</a>')
_OUTBOUND = ("http:", "https:", "mailto:")
STALE_NOTE = ("Exported copy: it may be stale. Use the live runbooks (Runbook Viewer, or "
              "their repository) as soon as you can reach them.")

_EXTRA_CSS = """
body { max-width: 60em; margin: 0 auto; padding: 1em; }
.cover { border-bottom: 2px solid $border; margin-bottom: 1.5em; }
.stale { font-weight: bold; }
.runbook { border-top: 2px solid $border; padding-top: 1em; margin-top: 2em; }
.runbook-meta { color: $muted; font-size: small; }
.not-exported { color: $muted; font-style: italic; }
.toc li { margin: 0.2em 0; }
#search { font-size: 1em; padding: 0.3em; width: 100%; margin: 0.5em 0; }
[hidden] { display: none !important; }
table.codeblock { page-break-inside: avoid; break-inside: avoid; }
pre.code { white-space: pre-wrap; overflow-wrap: anywhere; }
@media print { #search, .search-note { display: none; } }
"""
# The window's hanging indent for wrapped commands works per line in Qt; a browser applies
# text-indent to a whole <pre>, which would shift every line after the first.
_BROWSER_CSS = "pre.code, pre.source { margin-left: 0; text-indent: 0; }\n"

_SEARCH_SCRIPT = """
(function () {
  var box = document.getElementById("search"), note = document.getElementById("search-note");
  box.hidden = false; note.hidden = false;
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.runbook"));
  box.addEventListener("input", function () {
    var words = box.value.toLowerCase().split(/\\s+/).filter(Boolean), shown = 0;
    sections.forEach(function (section) {
      var text = section.textContent.toLowerCase();
      var hit = words.every(function (w) { return text.indexOf(w) >= 0; });
      section.hidden = !hit;
      var entry = document.getElementById("toc-" + section.id);
      if (entry) { entry.hidden = !hit; }
      if (hit) { shown += 1; }
    });
    note.textContent = words.length ? shown + " of " + sections.length + " runbooks match" : "";
  });
})();
"""


def book_html(book: Book, *, for_print: bool = False) -> str:
    """The whole export as one HTML document (``for_print``: no search, no script)."""
    light, dark = _css("light"), _css("dark")
    style = light if for_print else (f"{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}"
                                     f"\n{_BROWSER_CSS}")
    parts = [
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Runbooks: break-glass copy</title>",
        f"<style>\n{style}\n</style></head>\n<body>\n",
        _cover(book, for_print),
        _contents(book),
    ]
    parts += [_chapter_html(book, chapter) for chapter in book.chapters]
    if not for_print:
        parts.append(f"<script>{_SEARCH_SCRIPT}</script>\n")
    parts.append("</body></html>\n")
    return "".join(parts)


def print_style() -> str:
    """The stylesheet of the print version (light: paper is white)."""
    return _css("light")


def print_cover(book: Book, start_pages: dict[str, int] | None = None) -> str:
    """The print version's cover and contents, with each runbook's first page when
    ``start_pages`` gives them."""
    return _cover(book, True) + _contents(book, start_pages)


def print_chapter(book: Book, chapter: Chapter) -> str:
    """One runbook of the print version, laid out on pages of its own."""
    return _chapter_html(book, chapter)


def _css(theme: str) -> str:
    from string import Template

    from viewer.core.render.page import palette

    return stylesheet(theme) + Template(_EXTRA_CSS).safe_substitute(palette(theme))


def _cover(book: Book, for_print: bool) -> str:
    made = book.made_at.strftime("%Y-%m-%d %H:%M %Z").strip()
    sources = "".join(f"<li><b>{html.escape(name)}</b>: {html.escape(version)}</li>"
                      for name, version in book.sources)
    search = "" if for_print else (
        '<input id="search" type="search" placeholder="Search these runbooks" hidden '
        'aria-label="Search these runbooks">'
        '<p id="search-note" class="search-note runbook-meta" hidden></p>')
    return (f'<div class="cover" id="cover"><h1>Runbooks: break-glass copy</h1>'
            f'<p class="stale">{html.escape(STALE_NOTE)}</p>'
            f"<p>Exported {html.escape(made)} from {html.escape(str(book.library.root))}: "
            f"{len(book.chapters)} runbook{'s' if len(book.chapters) != 1 else ''}.</p>"
            f"<p>Sources:</p><ul>{sources}</ul>{search}</div>\n")


def _contents(book: Book, start_pages: dict[str, int] | None = None) -> str:
    def page(chapter: Chapter) -> str:
        number = (start_pages or {}).get(chapter.top)
        return f' <span class="runbook-meta">page {number}</span>' if number else ""

    items = "".join(
        f'<li id="toc-{c.top}"><a href="#{c.top}">{html.escape(c.title)}</a> '
        f'<span class="runbook-meta">{html.escape(c.path)}</span>{page(c)}</li>'
        for c in book.chapters)
    return f'<nav class="toc" id="contents"><h2>Contents</h2><ol>{items}</ol></nav>\n'


def _chapter_html(book: Book, chapter: Chapter) -> str:
    facts = [html.escape(chapter.path)]
    if chapter.version:
        facts.append(html.escape(chapter.version))
    if chapter.owners:
        facts.append("owner: " + html.escape(", ".join(chapter.owners)))
    if chapter.reviewed:
        facts.append("reviewed " + html.escape(chapter.reviewed))
    meta = f'<p class="runbook-meta">{" · ".join(facts)}</p>'
    if chapter.problem:
        body = (f"<h1>{html.escape(chapter.title)}</h1>"
                f"<p>This runbook could not be exported: {html.escape(chapter.problem)}</p>")
    else:
        body = _rewrite(book, chapter)
    return f'<section class="runbook" id="{chapter.top}">{meta}\n{body}\n</section>\n'


def _rewrite(book: Book, chapter: Chapter) -> str:
    """The chapter's HTML with ids prefixed, links pointed inside the file, pictures inlined."""
    body = _COPY_LINK.sub("", chapter.body)
    body = _inline_pictures(book, chapter, body)
    prefix = f"{chapter.top}-"
    body = _ID.sub(lambda m: f'{m.group(1)}="{prefix}{m.group(2)}"', body)

    def link(match: re.Match[str]) -> str:
        before, href, after, text = match.groups()
        target = html.unescape(href)
        lowered = target.lower()
        if lowered.startswith(_OUTBOUND):
            return (f'<a{before}href="{href}"{after} rel="noreferrer noopener">{text}</a>')
        if lowered.startswith(("var:", "copy:", "tick:")):
            kind = re.search(r'class="([^"]*)"', before + after)
            return f'<span class="{kind.group(1) if kind else ""}">{text}</span>'
        where = _inside(book, chapter, target)
        if where is None:
            return (f'<span class="not-exported" title="Not in this export: '
                    f'{html.escape(target)}">{text} (not in this export: '
                    f"{html.escape(target)})</span>")
        return f'<a{before}href="#{html.escape(where)}"{after}>{text}</a>'

    return _LINK.sub(link, body)


def _inside(book: Book, chapter: Chapter, href: str) -> str | None:
    """The id in the file that ``href`` of ``chapter`` leads to; None if it leaves the file."""
    target = classify_link(href, book.library, chapter.path)
    if target.kind == "anchor":
        found = anchor_matching(chapter.anchors, chapter.headings, target.anchor)
        return f"{chapter.top}-{found}" if found else chapter.top
    if target.kind != "runbook":
        return None
    other = book.chapter_of(target.path)
    if other is None:
        return None
    found = anchor_matching(other.anchors, other.headings, target.anchor) \
        if target.anchor else ""
    return f"{other.top}-{found}" if found else other.top


def _inline_pictures(book: Book, chapter: Chapter, body: str) -> str:
    images = load_page_images(book.library, chapter.path, body)
    body = mark_refused(body, images.refused)

    def inline(match: re.Match[str]) -> str:
        src = html.unescape(match.group(2))
        data = images.pictures.get(src)
        if data is None:
            return match.group(0)
        uri = f"data:{_mime(data)};base64,{base64.b64encode(data).decode('ascii')}"
        return f"{match.group(1)}{uri}{match.group(3)}"

    return _IMG.sub(inline, body)


def _mime(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return "image/png"
    if data.startswith(b"\xff\xd8"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.lstrip()[:1] == b"<":
        return "image/svg+xml"
    return "application/octet-stream"
