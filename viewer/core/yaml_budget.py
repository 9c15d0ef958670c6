"""YAML from an untrusted repository, parsed within a budget: no alias bombs, no deep nesting.

YAML aliases let 500 bytes stand for billions of nodes (the "billion
laughs"): PyYAML's safe loader builds them all. Front matter and
``triage.yaml`` never need that, so the document is composed first (aliases
are shared references there, cheap), its expanded size and depth are
counted with each shared node counted once per use, and only a document
within the budget is turned into Python values.
"""

from __future__ import annotations

from typing import Any

import yaml

MAX_NODES = 20_000  # a generous front matter or triage walk has a few hundred
MAX_DEPTH = 64
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: same rules, ~10x faster


class YamlTooLarge(ValueError):
    """A document over the budget; ``str(err)`` says so in the user's words."""


def compose_bounded(text: str, *, max_nodes: int = MAX_NODES) -> yaml.Node | None:
    """The document's node graph, or :class:`YamlTooLarge`; raises ``yaml.YAMLError`` as usual."""
    loader = _LOADER(text)
    try:
        node = _single_node(loader)
    finally:
        loader.dispose()
    if node is not None:
        check_budget(node, max_nodes=max_nodes)
    return node


def compose_all_bounded(text: str, *, max_nodes: int = MAX_NODES) -> list[yaml.Node]:
    """Every document of a ``---``-separated stream, each within the budget."""
    loader = _LOADER(text)
    found: list[yaml.Node] = []
    try:
        while loader.check_node():
            try:
                node = loader.get_node()
            except RecursionError:
                raise YamlTooLarge(f"It is nested more than {MAX_DEPTH} levels deep; "
                                   "it is ignored.") from None
            if node is not None:
                check_budget(node, max_nodes=max_nodes)
                found.append(node)
    finally:
        loader.dispose()
    return found


def load_bounded(text: str, *, max_nodes: int = MAX_NODES) -> Any:
    """``yaml.safe_load`` for a document within the budget, else :class:`YamlTooLarge`."""
    loader = _LOADER(text)
    try:
        node = _single_node(loader)
        if node is None:
            return None
        check_budget(node, max_nodes=max_nodes)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _single_node(loader: Any) -> yaml.Node | None:
    try:
        return loader.get_single_node()
    except RecursionError:  # the pure-Python composer on thousands of nested levels
        raise YamlTooLarge(f"It is nested more than {MAX_DEPTH} levels deep; it is ignored.") \
            from None


def check_budget(root: yaml.Node, *, max_nodes: int = MAX_NODES) -> None:
    """Raise :class:`YamlTooLarge` when ``root`` expands past the budget or nests too deep.

    Each node's expanded size is computed once (post-order, no recursion) and
    reused wherever an alias points at it, so checking costs the composed
    size, not the expanded one. A node that contains itself is refused.
    """
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool, int]] = [(root, False, 1)]
    while stack:
        node, children_done, depth = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            total = 1 + sum(sizes[id(child)] for child in _children(node))
            if total > max_nodes:
                raise YamlTooLarge(f"It expands to more than {max_nodes:,} values "
                                   "(through aliases or sheer size); it is ignored.")
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise YamlTooLarge("It refers to itself through an alias; it is ignored.")
        if depth > MAX_DEPTH:
            raise YamlTooLarge(f"It is nested more than {MAX_DEPTH} levels deep; it is ignored.")
        on_path.add(key)
        stack.append((node, True, depth))
        stack.extend((child, False, depth + 1) for child in _children(node)
                     if id(child) not in sizes)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []
