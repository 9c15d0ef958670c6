"""Code blocks as a printed page needs them: plain text, long lines wrapped with a mark.

Paper cannot scroll sideways, and a printed command is read, not copied:
each line longer than the page is cut where it must be, the cut marked.
Placeholders are filled where the export was given values; a secret's value
is masked, as on screen.
"""

from __future__ import annotations

import html
import re

from viewer.core.document import Document
from viewer.core.variables.catalog import filled_block
from viewer.core.variables.values import VariableValues

WRAP_COLUMNS = 88  # what fits across A4 in the print font
WRAP_MARK = "\u21a9"  # at the end of a line that goes on below
_CODE_TABLE = re.compile(r'<table class="codeblock".*?</table>\n?', re.S)
_COPY_INDEX = re.compile(r'href="copy:(\d+)"')
_LABEL = re.compile(r'<td class="code-head">(.*?)&nbsp;', re.S)


def wrapped_lines(text: str, columns: int = WRAP_COLUMNS) -> list[str]:
    """``text``'s lines cut at ``columns``, each cut marked, so nothing runs off the page."""
    out: list[str] = []
    for line in text.rstrip("\n").split("\n"):
        while len(line) > columns:
            out.append(line[:columns - 1] + WRAP_MARK)
            line = line[columns - 1:]
        out.append(line)
    return out


def print_body(body: str, document: Document, values: VariableValues | None) -> str:
    """``body`` (the page's HTML) with each code block as plain, wrapped text."""

    def plain(match: re.Match[str]) -> str:
        found = _COPY_INDEX.search(match.group(0))
        if found is None or int(found.group(1)) >= len(document.code_blocks):
            return match.group(0)
        text = filled_block(document, int(found.group(1)), values, masked=True).text
        label = _LABEL.search(match.group(0))
        lines = "\n".join(html.escape(line) for line in wrapped_lines(text))
        return (f'<table class="codeblock" width="100%" cellspacing="0" cellpadding="4">'
                f'<tr><td class="code-head">{label.group(1) if label else ""}</td></tr>'
                f'<tr><td class="code-body"><pre class="code">{lines}</pre></td></tr>'
                f"</table>\n")

    return _CODE_TABLE.sub(plain, body)
