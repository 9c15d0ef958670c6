"""Showing runbook text in tooltips and labels as text, never as HTML Qt would lay out.

Qt guesses that a string starting with a tag is rich text and lays it out
as HTML, loading any ``<img src>`` itself (a file outside the library, a
FIFO that blocks, /dev/zero). Anything a runbook wrote (titles, headings,
symptoms, paths, messages quoting them) goes through here.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel


def plain_tip(text: str) -> str:
    """A tooltip that shows ``text`` exactly: escaped, so there is no tag to lay out."""
    return ('<p style="white-space:pre-wrap">' + html.escape(text).replace("\n", "<br>")
            + "</p>") if text else ""


def plain_label(label: QLabel) -> QLabel:
    """``label``, made to show its text as text whatever it holds."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label
