"""The Document model: what every front end produces and every consumer reads.

The Markdown and reST front ends both turn a runbook into a :class:`Document`.
The window shows its HTML; the outline uses its headings; the copy action
uses its code blocks; search and the symptom sidebar read its blocks. There
is one parse per file, never a second parser for another feature.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class CodeBlock:
    index: int
    language: str  # as the author wrote it ("" when none)
    text: str  # exactly as written
    copy_text: str  # what the copy action puts on the clipboard
    # Placeholders (variables.scan.Occurrence) in ``text`` as shown and in ``copy_text``.
    placeholders: tuple = ()
    copy_placeholders: tuple = ()
    title: str = ""  # the fence's own label: title="deploy.sh" (MkDocs, Docusaurus), tab="Linux"


@dataclass(frozen=True)
class Block:
    """One block of text in reading order, flattened for indexing and extraction.

    ``kind`` is heading, paragraph, list_item, code, quote or table_row.
    ``anchor`` is the heading's own anchor for headings and the nearest
    enclosing heading's anchor for everything else. ``label`` is the bold
    lead-in of a paragraph or item ("Symptoms:"), without the markup.
    """

    kind: str
    text: str
    level: int = 0  # heading level, or list nesting depth starting at 1
    anchor: str = ""
    label: str = ""
    language: str = ""
    ordered: bool = False  # a list item of a numbered list


@dataclass
class Document:
    path: str  # '/'-separated, relative to the library root
    markup: str  # "markdown" or "rst"
    title: str
    body_html: str
    metadata: dict[str, Any] = field(default_factory=dict)
    headings: list[Heading] = field(default_factory=list)
    code_blocks: list[CodeBlock] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # shown above the page
    encoding: str = "utf-8"
    mtime_ns: int = 0  # of the file when it was read: tells a later change apart
    variables: list = field(default_factory=list)  # variables.catalog.Variable, reading order
    steps: list = field(default_factory=list)  # incident.steps.Step: what can be ticked
    laid_out: bool = True  # False: shown as plain text because a parser could not (in time)

    @property
    def anchors(self) -> set[str]:
        return {h.anchor for h in self.headings}

    def outline_with_code(self) -> Iterator[tuple[Block, int | None]]:
        """Each block in reading order, a code block with the index of its ``code_blocks``
        entry (None for the rest, or for a code block a dialect drew some other way)."""
        next_code = 0
        for block in self.blocks:
            index = None
            if block.kind == "code":
                for candidate in range(next_code, min(next_code + 4, len(self.code_blocks))):
                    if self.code_blocks[candidate].text.strip() == block.text.strip():
                        index, next_code = candidate, candidate + 1
                        break
            yield block, index


@dataclass
class Problem:
    """A file that could not be shown, with the reason in the user's words."""

    path: str
    message: str
