"""The union library: one folder whose top-level entries are every source, by name.

Each entry is a symlink the app makes: to a git source's ``current``
snapshot link, to a local folder source, or to the bundled docs (unless the
user hid them). Because a git source's entry goes through ``current``, a
sync's atomic switch shows up here with nothing to rewrite, and a page's
path (``<source>/<path in the repository>``) stays the same across syncs.
"""

from __future__ import annotations

import os
from pathlib import Path

from viewer.locations import BUNDLED_NAME, bundled_docs_dir, union_root
from viewer.sync.snapshots import SourceCache
from viewer.sync.sources import SourceList, load_sources

__all__ = ["BUNDLED_NAME", "build_union", "link_targets", "union_library"]


def link_targets(listing: SourceList, sources_root: Path | None = None) -> dict[str, Path]:
    """Each top-level name of the union library and what it links to."""
    targets: dict[str, Path] = {}
    for source in listing.sources:
        if source.is_git:
            targets[source.name] = SourceCache(source.name, sources_root).current_link
        else:
            targets[source.name] = Path(source.url)
    if listing.show_bundled:
        targets.setdefault(BUNDLED_NAME, bundled_docs_dir())
    return targets


def build_union(listing: SourceList, root: Path | None = None,
                sources_root: Path | None = None) -> Path:
    """Make the union folder match ``listing``; returns its path. Raises OSError."""
    root = root or union_root()
    root.mkdir(parents=True, exist_ok=True)
    wanted = {name: str(target) for name, target in link_targets(listing, sources_root).items()}
    with os.scandir(root) as entries:
        for entry in entries:
            if entry.is_symlink() and os.readlink(entry.path) != wanted.get(entry.name):
                os.unlink(entry.path)
    for name, target in wanted.items():
        link = root / name
        if not link.is_symlink():
            tmp = root / f".{name}.{os.getpid()}"
            tmp.unlink(missing_ok=True)
            os.symlink(target, tmp, target_is_directory=True)
            os.replace(tmp, link)
    return root


def union_library() -> tuple[Path | None, str]:
    """The union folder, brought in line with ``sources.json``; None when there are no sources.

    The message (when not "") tells the user why the sources are not shown.
    """
    listing, problem = load_sources()
    if not listing.sources:
        return None, problem
    try:
        return build_union(listing), problem
    except OSError as err:
        return None, f"The library of your sources could not be prepared: {err.strerror or err}."
