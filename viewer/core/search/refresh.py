"""Bringing the index up to date with the library on disk, doing as little as possible.

A file is parsed again only when its size or mtime changed *and* its
content hash differs from the indexed one (a checkout that rewrites files
with the same bytes costs a read, not a parse). Deleted files leave the
index. Parsing goes through the rendering pipeline (``read_runbook`` and
``render_decoded`` without HTML), so the index sees exactly the sections
and anchors the window shows. Big batches are parsed in worker processes.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from viewer.core.lazy_log import LazyLogger
from viewer.core.library import Library, is_runbook_name
from viewer.core.search.index import FileState, IndexedFile, SearchIndex
from viewer.core.sqlite_faults import is_damage, is_disk_full

log = LazyLogger(__name__)

Progress = Callable[[int, int], None]  # (done, total)
_PARALLEL_FROM = 200  # below this, starting worker processes costs more than it saves
_BATCH = 250
_PROGRESS_SECONDS = 0.25
_BULK_FROM = 1000  # a build this big merges the full-text index once, at the end


@dataclass
class RefreshReport:
    scanned: int = 0  # runbooks looked at
    parsed: int = 0  # (re)indexed
    unchanged: int = 0  # stat changed, content did not
    removed: int = 0
    changed_paths: set[str] = field(default_factory=set)  # re-indexed or removed
    moved: list[tuple[str, str]] = field(default_factory=list)  # (old, new): same content
    problems: list[str] = field(default_factory=list)  # "path: reason"
    seconds: float = 0.0
    rebuilt_because: str = ""
    cancelled: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.parsed or self.removed)

    def summary(self) -> str:
        parts = [f"{self.scanned} runbooks checked", f"{self.parsed} indexed"]
        if self.removed:
            parts.append(f"{self.removed} removed")
        if self.problems:
            parts.append(f"{len(self.problems)} could not be read")
        return ", ".join(parts) + f" in {self.seconds:.2f} s"


_NEVER = FileState(-1, -1, "")  # no file has this size: an unindexed file is always parsed


def disk_stamp(on_disk: dict[str, tuple[int, int]]) -> str:
    """One string that changes when any runbook is added, removed, renamed or written.

    Counts and sums of the files' sizes, modification times and names (CRC-32):
    an edit moves a file's time forward, so for the sums to stay the same another
    file's time would have to move back by exactly as much. With the stamp of the
    last full check in the index, a check that finds the same one reads none of
    the index's 50,000 rows (130 ms at that size).
    """
    from zlib import crc32

    sizes = mtimes = 0
    for size, mtime in on_disk.values():
        sizes += size
        mtimes += mtime
    names = sum(map(crc32, map(str.encode, on_disk)))
    return f"{len(on_disk)}:{sizes}:{mtimes}:{names}"


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _scan_paths(library: Library, paths: Iterable[str],
                stored: dict[str, FileState]) -> tuple[dict[str, tuple[int, int]], set[str]]:
    """Stat only ``paths`` (from the watcher): present ones, and indexed ones now gone."""
    present: dict[str, tuple[int, int]] = {}
    gone: set[str] = set()
    for rel in paths:
        if not is_runbook_name(rel) or any(part.startswith(".") for part in rel.split("/")):
            continue
        try:
            path = library.resolve(rel)
        except Exception:
            gone.add(rel)
            continue
        stat = _stat(path) if path.is_file() else None
        if stat is None:
            gone.add(rel)
        else:
            present[rel] = stat
    return present, {rel for rel in gone if rel in stored}


# -- parsing one file (runs in worker processes too: module-level and picklable) ----
_LIBRARIES: dict[str, Library] = {}


def parse_for_index(root: str, rel: str, known_digest: str) -> IndexedFile | FileState:
    """Parse one runbook for the index; a bare FileState means "content unchanged"."""
    # Here, not at the top: a search that finds nothing changed loads no parser or extractor.
    from viewer.core.document import Problem
    from viewer.core.rendering import read_runbook, render_decoded
    from viewer.core.search.labels import label_rows
    from viewer.core.search.sections import index_record

    library = _LIBRARIES.get(root)
    if library is None:
        library = _LIBRARIES[root] = Library(root)
    decoded = read_runbook(library, rel)
    if isinstance(decoded, Problem):
        stat = _stat(library.root / rel) or (0, 0)
        return IndexedFile(rel, FileState(stat[0], stat[1], ""), None, decoded.message)
    state = FileState(decoded.size, decoded.mtime_ns, decoded.digest)
    if known_digest and decoded.digest == known_digest:
        return state
    labels = label_rows(decoded.text, rel)
    document = render_decoded(decoded, rel, library, labels={}, with_html=False)
    if isinstance(document, Problem):
        return IndexedFile(rel, state, None, document.message, labels)
    return IndexedFile(rel, state, index_record(document), labels=labels)


def _parse_all(root: str, jobs: list[tuple[str, str]], workers: int | None) -> Iterable[
        tuple[str, IndexedFile | FileState]]:
    if not jobs:
        return
    from viewer.core.workers import default_workers, map_in_workers

    calls = [(root, rel, digest) for rel, digest in jobs]
    results = map_in_workers(parse_for_index, calls, workers=workers or default_workers(),
                             parallel_from=_PARALLEL_FROM)
    for (rel, _digest), result in zip(jobs, results, strict=True):
        yield rel, result


def refresh_index(index: SearchIndex, library: Library, *, paths: Iterable[str] | None = None,
                  progress: Progress | None = None, workers: int | None = None,
                  cancel: threading.Event | None = None, heal: bool = True,
                  watch: Callable[[str], None] | None = None) -> RefreshReport:
    """Make ``index`` match ``library``; ``paths`` limits the work to files that changed.

    ``watch`` is told each folder the full check lists (a change feed's watch).

    A disk that is full or an index another process locks raises
    ``sqlite3.OperationalError`` for the caller to report; an index found
    damaged while writing is rebuilt from scratch, once (``heal``).
    """
    started = time.perf_counter()
    report = RefreshReport()
    stamp = ""
    if paths is None:
        on_disk = library.runbook_stats(watch)
        stamp = disk_stamp(on_disk)
        try:
            unchanged = stamp == index.disk_stamp()
        except Exception:  # IndexUnavailable: it was reset; the full check follows
            unchanged = False
        if unchanged:
            report.scanned = len(on_disk)
            report.seconds = time.perf_counter() - started
            return report
    try:
        stored = index.file_states()
    except Exception:  # IndexUnavailable: it was reset; start from empty
        stored = {}
    report.rebuilt_because = index.rebuilt_because
    if paths is None:
        removed = set(stored) - set(on_disk)
    else:
        on_disk, removed = _scan_paths(library, paths, stored)
    report.scanned = len(on_disk)
    jobs = [(rel, stored[rel].digest if rel in stored else "")
            for rel, (size, mtime) in sorted(on_disk.items())
            if stored.get(rel, _NEVER)[:2] != (size, mtime)]
    total = len(jobs)
    if progress:
        progress(0, total)
    batch: list[IndexedFile] = []
    done = 0
    reported = time.perf_counter()
    bulk = total >= _BULK_FROM
    try:
        # Also after a build that was killed half-way: merging must be back on.
        index.set_bulk(bulk)
        if removed:
            index.apply([], removed)
            report.removed = len(removed)
            report.changed_paths |= removed
        # A runbook that left one path while the same bytes arrived at another moved:
        # content identity, so pins follow renames in plain folders too.
        gone = {stored[rel].digest: rel for rel in removed}
        for rel, result in _parse_all(str(library.root), jobs, workers):
            done += 1
            if isinstance(result, FileState):
                index.touch(rel, result)
                report.unchanged += 1
            else:
                if rel not in stored and result.state.digest in gone:
                    report.moved.append((gone.pop(result.state.digest), rel))
                batch.append(result)
                report.changed_paths.add(rel)
                if result.problem:
                    report.problems.append(f"{rel}: {result.problem}")
                else:
                    report.parsed += 1
            if len(batch) >= _BATCH:
                index.apply(batch)
                batch = []
            if progress and time.perf_counter() - reported >= _PROGRESS_SECONDS:
                # By the clock, not by the batch: a small library of slow pages (an IBM
                # runbook site: 96 pages, 38 s) otherwise showed "0 of 96" until it was done.
                progress(done, total)
                reported = time.perf_counter()
            if cancel is not None and cancel.is_set():
                report.cancelled = True
                break
        index.apply(batch)
        if bulk:
            index.optimize()
            index.set_bulk(False)
        if stamp and not report.cancelled:
            index.record_disk_stamp(stamp)  # the index now holds every file as walked
    except (sqlite3.DatabaseError, UnicodeDecodeError) as err:
        if not heal or not (is_damage(err) or is_disk_full(err)):
            raise
        if is_disk_full(err):
            # The partial index and its journal filled the disk: they go, so the disk has
            # room again (for pins, for the sync), and this run indexes in memory.
            log.warning("the disk is full; the search index is kept in memory this run")
            index.out_of_space()
        else:
            log.warning("search index damaged while writing (%s); rebuilding",
                        type(err).__name__)
            index.reset("the index file was damaged")
        return refresh_index(index, library, progress=progress, workers=workers, cancel=cancel,
                             heal=False, watch=watch)
    if progress:
        progress(total, total)
    report.seconds = time.perf_counter() - started
    return report
