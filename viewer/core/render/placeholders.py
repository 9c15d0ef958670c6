"""Placeholders in a page's HTML: found once after parsing, shown with values at each showing.

After a page is parsed, :func:`attach_variables` scans its code blocks in
reading order, then its code spans, records the placeholders on each block
(as shown and as copied), lists the page's variables, and replaces each
placeholder in the page's HTML with a marker. :func:`show_values` turns the
markers into the value (marked as filled) or the placeholder (marked as
open) each time the page is shown, without parsing it again.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace

from viewer.core.document import Document
from viewer.core.render.page_marks import CHIP_OPEN, CLOSE, MID, OPEN
from viewer.core.variables.catalog import (
    Placement,
    Variable,
    add_placement,
    catalog_of,
    line_and_column,
)
from viewer.core.variables.declared import declarations
from viewer.core.variables.scan import Occurrence, Scanner

_CODE_SPAN = re.compile(r"(<code\b[^>]{0,200}>)([^\n]{0,2000}?)(</code>)")
_TAG = re.compile(r"<[^>]{0,500}>")
_MAX_SPANS = 5000


def attach_variables(document: Document, with_html: bool = True) -> None:
    """Find the page's placeholders; record them on its blocks and mark them in its HTML."""
    # Pygments only when a page is rendered: a kept page is shown without it.
    from viewer.core.render.highlight import session_skips

    declared = declarations(document.metadata)
    scanner = Scanner(declared)
    blocks = []
    for block in document.code_blocks:
        shown, copied = scanner.scan_block(block.text, block.copy_text, block.language,
                                           session_skips(block.text, block.language))
        blocks.append(replace(block, placeholders=tuple(shown), copy_placeholders=tuple(copied)))
    document.code_blocks = blocks
    variables = catalog_of(declared)
    for block in blocks:
        for occurrence in block.placeholders:
            line, column = line_and_column(block.text, occurrence.start)
            add_placement(variables, occurrence, Placement(block.index + 1, line, column,
                                                           occurrence.raw, occurrence.kind))
    body = document.body_html
    if with_html and body:
        body = _mark_blocks(body, blocks)
        body = _mark_spans(body, scanner, variables)
        document.body_html = body
    document.variables = [v for v in variables.values() if v.placements or v.name in declared]


def _marker(occurrence: Occurrence) -> str:
    return f"{OPEN}{occurrence.name}{MID}{html.escape(occurrence.raw)}{CLOSE}"


def _mark_blocks(body: str, blocks: list) -> str:  # type: ignore[type-arg]
    from viewer.core.render.highlight import highlight_marked

    """Each block with placeholders highlighted again with a marker in place of each."""
    pieces: list[str] = []
    position = 0
    for block in blocks:
        if not block.placeholders:
            continue
        link = body.find(f'href="copy:{block.index}"', position)
        start = body.find(">", body.find('<pre class="code"', link)) + 1 if link >= 0 else 0
        end = body.find("</pre>", start) if start > 0 else -1
        if link < 0 or start <= 0 or end < 0:
            continue  # not where code_block_html put it: left unmarked, still copied filled
        marks = [(o.start, o.end, _marker(o)) for o in block.placeholders]
        head_end = body.find("</a>", link) + len("</a>")
        chips = " ".join(f"{CHIP_OPEN}{name}{CLOSE}"
                         for name in dict.fromkeys(o.name for o in block.placeholders))
        if link < head_end < start:  # beside the Copy link: what the block needs filled
            pieces += [body[position:head_end], f"&nbsp;&nbsp;{chips}"]
            position = head_end
        pieces += [body[position:start],
                   highlight_marked(block.text.rstrip("\n"), block.language, marks)]
        position = end
    pieces.append(body[position:])
    return "".join(pieces)


def _mark_spans(body: str, scanner: Scanner, variables: dict[str, Variable]) -> str:
    """Placeholders in inline code (``<namespace>`` in a sentence) are marked too."""
    if "<code" not in body:
        return body
    count = 0

    def mark(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        if count > _MAX_SPANS:
            return match.group(0)
        text = html.unescape(_TAG.sub("", match.group(2)))
        found = scanner.scan(text, "")
        if not found:
            return match.group(0)
        out, position = [], 0
        for occurrence in found:
            add_placement(variables, occurrence,
                          Placement(0, 1, occurrence.start + 1, occurrence.raw, occurrence.kind))
            out += [html.escape(text[position:occurrence.start]), _marker(occurrence)]
            position = occurrence.end
        out.append(html.escape(text[position:]))
        return match.group(1) + "".join(out) + match.group(3)

    return _CODE_SPAN.sub(mark, body)




