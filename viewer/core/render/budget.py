"""How long one page may take to parse, and the plain page shown when a parser fails or overruns.

docutils' state machine copies the rest of the document for each nested
parse, so some reST (thousands of sections, targets or lists) costs more
than its size suggests. A page gets a time budget that grows with its size;
the state machine checks it at every line, and a page over budget, or one
that makes a parser fail, is shown as its own text with a notice instead:
never a traceback, never an empty page without a word.
"""

from __future__ import annotations

import contextlib
import html
import threading
import time
from collections.abc import Iterator

from viewer.core.document import Block, Document

_local = threading.local()


class RenderTooSlow(Exception):
    """A parse went over its page's time budget."""


def seconds_for(size: int) -> float:
    """The time budget for a page of ``size`` characters: 5 s, plus 10 s a megabyte, up to 30 s."""
    return min(30.0, 5.0 + 10.0 * size / 1_000_000)


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Parses on this thread raise :class:`RenderTooSlow` after ``seconds``."""
    previous = getattr(_local, "at", None)
    _local.at = time.monotonic() + seconds
    try:
        yield
    finally:
        _local.at = previous


def check() -> None:
    """Raise :class:`RenderTooSlow` when this thread's parse is over its budget."""
    at = getattr(_local, "at", None)
    if at is not None and time.monotonic() > at:
        raise RenderTooSlow()


def install_docutils_check() -> None:
    """Make docutils' state machine check the budget at every line it reads (idempotent)."""
    from docutils import statemachine

    original = statemachine.StateMachine.next_line
    if getattr(original, "checks_budget", False):
        return

    def next_line(self, n: int = 1):  # type: ignore[no-untyped-def]
        check()
        return original(self, n)

    next_line.checks_budget = True  # type: ignore[attr-defined]
    statemachine.StateMachine.next_line = next_line  # type: ignore[method-assign]


def plain_document(text: str, path: str, markup: str, notice: str) -> Document:
    """``text`` shown as it is written, with ``notice`` above it; its paragraphs indexed."""
    paragraphs = [part.strip() for part in text.replace("\r\n", "\n").split("\n\n")]
    paragraphs = [part for part in paragraphs if part]
    title = next((line.strip().lstrip("#").strip() for line in text.splitlines()
                  if line.strip() and not set(line.strip()) <= set("=-~^*#+:.'\"`_")),
                 "") or path.rsplit("/", 1)[-1]
    return Document(
        path=path,
        markup=markup,
        title=title[:200],
        body_html=f'<pre class="source">{html.escape(text)}</pre>\n',
        blocks=[Block("paragraph", part) for part in paragraphs],
        notices=[notice],
        laid_out=False,
    )
