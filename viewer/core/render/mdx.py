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

from viewer.core.render.boxes import box_end, box_open, markdown_escaped
from viewer.core.render.fences import (
    FENCE,
    closes_fence,
    lines_with_code_flag,
    outside_code_spans,
)

_IMPORT = re.compile(r"""^import\s+(?:[\w*{}\s,]+\s+from\s+)?['"][^'"\n]+['"];?\s*$""")
_EXPORT = re.compile(r"^export\s+(?:const|let|var|function|default)\b[^\n]*;\s*$")
_COMMENT = re.compile(r"\{/\*.*?\*/\}", re.S)
# Components shown as boxes: name -> the box's kind when the component names none.
_BOXES = {"TabItem": "example", "Tab": "example", "Accordion": "example", "Callout": "info",
          "Admonition": "note", "TierCallout": "note",
          # Mintlify's callouts
          "Note": "note", "Tip": "tip", "Warning": "warning", "Info": "info", "Check": "success",
          "Danger": "danger"}
_WRAPPERS = {"Tabs", "Steps", "Step", "Accordions", "QuickLinks", "LinkCards", "Cards",
             "CardGroup", "ProductCards", "CodeGroup", "Frame", "AccordionGroup", "Columns",
             "Card", "Update", "Visibility", "Panel"}
_TITLED = {"Step", "Card", "Update"}  # wrappers whose title (and link) lead their text
_TAG_START = re.compile(r"<[A-Z][A-Za-z]*\b")
_TAG_CHARS = 20_000  # a tag longer than this is left as written
# A fence in Mintlify's <CodeGroup>: its language, then the tab's title ("```bash npm").
_GROUPED_FENCE = re.compile(r"^(\s*(?:`{3,}|~{3,}))([\w+#.-]+)[ \t]+"
                            r"([^\s=\"'{](?:[^=\"'{\n]*[^\s=\"'{])?)[ \t]*(\n?)$")
_MEDIA = re.compile(r"<(video|audio)\b([^<>]{0,2000}?)(?:/>|>(.{0,4000}?)</\1\s*>)",
                    re.IGNORECASE | re.DOTALL)
_MEDIA_TAGS = 200  # a page with more is not a page of a few videos: left as written
_SRC = re.compile(r"""\bsrc\s*=\s*(?:"([^"]+)"|'([^']+)')""")
_JSX_SPACE = re.compile(r"""\{\s*(?:'\s*'|"\s*")\s*\}""")
_JSX_SPACE_FIRST = re.compile(r"""^([ \t]*)\{\s*(?:'\s*'|"\s*")\s*\}[ \t]*""", re.MULTILINE)
_CARD = "\x00card\x00"  # marks a card's list item until the cards beside it are joined
_CARDS_APART = re.compile(r"(\x00card\x00[^\n]*)\n\s*(?=\x00card\x00)")
# A card is one tag, its attributes only, no text of its own (read onto one line first).
_LINK_CARD = re.compile(r"^[ \t]*<([A-Z][A-Za-z]*)\b([^<>\n]{0,2000})/>", re.MULTILINE)
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

    Inside a component, indentation is layout (Sourcegraph indents a callout's text with
    a tab, Mintlify nests steps in tabs, each a level deeper): the indentation of its first
    line of text is taken off each of its lines, which would otherwise be indented code.
    Outside components it stays code, as a git host shows it (a CLI reference's
    tab-indented examples). Fences are found once that indentation is off."""
    out: list[str] = []
    levels: list[str | None] = []  # each open component's indentation, once its text shows it
    names: list[str] = []  # the open components, innermost last
    fence = ""  # the fence of the code block the line is in, "" outside code
    for line in _rewrite_prose(text).splitlines(keepends=True):
        if levels and line.strip():
            if levels[-1] is None:
                levels[-1] = line[:len(line) - len(line.lstrip(" \t"))]
            if levels[-1] and line.startswith(levels[-1]):
                line = line[len(levels[-1]):]
        marker = FENCE.match(line)
        if marker and not fence and "CodeGroup" in names:
            line = _GROUPED_FENCE.sub(r'\1\2 title="\3"\4', line)  # ```bash npm: its tab
        if fence:
            if marker and closes_fence(line, fence):
                fence = ""
            out.append(line)
            continue
        if marker:
            fence = marker.group(1)
            out.append(line)
            continue
        if _CLOSE.match(line) and levels:
            levels.pop()
            names.pop()
        opening = _OPEN.match(line)
        if opening and not opening.group(2).rstrip().endswith("/") and \
                not _CLOSE_AT_END.search(opening.group(3)):
            levels.append(None)
            names.append(opening.group(1))
        out.append(_line(line))
    return "".join(out)


def _titled_lead(attrs: dict[str, str]) -> str:
    """A step's or card's title (an update's label), in bold, a link where the card leads
    somewhere."""
    title = markdown_escaped(" ".join((attrs.get("title") or attrs.get("label") or "").split()))
    if not title:
        return ""
    if attrs.get("href"):
        title = f"[{title}](<{attrs['href']}>)"
    return f"\n**{title}**\n\n"


def _link_card(match: re.Match[str]) -> str:
    attrs = _attributes(match.group(2))
    href = attrs.get("href", "")
    if not href:
        return match.group(0)  # a component closing itself that leads nowhere: as written
    title = markdown_escaped(attrs.get("title") or attrs.get("label") or href)
    said = attrs.get("description", "")
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
        lead = _titled_lead(_attributes(opening.group(2))) if name in _TITLED else ""
        return lead + (rest + "\n" if rest else "")
    attrs = _attributes(opening.group(2))
    kind = _KINDS.get(attrs.get("type", "").lower(), _BOXES[name])
    box = box_open(kind, attrs.get("title") or attrs.get("label") or attrs.get("value") or "")
    ends = _CLOSE_AT_END.search(rest)  # <Callout>One line.</Callout>
    if ends:
        return box + rest[:ends.start()].rstrip() + "\n" + box_end()
    return box + (rest + "\n" if rest else "")


def _rewrite_prose(text: str) -> str:
    """The passes over whole stretches of prose (what they read may span lines), outside
    fenced code only: comments out, tags on one line, cards and media made links, JSX
    spaces made spaces."""
    if "{/*" not in text and "href" not in text and "<video" not in text \
            and "<audio" not in text and "{" not in text and not _TAG_START.search(text):
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
    return f"\n\n[{kind}: {markdown_escaped(name)}](<{src}>)\n\n"


def _one_line_tags(text: str) -> str:
    """Each component's opening tag on one line, its ``{...}`` attributes dropped (an icon
    that is a whole ``<svg>``, ``cols={2}``): what the passes below can read."""
    out: list[str] = []
    pos = 0
    budget = 2 * len(text) + _TAG_CHARS  # characters read in all: linear in the page
    for start in _TAG_START.finditer(text):
        if start.start() < pos:
            continue  # inside a tag already read
        if budget <= 0:
            break  # a page of tags that never close: the rest as written
        end, attributes, read = _read_tag(text, start.end())
        budget -= read
        if end is not None:
            out += [text[pos:start.start()], start.group(0), attributes]
            pos = end
    return "".join([*out, text[pos:]])


def _read_tag(text: str, at: int) -> tuple[int | None, str, int]:
    """From after ``<Name``: where the tag ends, its attributes without ``{...}`` values
    on one line, and how many characters were read. None when no ``>`` closes it before
    another tag opens or within ``_TAG_CHARS``."""
    kept: list[str] = []
    keep_from, depth, quote = at, 0, ""
    for i in range(at, min(len(text), at + _TAG_CHARS)):
        char = text[i]
        if depth:
            depth += {"{": 1, "}": -1}.get(char, 0)
            if not depth:
                keep_from = i + 1
        elif quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "{":
            name_at = i - 1 if text[i - 1] == "=" else i
            while name_at > keep_from and (text[name_at - 1].isalnum()
                                           or text[name_at - 1] in "_-"):
                name_at -= 1
            kept.append(text[keep_from:name_at])
            depth = 1
        elif char == "<":
            return None, "", i - at  # another tag opens: this one never closed
        elif char == ">":
            kept.append(text[keep_from:i + 1])
            attributes = " ".join("".join(kept).split())
            return (i + 1, attributes if attributes.startswith(("/>", ">")) else " " + attributes,
                    i - at)
    return None, "", _TAG_CHARS


def _prose(lines: list[str]) -> str:
    text = "".join(lines)
    if _TAG_START.search(text):
        text = outside_code_spans(text, _one_line_tags)  # `<Card {...}>` in a sentence: as is
    text = _LINK_CARD.sub(_link_card, _COMMENT.sub("", text))
    if "{'" in text or '{"' in text:
        # JSX's way of writing a space, {' '}: nothing at a line's start (it would
        # shift the line off its box's indentation), a space elsewhere.
        text = _JSX_SPACE.sub(" ", _JSX_SPACE_FIRST.sub(r"\1", text))
    if 0 < text.count("<video") + text.count("<audio") <= _MEDIA_TAGS:
        text = _MEDIA.sub(_media, text)
    if _CARD not in text:
        return text
    # Cards side by side are one list: nothing but blank lines parts them.
    return _CARDS_APART.sub(r"\1\n", text).replace(_CARD, "")

