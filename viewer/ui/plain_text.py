"""Showing runbook text in tooltips and labels as text, never as HTML Qt would lay out.

Qt guesses that a string starting with a tag is rich text and lays it out
as HTML, loading any ``<img src>`` itself (a file outside the library, a
FIFO that blocks, /dev/zero). Anything a runbook wrote (titles, headings,
symptoms, paths, messages quoting them) goes through here.

``Qt`` is imported where it is used: this module is loaded before the first
paint, and PySide6 builds all ~90 enums of the ``Qt`` namespace the first time
anything touches it (35-50 ms, a seventh of a start).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QSize
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QLabel, QWidget


def plain_tip(text: str) -> str:
    """A tooltip that shows ``text`` exactly: escaped, so there is no tag to lay out."""
    return ('<p style="white-space:pre-wrap">' + html.escape(text).replace("\n", "<br>")
            + "</p>") if text else ""


def plain_label(label: QLabel) -> QLabel:
    """``label``, made to show its text as text whatever it holds."""
    from PySide6.QtCore import Qt

    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class ElidingLabel(QLabel):
    """A one-line plain-text label that ends in "…" at a word rather than being cut mid-word
    when the status bar is narrow; the whole text is in its tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        from PySide6.QtCore import Qt

        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setMinimumWidth(40)

    def minimumSizeHint(self) -> QSize:
        return QSize(40, super().minimumSizeHint().height())

    def paintEvent(self, event: object) -> None:
        from PySide6.QtCore import Qt

        painter = QPainter(self)
        metrics = self.fontMetrics()
        text = self.text()
        room = self.contentsRect().width()
        if metrics.horizontalAdvance(text) > room:
            words = text.split(" ")
            while len(words) > 1 and metrics.horizontalAdvance(" ".join(words) + "…") > room:
                words.pop()
            text = metrics.elidedText(" ".join(words) + "…", Qt.TextElideMode.ElideRight, room)
        painter.drawText(self.contentsRect(), int(self.alignment() | Qt.AlignmentFlag.AlignVCenter),
                         text)
