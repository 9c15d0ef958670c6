"""Which lines of a Markdown text are inside fenced code, for the passes that must not
touch code (MDX statements and comments: a code example may show them)."""

from __future__ import annotations

import re
from collections.abc import Iterator

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")  # a fenced block's opening or closing line


def lines_with_code_flag(text: str) -> Iterator[tuple[str, bool]]:
    """Each line of ``text`` (ends kept) and whether it belongs to a fenced block, its
    opening and closing fences included."""
    fence = ""
    for line in text.splitlines(keepends=True):
        opened = FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = ""
            yield line, True
        elif opened:
            fence = opened.group(1)
            yield line, True
        else:
            yield line, False
