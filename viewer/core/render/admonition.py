"""The HTML of a callout box (note, warning, tip...), shared by Markdown and reST.

Qt's rich-text engine draws backgrounds and borders reliably only on table
cells, so a callout is a one-cell table whose class picks its colour.
"""

from __future__ import annotations

import html

# Each kind maps to one of four colours in the page stylesheets.
_TONE = {
    "note": "info", "seealso": "info", "hint": "tip", "tip": "tip", "important": "important",
    "warning": "warning", "caution": "warning", "attention": "warning", "danger": "danger",
    "error": "danger", "todo": "info", "admonition": "info",
    "versionadded": "tip", "versionchanged": "info", "deprecated": "warning",
}
_TITLES = {"seealso": "See also", "todo": "To do"}


def admonition_title(kind: str) -> str:
    return _TITLES.get(kind, kind.capitalize())


def admonition_box_open(kind: str) -> str:
    """The start of the box alone; the caller writes the title paragraph."""
    tone = _TONE.get(kind, "info")
    return (
        f'<table class="admonition admonition-{tone}" width="100%" cellspacing="0" '
        f'cellpadding="8"><tr><td>'
    )


def admonition_open(kind: str, title: str | None = None) -> str:
    label = html.escape(title if title is not None else admonition_title(kind))
    return f'{admonition_box_open(kind)}<p class="admonition-title">{label}</p>\n'


def admonition_close() -> str:
    return "</td></tr></table>\n"


def notice_html(message: str) -> str:
    """A small inline notice (an unsupported construct, a disabled directive)."""
    return f'<span class="notice">[{html.escape(message)}]</span>'
