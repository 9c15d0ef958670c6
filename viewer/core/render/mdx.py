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
* other components are left to the page's HTML cleaning, which keeps their text.

Nothing is run: the statements are removed as text.
"""

from __future__ import annotations

import re

from viewer.core.render.boxes import box_end, box_open
from viewer.core.render.fences import lines_with_code_flag

_IMPORT = re.compile(r"""^import\s+(?:[\w*{}\s,]+\s+from\s+)?['"][^'"\n]+['"];?\s*$""")
_EXPORT = re.compile(r"^export\s+(?:const|let|var|function|default)\b[^\n]*;\s*$")
_COMMENT = re.compile(r"\{/\*.*?\*/\}", re.S)
# Components shown as boxes: name -> the box's kind when the component names none.
_BOXES = {"TabItem": "example", "Tab": "example", "Accordion": "example", "Callout": "info",
          "Admonition": "note"}
_WRAPPERS = {"Tabs", "Steps", "Step", "Accordions"}
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
    """``text`` with its MDX statements, comments and tabs read as Docusaurus shows them."""
    return "".join(line if in_code else _line(line)
                   for line, in_code in lines_with_code_flag(_without_comments(text)))


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
    attrs = {m[0]: next(v for v in m[1:] if v) for m in _ATTR.findall(opening.group(2))
             if any(m[1:])}
    kind = _KINDS.get(attrs.get("type", "").lower(), _BOXES[name])
    box = box_open(kind, attrs.get("title") or attrs.get("label") or attrs.get("value") or "")
    ends = _CLOSE_AT_END.search(rest)  # <Callout>One line.</Callout>
    if ends:
        return box + rest[:ends.start()].rstrip() + "\n" + box_end()
    return box + (rest + "\n" if rest else "")


def _without_comments(text: str) -> str:
    """``{/* comments */}`` taken out, outside fenced code only."""
    if "{/*" not in text:
        return text
    out: list[str] = []
    prose: list[str] = []
    for line, in_code in lines_with_code_flag(text):
        if in_code:
            out.append(_COMMENT.sub("", "".join(prose)))
            prose = []
            out.append(line)
        else:
            prose.append(line)
    out.append(_COMMENT.sub("", "".join(prose)))
    return "".join(out)

