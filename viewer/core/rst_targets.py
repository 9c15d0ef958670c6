"""The library-wide table of reST labels (``.. _label:``) that ``:ref:`` resolves against.

Sphinx resolves ``:ref:`label``` across every document of a project, so the
viewer needs every label of the library before it renders one page. Files
are scanned with a light line-based reader (no docutils parse) and cached by
size and mtime, so re-rendering a page re-reads only files that changed.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from viewer.core.library import RST_SUFFIXES, Library, OutsideLibrary
from viewer.core.textio import UnreadableFile

_TARGET = re.compile(r"^\.\.[ \t]+_(`[^`]+`|[^:`\n][^:\n]*?)[ \t]*:[ \t]*$")
_ADORNMENT = re.compile(r"^([!-/:-@\[-`{-~])\1+[ \t]*$")


@dataclass(frozen=True)
class LabelTarget:
    path: str  # library rel path of the document holding the label
    anchor: str  # the id the rendered page carries for it
    title: str  # the section title after it ("" when the label is not on a section)


class LabelLookup(Protocol):
    """A table of labels by normalized name: a dict, or the index's stored labels."""

    def get(self, name: str, default: None = None, /) -> LabelTarget | None: ...


class FirstFound:
    """Label tables asked in order: the first that holds a name answers."""

    def __init__(self, *tables: LabelLookup) -> None:
        self.tables = tables

    def get(self, name: str, default: None = None, /) -> LabelTarget | None:
        for table in self.tables:
            found = table.get(name)
            if found is not None:
                return found
        return default


def normalize_label(label: str) -> str:
    """Label names compare as docutils compares them (its ``fully_normalize_name``):
    case- and space-insensitive. Written out here so that MyST pages, which share the
    table, need no docutils."""
    return " ".join(label.strip().strip("`").lower().split())


# docutils is imported on first use (it is the slowest import of the app): this
# module is loaded at start-up, but ids are only made for reST pages.
def _make_id(name: str) -> str:
    from docutils.nodes import make_id

    return make_id(name)


def scan_labels(text: str, path: str) -> dict[str, LabelTarget]:
    """Every explicit target in one reST text, with the section title it names."""
    lines = text.splitlines()
    found: dict[str, LabelTarget] = {}
    pending: list[str] = []
    for i, line in enumerate(lines):
        match = _TARGET.match(line)
        if match:
            pending.append(match.group(1))
            continue
        if not line.strip() or not pending:
            continue
        title = _section_title_at(lines, i)
        for label in pending:
            name = normalize_label(label)
            found.setdefault(name, LabelTarget(path, _make_id(name), title))
        pending = []
    for label in pending:
        name = normalize_label(label)
        found.setdefault(name, LabelTarget(path, _make_id(name), ""))
    return found


def _section_title_at(lines: list[str], i: int) -> str:
    """The title if a section starts at line ``i`` (with or without overline)."""
    line = lines[i]
    if _ADORNMENT.match(line) and i + 2 < len(lines) and _ADORNMENT.match(lines[i + 2]):
        return lines[i + 1].strip()
    if i + 1 < len(lines) and _ADORNMENT.match(lines[i + 1]) and not _ADORNMENT.match(line):
        if len(lines[i + 1].rstrip()) >= len(line.rstrip()) or len(lines[i + 1].strip()) >= 4:
            return line.strip()
    return ""


class LabelIndex:
    """All labels of one library, refreshed lazily and cheaply.

    Unwatched, every refresh checks each reST file's size and mtime. Once the
    window's folder watcher runs (``watched``), the table is kept until
    :meth:`mark_stale` says files changed, so opening a reST page in a big
    library does not walk it every time. Where the search index holds the
    labels (``stored`` returns them), nothing is scanned at all: the page
    looks up the names it refers to; watched, the index's table too is opened once
    and kept until :meth:`mark_stale`.
    """

    def __init__(self, library: Library,
                 stored: Callable[[], LabelLookup | None] | None = None) -> None:
        self.library = library
        self.stored = stored
        self.watched = False
        self._files: dict[str, tuple[tuple[int, int], dict[str, LabelTarget]]] = {}
        self._table: dict[str, LabelTarget] | None = None
        self._stored: LabelLookup | None = None
        self._lock = threading.Lock()

    def mark_stale(self) -> None:
        self._table = None
        self._stored = None

    def stored_labels(self) -> LabelLookup | None:
        """The index's labels, or None where it cannot stand in for a scan."""
        kept = self._stored
        if kept is not None and self.watched:
            return kept
        found = self.stored() if self.stored is not None else None
        self._stored = found if self.watched else None
        return found

    def refresh(self) -> LabelLookup:
        """The index's labels where it holds them; else re-scan changed files (if they may
        have changed) and return the label table."""
        found = self.stored_labels()
        if found is not None:
            return found
        table = self._table
        if self.watched and table is not None:
            return table
        with self._lock:
            seen: set[str] = set()
            for rel in self.library.iter_runbooks():
                if Path(rel).suffix.lower() not in RST_SUFFIXES:
                    continue
                seen.add(rel)
                path = self.library.root / rel
                try:
                    stat = path.stat()
                except OSError:
                    continue
                key = (stat.st_size, stat.st_mtime_ns)
                cached = self._files.get(rel)
                if cached and cached[0] == key:
                    continue
                try:
                    labels = scan_labels(self.library.read_text(rel).text, rel)
                except (UnreadableFile, OutsideLibrary):
                    labels = {}
                self._files[rel] = (key, labels)
            for gone in set(self._files) - seen:
                del self._files[gone]
            merged: dict[str, LabelTarget] = {}
            for rel in sorted(self._files):
                for name, target in self._files[rel][1].items():
                    merged.setdefault(name, target)
            self._table = merged
            return merged
