"""Is a source's remote reachable now, and when to look again while it is not.

The probe is one TCP connection to the remote's host and port (no request,
no credentials), or a check that a local repository path exists. While
every remote is unreachable the app probes with a growing interval, so a
laptop on a train spends nothing on sync until a connection is back.
"""

from __future__ import annotations

import socket
from pathlib import Path
from urllib.parse import urlsplit

from viewer.sync.sources import SCP_LIKE, Source

_DEFAULT_PORTS = {"http": 80, "https": 443, "ssh": 22, "git": 9418}


def reachable(source: Source, timeout: float = 3.0) -> bool:
    """True when a sync of ``source`` could reach its remote right now."""
    url = source.url
    if SCP_LIKE.match(url):  # git@host:org/repo.git
        host, port = url.split("@")[-1].split(":", 1)[0], 22
    else:
        parts = urlsplit(url)
        if parts.scheme in ("", "file"):
            return Path(parts.path if parts.scheme else url).expanduser().exists()
        host = parts.hostname or ""
        try:
            port = parts.port or _DEFAULT_PORTS.get(parts.scheme, 443)
        except ValueError:
            return False
    if not host:
        return False
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


class Backoff:
    """Seconds until the next probe: doubling from ``first`` up to ``longest``."""

    def __init__(self, first: float = 5.0, longest: float = 300.0) -> None:
        self.first, self.longest = first, longest
        self._next = first

    def next_delay(self) -> float:
        delay, self._next = self._next, min(self._next * 2, self.longest)
        return delay

    def reset(self) -> None:
        self._next = self.first
