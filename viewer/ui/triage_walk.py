"""The guided triage walk: the library's ``triage.yaml`` questions, one page of answers each.

Each answer leads to another question or opens a runbook section; number
keys pick an answer, Back steps up, Close returns to the symptom tree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from viewer.ui.plain_text import plain_label

if TYPE_CHECKING:
    from viewer.core.triage.authored import Question


class TriageWalk(QWidget):
    """Signals: ``open_requested(path, anchor)`` at an answer's runbook, ``closed()``."""

    open_requested = Signal(str, str)
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._path: list[Question] = []
        layout = QVBoxLayout(self)
        self.question = plain_label(QLabel(""))
        self.question.setWordWrap(True)
        self.question.setStyleSheet("font-weight: 600;")
        self.answers = QVBoxLayout()
        buttons = QHBoxLayout()
        self.back_button = QPushButton("Back")
        self.back_button.clicked.connect(self._back)
        close = QPushButton("Back to symptoms")
        close.clicked.connect(self.end)
        buttons.addWidget(self.back_button)
        buttons.addWidget(close)
        layout.addWidget(self.question)
        layout.addLayout(self.answers)
        layout.addStretch(1)
        layout.addLayout(buttons)

    def start(self, question: Question) -> None:
        self._path = [question]
        self._show()

    def end(self) -> None:
        self._path = []
        self.closed.emit()

    def _back(self) -> None:
        if len(self._path) > 1:
            self._path.pop()
            self._show()
        else:
            self.end()

    def _show(self) -> None:
        question = self._path[-1]
        self.question.setText(question.text)
        while self.answers.count():
            widget = self.answers.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        for number, answer in enumerate(question.answers, 1):
            button = QPushButton(f"{number}. {answer.text}")
            button.setStyleSheet("text-align: left; padding: 6px;")
            if number <= 9:
                button.setShortcut(str(number))
            button.clicked.connect(lambda _c=False, a=answer: self._answer(a))
            self.answers.addWidget(button)
        self.back_button.setText("Back" if len(self._path) > 1 else "Close")

    def _answer(self, answer) -> None:  # type: ignore[no-untyped-def]
        if answer.question is not None:
            self._path.append(answer.question)
            self._show()
        else:
            path, _, anchor = answer.target.partition("#")
            self.open_requested.emit(path, anchor)
