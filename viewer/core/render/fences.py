"""What of a Markdown text is code, for the passes that must not touch it (MDX statements,
site-generator tags, MyST roles, wiki links: a code example may show any of them): the
lines inside fenced blocks, and the code spans of the rest."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")  # a fenced block's opening or closing line
# A code span (and a MyST role's text) may run onto the next line of its paragraph, never
# past a blank line; its backticks are a run of their own.
IN_PARAGRAPH = r"(?:.|\n(?![ \t]*\n))"
CODE_SPAN_PATTERN = rf"(?<!`)(?P<open>`+)(?!`){IN_PARAGRAPH}*?(?<!`)(?P=open)(?!`)"
_CODE_SPAN = re.compile(CODE_SPAN_PATTERN)


def closes_fence(line: str, fence: str) -> bool:
    """Whether ``line`` closes the block ``fence`` opened: that character, at least as
    many times, and nothing else on the line."""
    stripped = line.strip()
    return stripped.startswith(fence) and not stripped.strip(fence[0])


def outside_code_spans(text: str, change: Callable[[str], str]) -> str:
    """``text`` with ``change`` made to what is not inside `code`, which shows what it holds."""
    parts, start = [], 0
    for span in _CODE_SPAN.finditer(text):
        parts += [change(text[start:span.start()]), span.group(0)]
        start = span.end()
    return "".join([*parts, change(text[start:])])


def lines_with_code_flag(text: str, *, fence: re.Pattern[str] = FENCE,
                         opens_text: Callable[[str], str | None] | None = None
                         ) -> Iterator[tuple[str, bool]]:
    """Each line of ``text`` (ends kept) and whether it belongs to a fenced block, its
    opening and closing fences included. ``fence`` matches a code fence's opening (its
    first group the fence); ``opens_text`` gives the fence of a line opening a block whose
    content is the page's own text (a MyST directive), which ends at a bare fence as long."""
    open_fences: list[tuple[str, bool]] = []  # (fence, holds text), innermost last
    for line in text.splitlines(keepends=True):
        opened = fence.match(line)
        if open_fences:
            current, holds_text = open_fences[-1]
            if holds_text:
                stripped = line.strip()
                if len(stripped) >= len(current) and not stripped.strip(current[0]):
                    open_fences.pop()
                    yield line, True
                    continue
            else:
                if (opened and opened.group(1)[0] == current[0]
                        and len(opened.group(1)) >= len(current)):
                    open_fences.pop()
                yield line, True
                continue
        text_fence = opens_text(line) if opens_text is not None else None
        if text_fence:
            open_fences.append((text_fence, True))
            yield line, True
        elif opened:
            open_fences.append((opened.group(1), False))
            yield line, True
        else:
            yield line, False
