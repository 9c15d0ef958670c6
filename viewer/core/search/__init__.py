"""Full-text search over a library: the SQLite FTS5 index, its refresh, and the query syntax."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from viewer.core.library import Library
    from viewer.core.rst_targets import LabelIndex
    from viewer.core.search.index import SearchIndex


def open_index(library: Library) -> SearchIndex:
    """The library's index in the user's cache folder (healed or created as needed)."""
    from viewer.core.search.index import SearchIndex, index_path_for
    from viewer.locations import cache_dir

    return SearchIndex(index_path_for(cache_dir(), library.root), library.root)


def library_labels(library: Library, *, check_disk: bool = False) -> LabelIndex:
    """The library's reST labels for rendering: from its index in the user's cache where
    that holds them (see ``labels``), else scanned from the files.

    ``check_disk``: use the index only while it matches the files on disk (a
    command; the window's watcher keeps its index current instead).
    """
    from viewer.core.rst_targets import LabelIndex
    from viewer.core.search.index import index_path_for
    from viewer.core.search.labels import stored_labels
    from viewer.core.search.schema import SCHEMA_VERSION
    from viewer.locations import cache_dir

    db_path = index_path_for(cache_dir(), library.root)
    on_disk = library if check_disk else None
    return LabelIndex(library, stored=lambda: stored_labels(db_path, SCHEMA_VERSION,
                                                            library=on_disk))
