"""A loopback TCP server that misbehaves as real networks do: silent, stalled, trickling."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator

HEADERS = (b"HTTP/1.1 200 OK\r\nContent-Type: application/x-git-upload-pack-advertisement\r\n"
           b"Content-Length: 1000000\r\n\r\n")


@contextlib.contextmanager
def hanging_server(behaviour: str) -> Iterator[str]:
    """Yield ``http://127.0.0.1:PORT/repo.git`` served by a server that ``behaviour``s:

    ``silent``: accepts and never sends a byte; ``stall``: sends response headers,
    then nothing; ``trickle``: sends headers, then one byte every half second, for ever.
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
            while not stop.is_set():
                if behaviour == "trickle":
                    conn.sendall(b"0")
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
