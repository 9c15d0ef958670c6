"""Docusaurus' MDX in a page, read as the site shows it, before the Markdown parser sees it.

Docusaurus reads ``.md`` and ``.mdx`` pages as MDX: JavaScript ``import`` lines,
``{/* comments */}`` and React components sit in the Markdown. Shown as written,
the imports are a paragraph of code at the top of a runbook and, worse, a
``<Tabs>`` of ``<TabItem label="Linux">`` blocks loses its labels: two commands
one after the other, nothing to say which is for which system. So, outside
fenced code:

* ``import ... from '...'`` and one-line ``export`` statements: dropped;
* ``{/* ... */}`` comments: dropped;
* the components docs themes use for boxes, on lines of their own (or wrapping one
  line): Docusaurus' ``<TabItem label="Linux">`` and ``<Admonition type="tip">``,
  Fumadocs' ``<Tab value="...">``, ``<Callout type="warn" title="...">`` and
  ``<Accordion title="...">``: a box of that kind, titled as the component is;
  their wrappers (``<Tabs>``, ``<Steps>``, ``<Accordions>``) and ``<Step>`` leave
  no trace;
* a link card, a component closing itself with an ``href`` (Sourcegraph's
  ``<QuickLink title=... href=... description=... />``, ``<LinkCard>``,
  ``<ProductCard>``): a list item linking to it, with its description; the card
  grids around them (``<QuickLinks>``, ``<LinkCards>``, ``<CardGroup>``) leave no trace;
* a ``<video>`` or ``<audio>`` (its attributes often JSX, ``style={{...}}``): a link to
  what it would play, never fetched;
* other components are left to the page's HTML cleaning, which keeps their text.

Nothing is run: the statements are removed as text.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from viewer.core.render.boxes import box_end, box_open
from viewer.core.render.fences import lines_with_code_flag

_IMPORT = re.compile(r"""^import\s+(?:[\w*{}\s,]+\s+from\s+)?['"][^'"\n]+['"];?\s*$""")
_EXPORT = re.compile(r"^export\s+(?:const|let|var|function|default)\b[^\n]*;\s*$")
_COMMENT = re.compile(r"\{/\*.*?\*/\}", re.S)
# Components shown as boxes: name -> the box's kind when the component names none.
_BOXES = {"TabItem": "example", "Tab": "example", "Accordion": "example", "Callout": "info",
          "Admonition": "note", "TierCallout": "note"}
_WRAPPERS = {"Tabs", "Steps", "Step", "Accordions", "QuickLinks", "LinkCards", "Cards",
             "CardGroup", "ProductCards"}
_MEDIA = re.compile(r"<(video|audio)\b([^<>]{0,2000}?)(?:/>|>(.{0,4000}?)</\1\s*>)",
                    re.IGNORECASE | re.DOTALL)
_SRC = re.compile(r"""\bsrc\s*=\s*(?:"([^"]+)"|'([^']+)')""")
_JSX_SPACE = re.compile(r"""\{\s*(?:'\s*'|"\s*")\s*\}""")
_JSX_SPACE_FIRST = re.compile(r"""^([ \t]*)\{\s*(?:'\s*'|"\s*")\s*\}[ \t]*""", re.MULTILINE)
_CARD = "\x00card\x00"  # marks a card's list item until the cards beside it are joined
_CARDS_APART = re.compile(r"(\x00card\x00[^\n]*)\n\s*(?=\x00card\x00)")
# A card is one tag, often over several lines, its attributes only: no text of its own.
_LINK_CARD = re.compile(r"^[ \t]*<([A-Z][A-Za-z]*)\b([^<>]{0,2000}?\bhref\s*=[^<>]{0,2000}?)/>",
                        re.MULTILINE)
_NAMES = "|".join(sorted({*_BOXES, *_WRAPPERS}, key=len, reverse=True))
_OPEN = re.compile(rf"^\s*<({_NAMES})\b([^>]*?)>\s*(.*?)\s*$", re.S)
_CLOSE = re.compile(rf"^\s*</({_NAMES})>\s*$")
_CLOSE_AT_END = re.compile(rf"</({_NAMES})>\s*$")
_ATTR = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|\{["']([^"']*)["']\})""")
# The themes' words for a box's kind, as the Markdown boxes name them.
_KINDS = {"warn": "warning", "warning": "warning", "error": "danger", "danger": "danger",
          "caution": "caution", "info": "info", "note": "note", "tip": "tip",
          "success": "success", "important": "important"}


def has_mdx(text: str) -> bool:
    """Cheap check: most runbooks have none of it, and skip the pass."""
    return "import " in text or "export " in text or "{/*" in text or "</" in text


def expand_mdx(text: str) -> str:
    """``text`` with its MDX statements, comments and tabs read as Docusaurus shows them.

    Inside a box component, indentation is layout (Sourcegraph indents a callout's text
    with a tab): the indentation of its first line of text is taken off each of its lines,
    which would otherwise be indented code. Outside components it stays code, as a git
    host shows it (a CLI reference's tab-indented examples)."""
    out: list[str] = []
    boxes: list[str | None] = []  # each open box's indentation, once its first line shows it
    for line, in_code in lines_with_code_flag(_without_comments(text)):
        if in_code:
            out.append(line)
            continue
        if boxes and line.strip():
            if boxes[-1] is None:
                boxes[-1] = line[:len(line) - len(line.lstrip(" \t"))]
            if boxes[-1] and line.startswith(boxes[-1]):
                line = line[len(boxes[-1]):]
        closing = _CLOSE.match(line)
        if closing and closing.group(1) not in _WRAPPERS and boxes:
            boxes.pop()
        opening = _OPEN.match(line)
        if opening and opening.group(1) in _BOXES and \
                not opening.group(2).rstrip().endswith("/") and \
                not _CLOSE_AT_END.search(opening.group(3)):
            boxes.append(None)
        out.append(_line(line))
    return "".join(out)


def _link_card(match: re.Match[str]) -> str:
    attrs = _attributes(match.group(2))
    href = attrs.get("href", "")
    title = attrs.get("title") or attrs.get("label") or href
    said = attrs.get("description", "")
    title = title.replace("[", "\\[").replace("]", "\\]")
    return f"\n\n{_CARD}- [{title}](<{href}>)" + (f": {said}" if said else "") + "\n\n"


def _attributes(text: str) -> dict[str, str]:
    return {m[0]: next(v for v in m[1:] if v) for m in _ATTR.findall(text) if any(m[1:])}


def _line(line: str) -> str:
    if _IMPORT.match(line) or _EXPORT.match(line):
        return ""
    closing = _CLOSE.match(line)
    if closing:
        return "" if closing.group(1) in _WRAPPERS else box_end()
    opening = _OPEN.match(line)
    if opening is None or opening.group(2).rstrip().endswith("/"):
        return line
    name, rest = opening.group(1), opening.group(3)
    if name in _WRAPPERS:
        return rest + "\n" if rest else ""
    attrs = _attributes(opening.group(2))
    kind = _KINDS.get(attrs.get("type", "").lower(), _BOXES[name])
    box = box_open(kind, attrs.get("title") or attrs.get("label") or attrs.get("value") or "")
    ends = _CLOSE_AT_END.search(rest)  # <Callout>One line.</Callout>
    if ends:
        return box + rest[:ends.start()].rstrip() + "\n" + box_end()
    return box + (rest + "\n" if rest else "")


def _without_comments(text: str) -> str:
    """``{/* comments */}`` taken out, and link cards made links, outside fenced code only
    (both may span lines)."""
    if "{/*" not in text and "href" not in text and "<video" not in text \
            and "<audio" not in text and "{'" not in text and '{"' not in text:
        return text
    out: list[str] = []
    prose: list[str] = []
    for line, in_code in lines_with_code_flag(text):
        if in_code:
            out.append(_prose(prose))
            prose = []
            out.append(line)
        else:
            prose.append(line)
    out.append(_prose(prose))
    return "".join(out)


def _media(match: re.Match[str]) -> str:
    found = _SRC.search(match.group(2)) or _SRC.search(match.group(3) or "")
    if found is None:
        return ""
    src = found.group(1) or found.group(2)
    name = unquote(src.rstrip("/").rsplit("/", 1)[-1].split("?")[0]) or src
    kind = match.group(1).capitalize()
    return f"\n\n[{kind}: {name.replace('[', '(').replace(']', ')')}](<{src}>)\n\n"


def _prose(lines: list[str]) -> str:
    text = _LINK_CARD.sub(_link_card, _COMMENT.sub("", "".join(lines)))
    if "{'" in text or '{"' in text:
        # JSX's way of writing a space, {' '}: nothing at a line's start (it would
        # shift the line off its box's indentation), a space elsewhere.
        text = _JSX_SPACE.sub(" ", _JSX_SPACE_FIRST.sub(r"\1", text))
    if "<video" in text or "<audio" in text:
        text = _MEDIA.sub(_media, text)
    if _CARD not in text:
        return text
    # Cards side by side are one list: nothing but blank lines parts them.
    return _CARDS_APART.sub(r"\1\n", text).replace(_CARD, "")

