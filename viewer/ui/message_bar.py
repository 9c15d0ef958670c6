"""A calm, dismissable message strip above the page (refused links, unreadable files...)."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from viewer.ui.plain_text import plain_label


class MessageBar(QWidget):
    """Hidden until a message comes; its parts are made then (it exists before the first
    paint, which should not pay for them, nor for PySide6's ``Qt`` namespace)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.label: QLabel | None = None
        self.action_button = QPushButton()
        self.action_button.clicked.connect(self._act)
        self.action_button.hide()
        self._action: Callable[[], None] | None = None
        self._shown_at = 0.0  # perf_counter() of the message on show
        self.setAutoFillBackground(True)
        self.hide()

    def _build(self) -> QLabel:
        from PySide6.QtCore import Qt

        self.label = plain_label(QLabel())
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton(text="\u2715", toolTip="Dismiss")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action_button)
        layout.addWidget(close)
        self.setStyleSheet("#messageBar { background-color: #fff8c5; } "
                           "#messageBar QLabel { color: #3b2300; }")
        return self.label

    def show_message(self, text: str, action_text: str = "",
                     action: Callable[[], None] | None = None) -> None:
        """Show ``text``; with ``action_text``, a button beside it runs ``action`` once."""
        label = self.label or self._build()
        label.setText(text)
        self._action = action if action_text else None
        self.action_button.setText(action_text)
        self.action_button.setVisible(bool(action_text))
        self._shown_at = time.perf_counter()
        self.show()

    def page_shown(self, asked_at: float) -> None:
        """A page asked for at ``asked_at`` (``perf_counter``) is on screen: a message from
        before then was about what the reader left, and goes; one that came while the page
        loaded (a request for a page that is not there, at start) stays until dismissed."""
        if self._shown_at <= asked_at:
            self.hide()

    def _act(self) -> None:
        action, self._action = self._action, None
        self.hide()
        if action is not None:
            action()

    @property
    def text(self) -> str:
        return self.label.text() if self.label is not None and self.isVisible() else ""
