"""A loopback TCP server that misbehaves as real networks do: silent, stalled, trickling."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator

HEADERS = (b"HTTP/1.1 200 OK\r\nContent-Type: application/x-git-upload-pack-advertisement\r\n"
           b"Content-Length: 1000000\r\n\r\n")


def _endless_refs() -> Iterator[bytes]:
    """A git ref advertisement that never ends, in pieces of four bytes."""
    yield b"001e# service=git-upload-pack\n0000"
    number = 0
    while True:
        line = f"{'0' * 40} refs/heads/branch-{number}\n".encode()
        packet = f"{len(line) + 4:04x}".encode() + line
        for start in range(0, len(packet), 4):
            yield packet[start:start + 4]
        number += 1


@contextlib.contextmanager
def hanging_server(behaviour: str) -> Iterator[str]:
    """Yield ``http://127.0.0.1:PORT/repo.git`` served by a server that ``behaviour``s:

    ``silent``: accepts and never sends a byte; ``stall``: sends response headers,
    then nothing; ``trickle``: sends headers, then a valid, endless list of branches,
    a few bytes every half second: never idle long enough for a read timeout.
    """
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    stop = threading.Event()
    held: list[socket.socket] = []

    def serve(conn: socket.socket) -> None:
        conn.settimeout(0.2)
        with contextlib.suppress(OSError):
            if behaviour != "silent":
                conn.recv(65536)
                conn.sendall(HEADERS)
            stream = _endless_refs()
            while not stop.is_set():
                if behaviour == "trickle":
                    conn.sendall(next(stream))
                time.sleep(0.5)

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            held.append(conn)
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/repo.git"
    finally:
        stop.set()
        thread.join(timeout=5)
        for conn in held:
            conn.close()
        listener.close()
