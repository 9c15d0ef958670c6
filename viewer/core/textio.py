"""Reading a runbook file as text, whatever its encoding, or saying why not.

Runbooks come from many editors and many years: UTF-8 with or without a BOM,
UTF-16 from Windows tools, and legacy 8-bit files. Every file either decodes
or raises :class:`UnreadableFile` with a sentence a user can act on.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

MAX_FILE_BYTES = 5 * 1024 * 1024
_SNIFF_BYTES = 8192

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class UnreadableFile(Exception):
    """A file that cannot be shown as text; ``str(err)`` is the user-facing reason."""


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    digest: str = ""  # of the bytes on disk: the index re-parses only when it changes
    size: int = 0
    mtime_ns: int = 0


def content_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def decode_bytes(data: bytes, *, name: str = "this file") -> DecodedText:
    """Decode runbook bytes: BOM first, then UTF-8, then cp1252 (never fails on text)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return DecodedText(data[len(bom) :].decode(encoding), encoding)
            except UnicodeDecodeError as err:
                raise UnreadableFile(
                    f"{name} starts with a {encoding.upper()} byte-order mark "
                    f"but is not valid {encoding.upper()} text."
                ) from err
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise UnreadableFile(f"{name} is a binary file, not a text runbook.")
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        # Legacy editors wrote Windows-1252; the five bytes it leaves
        # undefined become U+FFFD rather than a failure.
        return DecodedText(data.decode("cp1252", errors="replace"), "cp1252")


def _open_regular(path: Path) -> tuple[int, os.stat_result]:
    """A descriptor on the regular file at ``path``, opened without waiting or following."""
    name = path.name
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | \
        getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError as err:
        raise UnreadableFile(f"{name} no longer exists.") from err
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise UnreadableFile(f"{name} is a link; not opened.") from err
        raise UnreadableFile(f"{name} cannot be read: {err.strerror or err}.") from err
    try:
        info = os.fstat(fd)
    except OSError as err:
        os.close(fd)
        raise UnreadableFile(f"{name} cannot be read: {err.strerror or err}.") from err
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise UnreadableFile(f"{name} is not a regular file.")
    return fd, info


def read_head(path: Path, limit: int) -> bytes:
    """At most the first ``limit`` bytes of a regular file (a title peek), same rules as below."""
    fd, _info = _open_regular(path)
    try:
        return os.read(fd, limit)
    except OSError as err:
        raise UnreadableFile(f"{path.name} cannot be read: {err.strerror or err}.") from err
    finally:
        os.close(fd)


def read_regular_file(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> tuple[bytes, int]:
    """The bytes of the regular file at ``path`` and its mtime, never more than ``max_bytes``.

    Only the library gate (:meth:`viewer.core.library.Library.read_bytes`)
    calls this with a runbook repository's paths. A FIFO, a device or a
    socket is refused without waiting on it (``O_NONBLOCK``), a symlink in
    the last component is not followed (the gate resolved it already), and a
    file that grows while it is read is cut at the limit, never read to the end.
    """
    name = path.name
    fd, info = _open_regular(path)
    try:
        if info.st_size > max_bytes:
            raise UnreadableFile(_too_big(name, info.st_size, max_bytes))
        chunks: list[bytes] = []
        total = 0
        while chunk := os.read(fd, min(1 << 20, max_bytes + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise UnreadableFile(_too_big(name, total, max_bytes))
        return b"".join(chunks), info.st_mtime_ns
    except OSError as err:
        raise UnreadableFile(f"{name} cannot be read: {err.strerror or err}.") from err
    finally:
        os.close(fd)


def _too_big(name: str, size: int, max_bytes: int) -> str:
    limit = f"{max_bytes // 1024 // 1024} MB" if max_bytes >= 1024 * 1024 else \
        f"{max_bytes // 1024} KB"
    return (f"{name} is {size / 1024 / 1024:.1f} MB; files over {limit} are not opened, "
            "to keep the viewer responsive.")


def decode_runbook(data: bytes, mtime_ns: int = 0, *, name: str = "this file") -> DecodedText:
    """Decode a runbook's bytes read through the library gate; empty files are explained."""
    if not data.strip():
        raise UnreadableFile(f"{name} is empty.")
    decoded = decode_bytes(data, name=name)
    if not decoded.text.strip():
        raise UnreadableFile(f"{name} is empty.")
    return DecodedText(decoded.text, decoded.encoding, content_digest(data), len(data), mtime_ns)
