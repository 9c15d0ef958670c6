"""The MkDocs project a Markdown page belongs to: the title its site gives the page.

MkDocs titles a page from ``mkdocs.yml``'s ``nav`` first, then from its
front matter, its first ``# heading``, and last from its file name. Sites
that rely on the nav write pages without a first-level heading (PagerDuty's
incident response guide: every page starts at ``## Purpose`` or ``## Checklist``),
and titled by their first heading five of its pages would all be "Purpose".

``mkdocs.yml`` is read through the library's gate and composed, never
constructed: its ``!!python/name:`` tags name code MkDocs would import, and
only the plain strings of ``nav`` and ``docs_dir`` are taken from it.
"""

from __future__ import annotations

import posixpath
import threading

import yaml

from viewer.core.library import Library, OutsideLibrary, nearest_file
from viewer.core.textio import UnreadableFile
from viewer.core.yaml_budget import YamlTooLarge, compose_bounded

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")
MAX_CONFIG_BYTES = 256 * 1024
_INDEX_PAGES = ("index.md", "README.md")
# (library root, config path) -> (config mtime, docs folder, {page path: nav title})
_cache: dict[tuple[str, str], tuple[int, str, dict[str, str]]] = {}
_lock = threading.Lock()


def site_title(library: Library, page: str) -> str | None:
    """The title the MkDocs site of ``page`` gives it: its nav title, else one from its file
    name as MkDocs makes it; None when the page is in no MkDocs project's docs folder."""
    config = nearest_file(library, page, CONFIG_NAMES)
    if config is None:
        return None
    path, stamp = config
    key = (str(library.root), path)
    with _lock:
        cached = _cache.get(key)
    if cached is None or cached[0] != stamp:
        cached = (stamp, *_nav_titles(library, path))
        with _lock:
            _cache[key] = cached
    _stamp, docs, titles = cached
    if page in titles:
        return titles[page]
    if docs and not page.startswith(docs + "/"):
        return None
    return _from_file_name(page, docs)


def _nav_titles(library: Library, config: str) -> tuple[str, dict[str, str]]:
    """The docs folder's library path, and {library path: title} of every page ``nav``
    names; a config that cannot be read gives a folder no page is in."""
    unreadable = ("\0", {})
    try:
        text = library.read_text(config, max_bytes=MAX_CONFIG_BYTES).text
        root = compose_bounded(text)
    except (OutsideLibrary, UnreadableFile, YamlTooLarge, yaml.YAMLError):
        return unreadable
    if not isinstance(root, yaml.MappingNode):
        return unreadable
    fields = {key.value: value for key, value in root.value
              if isinstance(key, yaml.ScalarNode)}
    docs_node = fields.get("docs_dir")
    docs_dir = docs_node.value if isinstance(docs_node, yaml.ScalarNode) else "docs"
    base = posixpath.normpath(posixpath.join(posixpath.dirname(config), docs_dir))
    base = "" if base == "." else base
    titles: dict[str, str] = {}
    stack = [fields["nav"]] if "nav" in fields else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(value, yaml.ScalarNode) and isinstance(key, yaml.ScalarNode):
                    page = _page_path(base, value.value)
                    if page:
                        titles.setdefault(page, str(key.value).strip())
                else:
                    stack.append(value)
    return base, titles


def _page_path(base: str, target: str) -> str:
    """The library path of a nav entry's page ("" for a link to a web site)."""
    target = target.strip()
    if not target.lower().endswith((".md", ".markdown")) or "://" in target:
        return ""
    return posixpath.normpath(posixpath.join(base, target)) if base else \
        posixpath.normpath(target)


def _from_file_name(page: str, docs: str) -> str:
    """MkDocs' title of a page with none of its own: "customer_liaison.md" -> "Customer
    liaison"; a folder's index page takes the folder's name, the site's own is "Home"."""
    folder, name = posixpath.split(page)
    stem = posixpath.splitext(name)[0]
    if name in _INDEX_PAGES:
        stem = "Home" if folder == docs else posixpath.basename(folder)
    words = stem.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else page
