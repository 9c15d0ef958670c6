"""Boxes written as Markdown containers (``:::kind title``), nested as deep as needed.

A container ends at the first bare fence at least as long as its own, so a box
inside a box (a warning inside a tab) must have the shorter fence: written
``:::`` both, the inner box's end closed the outer one and the rest of the page
showed ``:::`` as text. The writer holds each box's opening until the box is
closed, when it knows how deep the boxes inside it went.
"""

from __future__ import annotations


class BoxWriter:
    """Text and boxes in page order; :meth:`text` gives the Markdown."""

    def __init__(self) -> None:
        self._out: list[str] = []
        self._open: list[list] = []  # [index of its opening, "kind title", depth inside]

    def add(self, text: str) -> None:
        self._out.append(text)

    def open(self, head: str) -> None:
        self._open.append([len(self._out), head, 0])
        self._out.append("")

    def close(self) -> bool:
        """Close the innermost box; False when none is open (the tag is dropped)."""
        if not self._open:
            return False
        index, head, inside = self._open.pop()
        fence = ":" * (3 + inside)
        self._out[index] = f"\n{fence}{head}\n\n"
        self._out.append(f"\n{fence}\n\n")
        if self._open:
            self._open[-1][2] = max(self._open[-1][2], inside + 1)
        return True

    def text(self) -> str:
        while self._open:  # a box never closed ends with the page, as its site would
            self.close()
        return "".join(self._out)
