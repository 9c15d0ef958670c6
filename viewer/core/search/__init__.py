"""Full-text search over a library: the SQLite FTS5 index, its refresh, and the query syntax."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from viewer.core.library import Library
    from viewer.core.search.index import SearchIndex


def open_index(library: Library) -> SearchIndex:
    """The library's index in the user's cache folder (healed or created as needed)."""
    from viewer.core.search.index import SearchIndex, index_path_for
    from viewer.locations import cache_dir

    return SearchIndex(index_path_for(cache_dir(), library.root), library.root)
