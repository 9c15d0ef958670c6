"""Where this user's local sockets live: a folder no one else may enter, one name per use.

The window's instance socket and the search helper's share the folder
(``XDG_RUNTIME_DIR``, else a 0700 folder in the temp directory; a pipe's
name on Windows). Plain ``os`` only: the search helper's client reaches
for it before anything else is imported.
"""

from __future__ import annotations

import os
import stat

from viewer import APP_ID


def private_address(kind: str, identity: str) -> str:
    """The address for ``kind`` ("" for the window), its name hashed from ``identity``
    (two users, or two test runs with folders of their own, never meet)."""
    import zlib  # not hashlib: its OpenSSL costs a helped search a tenth of its time

    data = identity.encode("utf-8")
    tag = f"{kind}{zlib.crc32(data):08x}{zlib.adler32(data) >> 16:04x}"  # 48 bits, as before
    if os.name != "posix":
        user = os.environ.get("USERNAME", "user")
        return f"{APP_ID}-{user}-{tag}"
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and os.path.isdir(runtime):
        return os.path.join(runtime, f"{APP_ID}-{tag}")
    temp = os.environ.get("TMPDIR") or "/tmp"  # tempfile's first choices, without importing it
    return os.path.join(temp, f"{APP_ID}-{os.getuid()}", tag)


def private_socket_folder(address: str) -> bool:
    """Make (or check) the folder of a Unix socket address: this user's, and no one else's.

    False when it exists but someone else owns it or others may enter it: then
    nothing listens nor forwards there (a shared /tmp is not to be trusted).
    """
    folder = os.path.dirname(address)
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        info = os.stat(folder)
    except OSError:
        return False
    if folder == os.environ.get("XDG_RUNTIME_DIR", "").rstrip("/"):
        return info.st_uid == os.getuid()
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IRWXG | stat.S_IRWXO)
