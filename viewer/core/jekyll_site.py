"""The Jekyll site a Markdown page belongs to: its ``_includes`` and its ``site.*`` values.

Jekyll builds a page with Liquid: ``{% include name %}`` inserts a file from the
site's ``_includes`` folder, and ``{{ site.target }}`` a value from its
``_config.yml``. Runbook sites use includes to load constants (a page of
``{% capture %}`` lines that shows nothing) and to insert shared text.

The site is the nearest folder above the page holding ``_config.yml``. Both
files are read through the library's gate; ``_config.yml`` is composed with a
budget, never constructed, and only its top-level plain values are taken.
"""

from __future__ import annotations

import posixpath
import re
import threading
from collections.abc import Callable

import yaml

from viewer.core.library import Library, OutsideLibrary, nearest_file
from viewer.core.textio import UnreadableFile
from viewer.core.yaml_budget import YamlTooLarge, compose_bounded

CONFIG_NAME = "_config.yml"
MAX_CONFIG_BYTES = 256 * 1024
MAX_INCLUDE_BYTES = 1024 * 1024
_SITE_VALUE = re.compile(r"\{\{-?\s*site\.([\w-]+)\s*-?\}\}")
# (library root, config path) -> (config mtime, {name: value})
_cache: dict[tuple[str, str], tuple[int, dict[str, str]]] = {}
_lock = threading.Lock()

ReadInclude = Callable[[str], "str | None"]  # an include's name -> its text, or None


def include_reader(library: Library | None, page: str) -> ReadInclude | None:
    """A reader of ``{% include NAME %}`` files for ``page``; None outside a Jekyll site."""
    if library is None:
        return None
    config = nearest_file(library, page, (CONFIG_NAME,))
    if config is None:
        return None
    path, stamp = config
    root = posixpath.dirname(path)

    def read(name: str) -> str | None:
        values = _site_values(library, path, stamp)
        name = _SITE_VALUE.sub(lambda m: values.get(m.group(1), m.group(0)), name)
        if "{{" in name or "{%" in name:
            return None  # a value the site computes when it builds
        rel = posixpath.normpath(posixpath.join(root, "_includes", name))
        try:
            return library.read_text(rel, max_bytes=MAX_INCLUDE_BYTES).text
        except (OutsideLibrary, UnreadableFile):
            return None

    return read


def site_root(library: Library, page: str) -> str | None:
    """The library path of the Jekyll site ``page`` is in ("" for the library's root),
    from which its "/x" links and pictures are read; None outside a Jekyll site."""
    config = nearest_file(library, page, (CONFIG_NAME,))
    return posixpath.dirname(config[0]) if config is not None else None


def _site_values(library: Library, config: str, stamp: int) -> dict[str, str]:
    key = (str(library.root), config)
    with _lock:
        cached = _cache.get(key)
    if cached is None or cached[0] != stamp:
        cached = (stamp, _read_values(library, config))
        with _lock:
            _cache[key] = cached
    return cached[1]


def _read_values(library: Library, config: str) -> dict[str, str]:
    """The top-level plain values of ``_config.yml`` (``target: ibm``); {} if unreadable."""
    try:
        text = library.read_text(config, max_bytes=MAX_CONFIG_BYTES).text
        root = compose_bounded(text)
    except (OutsideLibrary, UnreadableFile, YamlTooLarge, yaml.YAMLError):
        return {}
    if not isinstance(root, yaml.MappingNode):
        return {}
    return {str(key.value): str(value.value) for key, value in root.value
            if isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode)}
