"""Incident mode in the window: start and resolve, tick steps, record what is done, hand over.

The active incident is shared with the command line through the data
folder: this controller notices an incident started, a note added or one
resolved there within a second. Every event goes to disk as it happens
(see ``core.incident.log``); the Timeline dock shows them.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox

from viewer.core.document import Document
from viewer.core.incident import store
from viewer.core.incident.log import parse_when
from viewer.core.incident.session import Incident
from viewer.core.incident.timeline import Timeline
from viewer.core.start_page import OVERVIEW
from viewer.core.variables.catalog import filled_block, section_of_block
from viewer.ui.timeline_panel import TimelinePanel, local_time

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow

_WATCH_MS = 1000


class IncidentController(QObject):
    """Owns ``incident`` (the active one, or None), its ``timeline`` and the ``panel``."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.incident: Incident | None = None
        self.timeline: Timeline | None = None
        self.panel = TimelinePanel()
        self.panel.start_requested.connect(lambda: self.start())
        self.panel.note_requested.connect(self.note)
        self.panel.export_requested.connect(self.hand_over)
        self.panel.end_requested.connect(self.end)
        self.panel.retime_requested.connect(self.retime)
        self._viewing: Timeline | None = None  # a past incident, read-only
        self._last_opened = ""
        self._pasted: tuple[str, str, dict] = ("", "", {})
        self._offer = False
        self._stamp: tuple = ()
        self._watch = QTimer(self)
        self._watch.setInterval(_WATCH_MS)
        self._watch.timeout.connect(self._check)

    def stop_watching(self) -> None:
        self._watch.stop()

    def start_watching(self) -> None:
        """After the first paint: pick up the active incident and follow its file."""
        self._check()
        self._watch.start()

    # -- what the page shows ----------------------------------------------------------
    def ticked_for(self, path: str) -> set[str] | None:
        """The done steps of ``path`` in the active incident; None when there is none."""
        if self.incident is None or self.timeline is None:
            return None
        return {step for (p, step) in self.timeline.ticked if p == path}

    # -- starting, noting, resolving ----------------------------------------------------
    def start(self, title: str = "") -> None:
        if self.incident is not None:
            title = self.timeline.title if self.timeline else ""
            self.window.status_label.setText(f"Incident “{title}” is on; resolve it before "
                                             "starting another.")
            self.focus()
            return
        name, alert, labels = self._pasted
        title, ok = QInputDialog.getText(self.window, "Start incident",
                                         "What is happening? (a title for the hand-over)",
                                         QLineEdit.EchoMode.Normal, title or name)
        if not ok:
            return
        try:
            store.start(title, alert, labels)
        except OSError as err:
            self.window.message_bar.show_message(
                f"The incident could not be started: {err.strerror or err}. Nothing was lost.")
            return
        self._offer = False
        self._check()
        if labels:
            self.window.variables.take_alert(labels)
        current = self.window.history.current
        if current is not None:
            self._last_opened = ""
            self.page_shown(current.path)
        self.focus()
        self.window.reshow()

    def note(self) -> None:
        if self.incident is None:
            self.window.status_label.setText("Start an incident first (Ctrl+Shift+I).")
            return
        text, ok = QInputDialog.getMultiLineText(self.window, "Add a note",
                                                 "What happened, or what did you decide?")
        if ok and text.strip():
            self._record(lambda incident: incident.note(text.strip()))

    def retime(self, event_id: str) -> None:
        if self.incident is None:
            return
        text, ok = QInputDialog.getText(self.window, "When did it happen?",
                                        "Time it really happened: HH:MM today (local time), "
                                        "or 2026-12-07T03:10Z")
        if not ok or not text.strip():
            return
        when = parse_when(text)
        if when is None:
            self.window.status_label.setText(f"{text!r} is not a time: give HH:MM.")
            return
        self._record(lambda incident: incident.retime(event_id, when))

    def end(self) -> None:
        if self.incident is None or self.timeline is None:
            return
        answer = QMessageBox.question(self.window, "Resolve incident",
                                      f"Mark “{self.timeline.title}” resolved? Its timeline "
                                      "is kept; hand it over from Incident > Past Incidents.")
        if answer != QMessageBox.StandardButton.Yes:
            return
        incident_id = self.incident.id
        self._record(lambda incident: store.end(incident.id))
        self._viewing = Incident(incident_id).timeline()
        self._check()
        self.window.reshow()

    def hand_over(self) -> None:
        timeline = self.timeline or self._viewing
        if timeline is None:
            self.window.status_label.setText("No incident to hand over yet.")
            return
        from viewer.ui.handover_dialog import HandoverDialog

        HandoverDialog(timeline, self.window).exec()

    def show_past(self) -> None:
        """Pick a past incident and show its timeline, read-only (and hand it over)."""
        found = store.incidents()
        if not found:
            self.window.status_label.setText("No incidents yet.")
            return
        labels = [f"{local_time(s.started, with_day=True)}  {s.title}"
                  + ("  (active)" if self.incident and s.id == self.incident.id else "")
                  for s in found]
        choice, ok = QInputDialog.getItem(self.window, "Past incidents", "Show the timeline of:",
                                          labels, 0, False)
        if not ok:
            return
        chosen = found[labels.index(choice)]
        if self.incident is not None and chosen.id == self.incident.id:
            self._viewing = None
            self._show()
        else:
            self._viewing = Incident(chosen.id).timeline()
            self.panel.show_timeline(self._viewing, active=False)
        self.focus()

    def focus(self) -> None:
        self.window.timeline_dock.show()
        self.window.timeline_dock.raise_()

    # -- what the reader does, recorded ------------------------------------------------
    def page_shown(self, path: str) -> None:
        if self._offer and self.incident is None and self._pasted[0]:
            self._offer = False
            name = self._pasted[0]
            self.window.message_bar.show_message(
                f"Alert {name}: keep a timeline of what you do?",
                f"Start incident for {name}", lambda: self.start(name))
        if self.incident is None or path == OVERVIEW or path == self._last_opened:
            return
        self._last_opened = path
        from viewer.sync.versions import runbook_version  # after first paint: sync is loaded

        current = self.window.history.current
        anchor = current.anchor if current is not None and current.path == path else ""
        version = runbook_version(self.window.library, path)
        self._record(lambda incident: incident.opened(path, anchor, version), reshow=False)

    def toggle(self, step_id: str) -> None:
        document = self.window.document
        if self.incident is None or not isinstance(document, Document):
            self.window.status_label.setText("Start an incident (Ctrl+Shift+I) to tick steps.")
            return
        step = next((s for s in document.steps if s.id == step_id), None)
        if step is None:
            return
        done = step_id in (self.ticked_for(document.path) or set())
        self._record(lambda incident: incident.tick(document.path, step, not done))
        self.window.status_label.setText(f"{'Not done' if done else 'Done'}: {step.text[:80]}")

    def copied(self, index: int) -> None:
        document = self.window.document
        if self.incident is None or not isinstance(document, Document):
            return
        text = filled_block(document, index, self.window.variables.values, masked=True).text
        anchor = section_of_block(document, index)
        self._record(lambda incident: incident.copied(document.path, anchor, index + 1, text),
                     reshow=False)

    def variable_set(self, name: str, source: str, value: str, secret: bool) -> None:
        if self.incident is not None:
            self._record(lambda incident: incident.variable(name, source, value, secret),
                         reshow=False)

    def alert_pasted(self, name: str, text: str, labels: dict) -> None:
        """Remember a pasted alert: an incident started now takes its title and labels."""
        self._pasted = (name, text, labels)
        self._offer = self.incident is None

    # -- keeping up with the files ----------------------------------------------------------
    def _record(self, write, reshow: bool = True) -> None:  # type: ignore[no-untyped-def]
        if self.incident is None:
            return
        try:
            write(self.incident)
        except OSError as err:
            self.window.message_bar.show_message(
                f"The incident's timeline could not be written: {err.strerror or err}. "
                "Note what you did elsewhere until the disk has room.")
            return
        self._check(force=True)
        if reshow:
            self.window.reshow()

    def _file_stamp(self) -> tuple:
        with contextlib.suppress(OSError):
            active = (store.incidents_dir() / "active").stat().st_mtime_ns
            incident_id = store.active_id()
            log = store.log_of(incident_id).path.stat() if incident_id else None
            return (active, incident_id, log.st_size if log else 0,
                    log.st_mtime_ns if log else 0)
        return ()

    def _check(self, force: bool = False) -> None:
        stamp = self._file_stamp()
        if stamp == self._stamp and not force:
            return
        self._stamp = stamp
        was = self.incident.id if self.incident else ""
        incident_id = store.active_id()
        self.incident = Incident(incident_id) if incident_id else None
        self.timeline = self.incident.timeline() if self.incident else None
        if incident_id != was:
            self._last_opened = ""
            self.window.update_title()
            self.window.reshow()  # tick boxes appear or go
        self._show()

    def _show(self) -> None:
        if self._viewing is not None and self.incident is None:
            self.panel.show_timeline(self._viewing, active=False)
        else:
            self._viewing = None if self.incident is not None else self._viewing
            self.panel.show_timeline(self.timeline, active=True)


