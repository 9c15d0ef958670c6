"""Any file opens or explains itself: encodings, binary, empty and oversized files."""

import os
from pathlib import Path

import pytest

from viewer.core.library import Library
from viewer.core.textio import UnreadableFile, decode_bytes


def read_text(path: Path):  # type: ignore[no-untyped-def]
    """Read ``path`` the way the app does: through its library's gate."""
    return Library(path.parent).read_text(path.name)

TEXT = "# Café outage\n\nRestart the naïve worker – carefully.\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8"),
        (b"\xff\xfe" + TEXT.encode("utf-16-le"), "utf-16-le"),
        (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("cp1252"), "cp1252"),
    ],
)
def test_every_common_encoding_decodes_to_the_same_text(data: bytes, encoding: str) -> None:
    decoded = decode_bytes(data)
    assert decoded.text == TEXT
    assert decoded.encoding == encoding


def test_bytes_undefined_in_cp1252_do_not_fail() -> None:
    assert "outage" in decode_bytes(b"outage \x81\x8d here").text


def test_binary_file_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "image.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(UnreadableFile, match="binary"):
        read_text(path)


@pytest.mark.parametrize("content", [b"", b"   \n\n\t"])
def test_empty_file_is_explained(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.md"
    path.write_bytes(content)
    with pytest.raises(UnreadableFile, match="empty"):
        read_text(path)


def test_file_over_the_limit_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.md"
    path.write_bytes(b"x" * (5 * 1024 * 1024 + 1))
    with pytest.raises(UnreadableFile, match="5 MB"):
        read_text(path)


def test_missing_file_is_explained(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match="no longer exists"):
        read_text(tmp_path / "gone.md")


def test_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.md")
    with pytest.raises(UnreadableFile, match="not a regular file"):
        read_text(tmp_path / "pipe.md")  # blocked in open() for ever before
