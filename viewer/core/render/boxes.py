"""Boxes the site-tag passes write (``:::kind title``), nested as deep as a page needs.

A Markdown container ends at the first bare fence at least as long as its own, so
a box inside a box (a warning inside a tab) needs the outer box to have the
longer fence: written ``:::`` both, the inner box's end closed the outer one and
the rest of the page showed ``:::`` as text. The passes (Hugo callouts, GitBook,
MDX) write each box's opening and end as marks; :func:`resolve_boxes` turns them
into fences once the whole page is known, each as long as the boxes inside it
need. The marks are private-use characters a page's own text never holds (the
renderer takes them out of what it reads).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

BOX_OPEN, BOX_END = "\ue016", "\ue017"


MAX_TITLE = 120
# Boxes open at once, at most: a Markdown container looks for its end line by line, so a
# page opening box inside box without ending them (4,800 tabs) cost each box the rest of
# the page, 38 s. A deeper box is read as its text.
MAX_NESTED = 8


@dataclass
class OpenBoxes:
    """What a site-tag pass carries from line to line of a page: how many boxes it has
    opened and not ended (a box may hold fenced code, so it spans the pass's chunks), and
    the labels of the Hugo tab sets being read (``{{< tabs Linux Windows >}}``)."""

    count: int = 0
    tab_labels: list[list[str]] = field(default_factory=list)

    def opened(self, kind: str, title: str = "", indent: str = "") -> str:
        self.count += 1
        return box_open(kind, title, indent)

    def ended(self, indent: str = "") -> str:
        """A box's end, or nothing when none is open (its opening was inside a line)."""
        if not self.count:
            return ""
        self.count -= 1
        return box_end(indent)


def box_open(kind: str, title: str = "", indent: str = "") -> str:
    """The line that opens a box of ``kind`` ("warning"). Its ``title`` is shown as
    written (a box's title is text, not Markdown), on one line; ``indent`` keeps a box
    written in a list item inside that item."""
    title = " ".join(title.split())[:MAX_TITLE]
    return f"\n{indent}{BOX_OPEN}{kind} {title}".rstrip(" ") + "\n\n"


def box_end(indent: str = "") -> str:
    return f"\n{indent}{BOX_END}\n\n"


def resolve_boxes(text: str) -> str:
    """``text`` with every box mark a container fence; an end with no box open is
    dropped, a box never ended ends with the page (as its site would)."""
    if BOX_OPEN not in text and BOX_END not in text:
        return text
    lines = text.split("\n")
    open_boxes: list[list[int]] = []  # [line of its opening, depth of the boxes inside]

    def end(at: int | None) -> None:
        start, inside = open_boxes.pop()
        fence = ":" * (3 + inside)
        opening = lines[start]
        indent = opening[:len(opening) - len(opening.lstrip(" \t"))]
        lines[start] = indent + fence + opening[len(indent) + len(BOX_OPEN):]
        if at is None:
            lines.append(fence)
        else:
            ending = lines[at]
            lines[at] = ending[:len(ending) - len(ending.lstrip(" \t"))] + fence
        if open_boxes:
            open_boxes[-1][1] = max(open_boxes[-1][1], inside + 1)

    too_deep = 0  # boxes opened past MAX_NESTED, innermost: read as their text
    for i, line in enumerate(lines):
        mark = line.lstrip(" \t")[:1]
        if mark == BOX_OPEN and len(open_boxes) >= MAX_NESTED:
            too_deep += 1
            lines[i] = line.lstrip(" \t")[1:].partition(" ")[2]  # its title, if any
        elif mark == BOX_OPEN:
            open_boxes.append([i, 0])
        elif mark == BOX_END and too_deep:
            too_deep -= 1
            lines[i] = ""
        elif mark == BOX_END:
            if open_boxes:
                end(i)
            else:
                lines[i] = ""
    while open_boxes:
        end(None)
    return "\n".join(lines)


def markdown_escaped(text: str) -> str:
    """Words a pass writes into Markdown (a link's text, a caption), kept as words: its
    own markup characters escaped."""
    return re.sub(r"([\\\[\]*_`<>])", r"\\\1", text)
