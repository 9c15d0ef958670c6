"""One incident's events: appended one JSON line at a time, each on disk before it counts.

Every event is written with a single ``write`` of the whole line, flushed and
fsync'd, under an advisory lock, so the window and the command line can both
append and a process killed at any moment leaves every event it reported
written. A last line cut short by such a kill is skipped when reading.
Nothing is ever rewritten: a correction (a back-dated time) is a new event.
"""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

try:  # POSIX; on Windows appends are serialised by the OS's own append mode
    import fcntl
except ImportError:  # pragma: no cover - not on the Linux CI
    fcntl = None  # type: ignore[assignment]

MAX_EVENT_BYTES = 256 * 1024  # a pasted alert or a note longer than this is cut


def utc_now() -> datetime:
    return datetime.now(UTC)


def stamp(moment: datetime) -> str:
    """UTC, to the second, as files and exports write it: 2026-12-07T03:12:45Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_when(text: str, now: datetime | None = None) -> datetime | None:
    """``HH:MM`` today in local time, or an ISO time (``Z`` or an offset); None if neither."""
    now = now or datetime.now().astimezone()
    try:
        hours, minutes = (int(part) for part in text.strip().split(":"))
        return now.replace(hour=hours, minute=minutes, second=0, microsecond=0).astimezone(UTC)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.astimezone()).astimezone(UTC)


def parse_stamp(text: str) -> datetime | None:
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except (TypeError, ValueError):
        return None


class IncidentLog:
    """The events file of one incident."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, kind: str, moment: datetime | None = None, **fields: Any) -> dict:
        """Write one event now; it is on disk when this returns. Returns the event."""
        moment = moment or utc_now()
        event = {"id": uuid.uuid4().hex[:12], "kind": kind, "at": stamp(moment), **fields}
        line = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
        if len(line.encode("utf-8")) > MAX_EVENT_BYTES:
            event = {**event, **{k: str(v)[:2000] + "…" for k, v in fields.items()
                                 if isinstance(v, str) and len(v) > 2000}}
            line = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            with _locked(fd):
                data = (line + "\n").encode("utf-8")
                if _ends_cut(self.path):
                    data = b"\n" + data  # a line a killed writer left cut stays on its own
                os.write(fd, data)
                os.fsync(fd)
        finally:
            os.close(fd)
        return event

    def events(self) -> list[dict]:
        """Every complete event, in the order written; a cut or garbled line is skipped."""
        return list(self._read())

    def _read(self) -> Iterator[dict]:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return
        for raw in data.split(b"\n"):
            if not raw.strip():
                continue
            try:
                event = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                continue  # the tail of a write a kill cut short
            if isinstance(event, dict) and isinstance(event.get("kind"), str):
                yield event


def _ends_cut(path: Path) -> bool:
    try:
        size = path.stat().st_size
        if size == 0:
            return False
        with path.open("rb") as handle:
            handle.seek(size - 1)
            return handle.read(1) != b"\n"
    except OSError:
        return False


@contextlib.contextmanager
def _locked(fd: int) -> Iterator[None]:
    if fcntl is None:
        yield
        return
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
