"""Every file Python opens while a block runs, through an audit hook (PEP 578).

The hook is installed once per process and costs one attribute read per
open while no block is watching. It sees every ``open``, ``os.open`` and
``os.scandir``-style call made from Python, the app's and its libraries';
Qt's own C++ reads are checked by the window tests instead.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

_watching: list[list[str]] = []
_installed = False


def _hook(event: str, args: tuple) -> None:
    if not _watching or event not in ("open", "os.listdir", "os.scandir"):
        return
    target = args[0] if args else None
    if isinstance(target, bytes):
        target = os.fsdecode(target)
    if isinstance(target, str | os.PathLike):
        _watching[-1].append(os.path.abspath(os.fspath(target)))


@contextlib.contextmanager
def opened_files() -> Iterator[list[str]]:
    """Yield a list that fills with the absolute path of every file opened in the block."""
    global _installed
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True
    seen: list[str] = []
    _watching.append(seen)
    try:
        yield seen
    finally:
        _watching.pop()


def outside(paths: list[str], root: Path, *allowed: Path) -> list[str]:
    """The paths, with every symlink followed, that are neither in ``root`` nor in ``allowed``."""
    roots = [Path(p).resolve() for p in (root, *allowed, sys.prefix, sys.base_prefix, "/dev/null",
                                         "/proc/self")]
    found = []
    for path in dict.fromkeys(paths):
        real = Path(path).resolve()
        if not any(real == r or r in real.parents for r in roots):
            found.append(path)
    return found
