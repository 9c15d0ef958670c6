"""Code blocks: Pygments highlighting and the exact text the copy action takes.

Highlighting uses CSS classes (prefix ``hl-``) so switching between the light
and dark theme only swaps a stylesheet. A language Pygments does not know is
shown as plain text, never an error. For shell-session blocks (``console``,
``shell-session``...) the copy text is the commands alone: prompts and output
lines are dropped, continuation lines kept.
"""

from __future__ import annotations

import html
import io
import re
from functools import lru_cache
from typing import Any

from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.token import Generic
from pygments.util import ClassNotFound

from viewer.core.document import CodeBlock
from viewer.core.links import COPY_SCHEME

CLASS_PREFIX = "hl-"
# Blocks larger than this are shown plain: highlighting megabytes of log
# output costs seconds and helps nobody.
MAX_HIGHLIGHT_CHARS = 200_000

_FORMATTER = HtmlFormatter(nowrap=True, classprefix=CLASS_PREFIX)
_ALIASES = {"shell": "bash", "sh": "bash", "zsh": "bash", "yml": "yaml", "ps": "powershell",
            "promql": "promql", "jsonc": "json", "conf": "ini", "env": "bash"}


def language_name(info: str) -> str:
    """The language word of a fence info string or directive argument."""
    word = info.strip().split(maxsplit=1)[0] if info.strip() else ""
    return word.strip("{}.").lower()


_FENCE_TITLE = re.compile(r"""\b(?:title|tab|filename)\s*=\s*(?:"([^"]*)"|'([^']*)')"""
                          r"""|^\S*\s*\[([^\[\]]{1,80})\]""")


def fence_title(info: str) -> str:
    """The label a fence gives its block: ``bash title="deploy.sh"``, ``bash tab="Linux"``,
    VitePress's ``sh [npm]``."""
    found = _FENCE_TITLE.search(info)
    return " ".join(next((g for g in found.groups() if g), "").split())[:80] if found else ""


@lru_cache(maxsize=256)
def _lexer_for(language: str) -> Lexer | None:
    if not language:
        return None
    name = _ALIASES.get(language, language)
    try:
        return get_lexer_by_name(name, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


@lru_cache(maxsize=512)
def _lexed(source: str, language: str) -> tuple[tuple[int, Any, str], ...]:
    lexer = _lexer_for(language)
    return tuple(lexer.get_tokens_unprocessed(source)) if lexer is not None else ()


def forget_lexed_blocks() -> None:
    """Drop the blocks lexed so far (a benchmark's cold start)."""
    _lexed.cache_clear()


def _tokens(code: str, language: str) -> tuple[tuple[int, Any, str], ...]:
    """(offset, token type, text) of ``code``, lexed once however many callers ask.

    Highlighting, the copy text and the placeholders all read a block's
    tokens; lexing is most of a page's cost, so each block is lexed once.
    Session lexers drop a last line that has no newline: every block gets one.
    """
    return _lexed(code.rstrip("\n") + "\n", language)


def copy_text_for(code: str, language: str) -> str:
    """What the copy action puts on the clipboard for a block in ``language``."""
    lexer = _lexer_for(language)
    text = code.rstrip("\n")
    if lexer is None or not _is_session(lexer) or len(code) > MAX_HIGHLIGHT_CHARS:
        return text
    pieces: list[str] = []
    for _start, token, value in _tokens(code, language):
        if token in Generic.Prompt or token in Generic.Output:
            continue
        pieces.append(value)
    lines = [line.rstrip() for line in "".join(pieces).splitlines()]
    return "\n".join(line for line in lines if line.strip())


def _is_session(lexer: Lexer) -> bool:
    names = {lexer.name.lower(), *(a.lower() for a in lexer.aliases)}
    return any(n.endswith(("session", "con")) or n == "console" for n in names)


def session_skips(code: str, language: str) -> list[tuple[int, int]]:
    """(start, end) of each prompt and output run in a console session block; [] otherwise."""
    lexer = _lexer_for(language)
    if lexer is None or not _is_session(lexer) or len(code) > MAX_HIGHLIGHT_CHARS:
        return []
    ranges: list[tuple[int, int]] = []
    for start, token, value in _tokens(code, language):
        if token in Generic.Prompt or token in Generic.Output:
            if ranges and ranges[-1][1] == start:
                ranges[-1] = (ranges[-1][0], start + len(value))
            else:
                ranges.append((start, start + len(value)))
    return ranges


def highlight_marked(code: str, language: str, marks: list[tuple[int, int, str]]) -> str:
    """Like :func:`highlight_code`, with each ``(start, end, html)`` range of ``code``
    replaced by ``html`` (a placeholder's marker) instead of its highlighted text."""
    from pygments.formatters.html import _get_ttype_class

    lexer = _lexer_for(language)
    if lexer is None or len(code) > MAX_HIGHLIGHT_CHARS:
        tokens = [(0, None, code)]
    else:
        tokens = list(_tokens(code, language))
    out: list[str] = []
    mark_index = 0
    for start, token, value in tokens:
        css = _get_ttype_class(token) if token is not None else ""
        position, end = start, min(start + len(value), len(code))
        while position < end:
            while mark_index < len(marks) and marks[mark_index][1] <= position:
                mark_index += 1
            if mark_index < len(marks) and marks[mark_index][0] <= position:
                mark_start, mark_end, marker = marks[mark_index]
                if mark_start == position:
                    out.append(marker)
                position = min(end, mark_end)
                continue
            stop = min(end, marks[mark_index][0]) if mark_index < len(marks) else end
            piece = html.escape(code[position:stop])
            out.append(f'<span class="{CLASS_PREFIX}{css}">{piece}</span>' if css else piece)
            position = stop
    return "".join(out)


def highlight_code(code: str, language: str) -> tuple[str, bool]:
    """HTML spans for ``code`` (no wrapper) and whether a lexer was used."""
    lexer = _lexer_for(language)
    if lexer is None or len(code) > MAX_HIGHLIGHT_CHARS:
        return html.escape(code), False
    out = io.StringIO()
    _FORMATTER.format(((token, value) for _start, token, value in _tokens(code, language)), out)
    spans = out.getvalue()
    return (spans[:-1] if not code.endswith("\n") and spans.endswith("\n") else spans), True


DIAGRAMS = {"mermaid": "Mermaid", "plantuml": "PlantUML", "puml": "PlantUML",
            "graphviz": "Graphviz", "dot": "Graphviz", "d2": "D2"}


def code_block_html(block: CodeBlock) -> str:
    """The HTML of one code block: a small header with the copy link, then the code.

    The copy link's URL is ``copy:N``; the window maps it to ``block.copy_text``.
    """
    body, _ = highlight_code(block.text.rstrip("\n"), block.language)
    diagram = DIAGRAMS.get(block.language.lower())
    # Drawing diagrams offline needs a browser engine (mermaid) or Java (PlantUML):
    # no well-kept pure-Python route exists, so the source is shown and says so.
    label = html.escape(f"{diagram} diagram (source; not drawn here)" if diagram
                        else block.language or "text")
    if block.title:
        label += f" · <b>{html.escape(block.title)}</b>"
    return (
        f'<table class="codeblock" width="100%" cellspacing="0" cellpadding="0">'
        f'<tr><td class="code-head">{label}&nbsp;&nbsp;'
        f'<a class="copy" href="{COPY_SCHEME}:{block.index}" title="Copy to clipboard">Copy</a>'
        f'</td></tr><tr><td class="code-body"><pre class="code">'
        f"{body}</pre></td></tr></table>\n"
    )


def pygments_css(style: str) -> str:
    """Flat class rules (``.hl-k {...}``) for a Pygments style (Qt's CSS has no descendant
    selectors it applies reliably)."""
    formatter = HtmlFormatter(style=style, classprefix=CLASS_PREFIX)
    rules = []
    for line in formatter.get_style_defs("").splitlines():
        line = line.strip()
        if line.startswith("." + CLASS_PREFIX):
            rules.append(line)
    return "\n".join(rules)
