"""Rendered pages kept between runs, so the first page of a session paints without parsers.

The window opens on the page the reader had last (or the library's front
page). Rendering it needs markdown-it or docutils, Pygments and, for reST,
the library's label table; none of that has to happen before the page is on
screen if the page has not changed since it was last rendered. Each rendered
page is kept here, keyed by the library, its path, its file's identity (size,
modification time, inode) and the renderer's own identity (version and the
code that renders), so a changed file, a new version or an edited renderer
never shows a stale page. The window renders the page again right after the
first paint and swaps it in if anything differs (an included file, a label).

The cache lives in the user's cache folder, which only this user can write;
at most :data:`KEEP` pages are kept. A damaged entry is ignored and removed.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import os
import pickle
from collections.abc import Callable
from pathlib import Path

from viewer import __version__
from viewer.core.document import Document
from viewer.core.library import Library, OutsideLibrary
from viewer.locations import cache_dir

KEEP = 40  # pages: the ones a reader reopens; each is a few tens of KB


def cache_folder() -> Path:
    return cache_dir() / "pages"


@functools.lru_cache(maxsize=1)
def renderer_identity() -> str:
    """The version and the size and time of every module of the core (what renders a page):
    a development checkout edited since the page was kept renders it anew."""
    core = os.path.dirname(os.path.abspath(__file__))
    digest = hashlib.sha1(__version__.encode())
    # os.walk, not Path.rglob: this runs before the first paint, and rglob's path objects
    # cost five times the stat calls themselves.
    found = []
    for folder, dirs, files in os.walk(core):
        dirs[:] = [name for name in dirs if name != "__pycache__"]
        found += [os.path.join(folder, name) for name in files if name.endswith(".py")]
    for path in sorted(found):
        with contextlib.suppress(OSError):
            info = os.stat(path)
            relative = os.path.relpath(path, core).replace(os.sep, "/")
            digest.update(f"{relative}:{info.st_size}:{info.st_mtime_ns}".encode())
    return digest.hexdigest()


def _entry(library: Library, rel_path: str) -> tuple[Path, tuple] | None:
    """The cache file for this page and the key its content must carry; None when the page
    cannot be looked at (gone, outside the library)."""
    try:
        info = library.resolve(rel_path).stat()
    except (OutsideLibrary, OSError):
        return None
    name = hashlib.sha1(f"{library.root}\0{rel_path}".encode()).hexdigest()
    key = (renderer_identity(), str(library.root), rel_path, info.st_size, info.st_mtime_ns,
           info.st_ino)
    return cache_folder() / f"{name}.page", key


def cached_page(library: Library, rel_path: str) -> Document | None:
    """The page as rendered last time, if its file and the renderer are unchanged."""
    entry = _entry(library, rel_path)
    if entry is None:
        return None
    path, key = entry
    try:
        with open(path, "rb") as handle:
            stored_key, document = pickle.load(handle)  # the user's own cache folder
    except FileNotFoundError:
        return None
    except Exception:  # damaged or from another version: render anew
        with contextlib.suppress(OSError):
            path.unlink()
        return None
    if stored_key != key or not isinstance(document, Document):
        return None
    return document


def keep_page(library: Library, rel_path: str, document: Document) -> None:
    """Keep ``document`` for the next start; a full disk or a read-only cache is not an error.

    A page shown as plain text because its parser ran out of time is not kept: the
    next start, on a quieter machine, may lay it out.
    """
    if not document.laid_out:
        return
    entry = _entry(library, rel_path)
    if entry is None:
        return
    path, key = entry
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{path.name}.{os.getpid()}"
        with open(tmp, "wb") as handle:
            pickle.dump((key, document), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        _prune(folder)
    except (OSError, pickle.PicklingError, RecursionError):
        with contextlib.suppress(OSError, UnboundLocalError):
            tmp.unlink()


def kept_text(name: str, make: Callable[[], str]) -> str:
    """``make()``, kept in the cache folder under ``name`` for this renderer and this
    Pygments: for text that takes a library to compute but never changes between runs."""
    path = cache_dir() / "styles" / f"{renderer_identity()[:16]}-{_pygments_tag()}-{name}"
    with contextlib.suppress(OSError, UnicodeDecodeError):
        return path.read_text(encoding="utf-8")
    text = make()
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    return text


def _pygments_tag() -> str:
    """The installed Pygments, told by its package file's size and time (no import)."""
    spec = importlib.util.find_spec("pygments")
    try:
        info = os.stat(spec.origin) if spec and spec.origin else None
    except OSError:
        info = None
    return f"{info.st_size}.{info.st_mtime_ns}" if info else "none"


def _prune(folder: Path) -> None:
    entries = []
    with os.scandir(folder) as listing:
        for item in listing:
            with contextlib.suppress(OSError):
                entries.append((item.stat().st_mtime_ns, item.path))
    for _, stale in sorted(entries, reverse=True)[KEEP:]:
        with contextlib.suppress(OSError):
            os.unlink(stale)
