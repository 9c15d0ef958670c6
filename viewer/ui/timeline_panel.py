"""The Timeline dock: the active (or a past) incident's events as they are written.

Times show in local time (the files and the hand-over keep UTC). A past
incident is shown read-only. Double-clicking an event asks when it really
happened, for back-dating; the original time stays recorded.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from viewer.core.incident.log import parse_stamp
from viewer.core.incident.timeline import Timeline
from viewer.ui.plain_text import plain_label, plain_tip

EVENT_ROLE = Qt.ItemDataRole.UserRole + 1


def local_time(stamp: str, with_day: bool = False) -> str:
    moment = parse_stamp(stamp)
    if moment is None:
        return stamp
    return moment.astimezone().strftime("%Y-%m-%d %H:%M" if with_day else "%H:%M")


class TimelinePanel(QWidget):
    """Signals: ``start_requested``, ``note_requested``, ``export_requested``,
    ``end_requested``, ``retime_requested(event id)``."""

    start_requested = Signal()
    note_requested = Signal()
    export_requested = Signal()
    end_requested = Signal()
    retime_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = plain_label(QLabel("No incident. Start one (Ctrl+Shift+I) and the steps "
                                        "you tick, the commands you copy and your notes are "
                                        "kept here with their times."))
        self.title.setWordWrap(True)
        self.events = QListWidget()
        self.events.setWordWrap(True)
        self.events.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.events.setResizeMode(QListView.ResizeMode.Adjust)
        self.events.itemDoubleClicked.connect(self._retime)
        self.start_button = QPushButton("Start incident…")
        self.note_button = QPushButton("Note…")
        self.export_button = QPushButton("Hand over…")
        self.end_button = QPushButton("Resolve")
        self.start_button.clicked.connect(self.start_requested)
        self.note_button.clicked.connect(self.note_requested)
        self.export_button.clicked.connect(self.export_requested)
        self.end_button.clicked.connect(self.end_requested)
        buttons = QHBoxLayout()
        for button in (self.start_button, self.note_button, self.export_button,
                       self.end_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.events, 1)
        layout.addLayout(buttons)
        self.show_timeline(None)

    def show_timeline(self, timeline: Timeline | None, active: bool = True) -> None:
        """Show ``timeline`` (None: no incident); a past one (``active`` False) read-only."""
        self.events.clear()
        self.start_button.setVisible(timeline is None or not active)
        for button in (self.note_button, self.end_button):
            button.setVisible(timeline is not None and active)
        self.export_button.setVisible(timeline is not None)
        if timeline is None:
            self.title.setText("No incident. Start one (Ctrl+Shift+I): the steps you tick, "
                               "the commands you copy and your notes are kept here with "
                               "their times, for the hand-over.")
            return
        state = "" if active else (" (resolved, read-only)" if timeline.ended
                                   else " (not active, read-only)")
        done = sum(timeline.ticks.values())
        self.title.setText(f"{timeline.title}{state}: started "
                           f"{local_time(timeline.started, with_day=True)}, {done} step"
                           f"{'s' if done != 1 else ''} done")
        for entry in timeline.entries:
            item = QListWidgetItem(f"{local_time(entry.when)}  {entry.text}")
            item.setData(EVENT_ROLE, entry.id)
            moved = entry.when != entry.at
            item.setToolTip(plain_tip(
                f"{entry.text}\nRecorded {local_time(entry.at, with_day=True)}"
                + (f", said to have happened {local_time(entry.when, with_day=True)}"
                   if moved else "") + ("\nDouble-click to change when it happened."
                                        if active else "")))
            self.events.addItem(item)
        self.events.scrollToBottom()
        self._active = active

    def _retime(self, item: QListWidgetItem) -> None:
        if getattr(self, "_active", False) and item.data(EVENT_ROLE):
            self.retime_requested.emit(item.data(EVENT_ROLE))
