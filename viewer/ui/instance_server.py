"""The running window's end of a second launch's hand-off (see :mod:`viewer.handoff`)."""

from __future__ import annotations

import os

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QAbstractSocket, QLocalServer, QLocalSocket

from viewer.core.open_request import MAX_REQUEST_BYTES, BadRequest, OpenRequest
from viewer.locations import instance_address
from viewer.private_socket import private_socket_folder


class InstanceServer(QObject):
    """Listens for requests from later launches; ``requested(OpenRequest)`` for each."""

    requested = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self, address: str | None = None) -> bool:
        """Start listening; False (and the window runs on its own) when that cannot be."""
        address = address or instance_address()
        if os.name == "posix" and not private_socket_folder(address):
            return False
        if self.server.listen(address):
            return True
        # A socket left by a window that crashed: the caller found nobody answering there.
        if self.server.serverError() == QAbstractSocket.SocketError.AddressInUseError:
            QLocalServer.removeServer(address)
            return self.server.listen(address)
        return False

    def close(self) -> None:
        self.server.close()

    def _accept(self) -> None:
        while (conn := self.server.nextPendingConnection()) is not None:
            self._buffers[conn] = b""
            conn.readyRead.connect(lambda c=conn: self._read(c))
            conn.disconnected.connect(lambda c=conn: self._drop(c))

    def _read(self, conn: QLocalSocket) -> None:
        data = self._buffers.get(conn, b"") + bytes(conn.readAll().data())
        if b"\n" not in data and len(data) <= MAX_REQUEST_BYTES:
            self._buffers[conn] = data
            return
        self._buffers[conn] = b""
        try:
            request = OpenRequest.from_line(data.split(b"\n", 1)[0][:MAX_REQUEST_BYTES])
        except BadRequest:
            conn.write(b"bad\n")
            conn.disconnectFromServer()
            return
        conn.write(b"ok\n")
        conn.flush()
        conn.disconnectFromServer()
        self.requested.emit(request)

    def _drop(self, conn: QLocalSocket) -> None:
        self._buffers.pop(conn, None)
        conn.deleteLater()
