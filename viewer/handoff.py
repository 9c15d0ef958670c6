"""A second launch hands its request to the window already running, then exits.

The window listens on :func:`viewer.locations.instance_address` (Qt's
``QLocalServer``: a Unix socket, or a named pipe on Windows). This side is
plain Python so that ``runbook-viewer open URL`` from a link or a terminal
does not load Qt just to pass a line on. The exchange: one JSON line out
(:meth:`viewer.core.open_request.OpenRequest.to_line`), ``ok`` back.
"""

from __future__ import annotations

import os
import socket
import time

from viewer.core.open_request import OpenRequest
from viewer.locations import instance_address
from viewer.private_socket import private_socket_folder

REPLY_SECONDS = 5.0  # a window busy painting still answers well within this


def hand_over(request: OpenRequest, *, own_library: bool, self_test: bool = False) -> bool:
    """True when this launch is done because the running window took ``request``.

    A launch for a folder of its own (``--library``) or the self-test always gets
    a window of its own; every other launch goes to the window already running.
    """
    return not own_library and not self_test and forward(request)


def forward(request: OpenRequest, address: str | None = None) -> bool:
    """True when a running window took ``request``; False when none answered."""
    address = address or instance_address()
    if os.name == "posix":
        return _forward_unix(request, address)
    return _forward_pipe(request, address)


def _forward_unix(request: OpenRequest, address: str) -> bool:
    if not os.path.exists(address) or not private_socket_folder(address):
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(REPLY_SECONDS)
            conn.connect(address)
            conn.sendall(request.to_line())
            return _read_reply(conn.recv)
    except OSError:  # a socket left by a window that crashed: nobody listens
        return False


def _forward_pipe(request: OpenRequest, name: str) -> bool:
    try:
        with open(rf"\\.\pipe\{name}", "r+b", buffering=0) as pipe:
            pipe.write(request.to_line())
            return _read_reply(pipe.read)
    except OSError:
        return False


def _read_reply(read) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + REPLY_SECONDS
    reply = b""
    while b"\n" not in reply and time.monotonic() < deadline:
        chunk = read(64)
        if not chunk:
            break
        reply += chunk
    return reply.strip() == b"ok"
