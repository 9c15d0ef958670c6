"""Recording what happens in the active incident, as the window and the command line do it.

Each method writes one event (see ``log``) with what the hand-over needs:
the runbook and its version, the step's identity and words, the command as
copied with secrets masked, a variable's source (never a secret's value).
"""

from __future__ import annotations

from datetime import datetime

from viewer.core.incident import store
from viewer.core.incident.log import IncidentLog, stamp
from viewer.core.incident.steps import Step
from viewer.core.incident.timeline import Timeline


class Incident:
    def __init__(self, incident_id: str) -> None:
        self.id = incident_id
        self.log: IncidentLog = store.log_of(incident_id)

    @classmethod
    def active(cls) -> Incident | None:
        incident_id = store.active_id()
        return cls(incident_id) if incident_id else None

    def timeline(self) -> Timeline:
        return Timeline.replay(self.id, self.log.events())

    def opened(self, path: str, anchor: str, version: str) -> None:
        self.log.append("opened", path=path, anchor=anchor, version=version)

    def tick(self, path: str, step: Step, ticked: bool = True) -> None:
        self.log.append("tick", path=path, anchor=step.anchor, step=step.id,
                        text=step.text[:300], ticked=ticked)

    def copied(self, path: str, anchor: str, block: int, text: str) -> None:
        """A command put on the clipboard (``text`` with secrets masked): copied, not ran."""
        self.log.append("copied", path=path, anchor=anchor, block=block, text=text)

    def variable(self, name: str, source: str, value: str, secret: bool) -> None:
        if secret:
            self.log.append("variable", name=name, source=source, secret=True)
        else:
            self.log.append("variable", name=name, source=source, value=value)

    def note(self, text: str, when: datetime | None = None) -> None:
        event = self.log.append("note", text=text)
        if when is not None:
            self.retime(event["id"], when)

    def retime(self, event_id: str, when: datetime) -> None:
        """Say an event happened at ``when`` (back-dating); the original stays recorded."""
        self.log.append("retime", target=event_id, when=stamp(when))
