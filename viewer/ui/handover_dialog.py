"""The hand-over dialog: an incident as Markdown, JSON or Slack messages, to copy or save."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from viewer.core.incident import export
from viewer.core.incident.timeline import Timeline
from viewer.ui.plain_text import plain_label

FORMATS = (("Markdown", "md"), ("Slack messages", "slack"), ("JSON", "json"))


class HandoverDialog(QDialog):
    def __init__(self, timeline: Timeline, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Hand over: {timeline.title}")
        self.resize(760, 560)
        self.timeline = timeline
        self.format = QComboBox()
        for label, key in FORMATS:
            self.format.addItem(label, key)
        self.format.currentIndexChanged.connect(self._show)
        self.message = QSpinBox()
        self.message.setPrefix("message ")
        self.message.valueChanged.connect(self._show)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.status = plain_label(QLabel(""))
        copy = QPushButton("Copy")
        copy.setDefault(True)
        copy.clicked.connect(self.copy)
        save = QPushButton("Save…")
        save.clicked.connect(self.save)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        top = QHBoxLayout()
        top.addWidget(self.format)
        top.addWidget(self.message)
        top.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        for button in (copy, save, close):
            bottom.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.text, 1)
        layout.addLayout(bottom)
        self._show()

    def _texts(self) -> list[str]:
        key = self.format.currentData()
        if key == "slack":
            return export.slack(self.timeline)
        return [export.as_json(self.timeline) if key == "json"
                else export.markdown(self.timeline)]

    def _show(self) -> None:
        texts = self._texts()
        slack = self.format.currentData() == "slack"
        self.message.blockSignals(True)
        self.message.setRange(1, len(texts))
        self.message.setSuffix(f" of {len(texts)}")
        self.message.blockSignals(False)
        self.message.setVisible(slack and len(texts) > 1)
        self.text.setPlainText(texts[min(self.message.value(), len(texts)) - 1])
        self.status.setText(f"Under Slack's {export.SLACK_LIMIT} characters per message; "
                            "copy and paste each in turn." if slack and len(texts) > 1 else "")

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())
        self.status.setText("Copied to the clipboard.")

    def save(self) -> None:
        key = self.format.currentData()
        suffix = {"md": ".md", "json": ".json", "slack": ".txt"}[key]
        name, _ = QFileDialog.getSaveFileName(self, "Save the hand-over",
                                              f"incident-{self.timeline.id}{suffix}")
        if not name:
            return
        text = ("\n\n----\n\n".join(self._texts()) + "\n" if key == "slack"
                else self._texts()[0])
        try:
            with open(name, "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as err:
            self.status.setText(f"Could not save {name}: {err.strerror or err}")
            return
        self.status.setText(f"Saved {name}")
