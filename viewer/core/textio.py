"""Reading a runbook file as text, whatever its encoding, or saying why not.

Runbooks come from many editors and many years: UTF-8 with or without a BOM,
UTF-16 from Windows tools, and legacy 8-bit files. Every file either decodes
or raises :class:`UnreadableFile` with a sentence a user can act on.
"""

from __future__ import annotations

import codecs
import hashlib
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


def read_text(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> DecodedText:
    """Read and decode ``path``; raise :class:`UnreadableFile` with a clear reason."""
    name = path.name
    try:
        stat = path.stat()
        size = stat.st_size
    except FileNotFoundError as err:
        raise UnreadableFile(f"{name} no longer exists.") from err
    except OSError as err:
        raise UnreadableFile(f"{name} cannot be read: {err.strerror or err}.") from err
    if not path.is_file():
        raise UnreadableFile(f"{name} is not a regular file.")
    if size > max_bytes:
        raise UnreadableFile(
            f"{name} is {size / 1024 / 1024:.1f} MB; runbooks over "
            f"{max_bytes // 1024 // 1024} MB are not opened, to keep the viewer responsive."
        )
    try:
        data = path.read_bytes()
    except OSError as err:
        raise UnreadableFile(f"{name} cannot be read: {err.strerror or err}.") from err
    if not data.strip():
        raise UnreadableFile(f"{name} is empty.")
    decoded = decode_bytes(data, name=name)
    if not decoded.text.strip():
        raise UnreadableFile(f"{name} is empty.")
    return DecodedText(decoded.text, decoded.encoding, content_digest(data), len(data),
                       stat.st_mtime_ns)
