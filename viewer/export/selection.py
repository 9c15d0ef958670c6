"""Which runbooks an export takes: the pins that still exist, or what a filter selects."""

from __future__ import annotations

from collections.abc import Iterable

from viewer.core.library import Library


def pinned_runbooks(library: Library, pins: Iterable) -> list[str]:  # type: ignore[type-arg]
    """The pinned runbooks (``pins``: :class:`viewer.core.pins.Pin`) whose file is still
    there, each once, in the pins' order."""
    return list(dict.fromkeys(p.path for p in pins if (library.root / p.path).is_file()))


def filtered_runbooks(index, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The runbooks a filter-only search (``tag:T``, ``severity:S``) selects, by the index."""
    return list(dict.fromkeys(hit.path for hit in index.search(query, limit=1_000_000)))
