"""The Jekyll site a Markdown page belongs to: its ``_includes``, its ``site.*`` values
and its ``site.data``.

Jekyll builds a page with Liquid: ``{% include name %}`` inserts a file from the
site's ``_includes`` folder, ``{{ site.target }}`` a value from its ``_config.yml``,
and ``{{ site.data.links.pager.url }}`` one from its ``_data`` folder (``links.yml``).
Runbook sites load constants that way: an include of ``{% capture pager-link %}{{
site.data[site.target].links.pager.link }}{% endcapture %}`` lines, then
``[Page the on-call]({{ pager-link }})`` in every page.

The site is the nearest folder above the page holding ``_config.yml``. Every file is
read through the library's gate with a size limit; YAML is loaded with a budget (plain
data, never objects), and only plain values (text, numbers) are ever put in a page.
"""

from __future__ import annotations

import json
import posixpath
import re
import threading
import time
from collections.abc import Callable
from typing import Any

import yaml

from viewer.core.library import Library, OutsideLibrary, file_stamp, nearest_file
from viewer.core.textio import UnreadableFile
from viewer.core.yaml_budget import YamlTooLarge, compose_bounded, load_bounded

CONFIG_NAME = "_config.yml"
MAX_CONFIG_BYTES = 256 * 1024
MAX_INCLUDE_BYTES = 1024 * 1024
_SITE_VALUE = re.compile(r"\{\{-?\s*site\.([\w-]+)\s*-?\}\}")
# (library root, config path) -> (config mtime, {name: value})
_cache: dict[tuple[str, str], tuple[int, dict[str, str]]] = {}
_lock = threading.Lock()

MAX_DATA_BYTES = 1024 * 1024
_DATA_SUFFIXES = (".yml", ".yaml", ".json")
# site.data, then .key, [site.key], ['key'] or ["key"] segments; a filter after "|" is
# left out (| strip, | escape: the value is shown as text anyway).
_DATA_EXPRESSION = re.compile(r"^site\.data((?:\.[\w-]+|\[[^\[\]]+\])+)$")
_SEGMENT = re.compile(r"\.([\w-]+)|\[\s*(?:site\.([\w-]+)|'([^']*)'|\"([^\"]*)\")\s*\]")
# (library root, folder) -> (when looked up, the nearest _config.yml's (path, mtime))
_folder_cache: dict[tuple[str, str], tuple[float, Any]] = {}
# (library root, data file) -> (when looked up, its mtime, or None when there is none)
_data_stamps: dict[tuple[str, str], tuple[float, Any]] = {}
# (library root, config path and expression) -> (when looked up, its value or None)
_values: dict[tuple[str, str], tuple[float, Any]] = {}
_KEEP_SECONDS = 10.0
# (library root, data file) -> (mtime, loaded data)
_data_cache: dict[tuple[str, str], tuple[int, Any]] = {}

ReadInclude = Callable[[str], "str | None"]  # an include's name -> its text, or None
SiteValue = Callable[[str], "str | None"]  # a Liquid expression -> its value, or None


def site_readers(library: Library | None, page: str) -> tuple[ReadInclude | None,
                                                               SiteValue | None]:
    """For ``page``: a reader of ``{% include NAME %}`` files, and of the values
    ``{{ site.key }}`` and ``{{ site.data... }}`` name (None for one that is not plain text:
    a list, a mapping, a file that cannot be read); (None, None) outside a Jekyll site."""
    config = _config_of(library, page) if library is not None else None
    if library is None or config is None:
        return None, None
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

    def value(expression: str) -> str | None:
        expression = expression.split("|", 1)[0].strip()
        # The same few hundred values fill every page of such a site.
        return _kept_briefly(_values, (str(library.root), f"{path}\0{expression}"),
                             lambda: site_value(expression))

    def site_value(expression: str) -> str | None:
        values = _site_values(library, path, stamp)
        data = _DATA_EXPRESSION.match(expression)
        if data is None:
            key = expression[5:] if expression.startswith("site.") else ""
            return values.get(key) if key and "." not in key else None
        segments: list[str] = []
        for part in _SEGMENT.finditer(data.group(1)):
            dotted, from_site, single, double = part.groups()
            segment = dotted or (values.get(from_site) if from_site else single or double)
            if not segment:
                return None
            segments.append(segment)
        return _data_value(library, posixpath.join(root, "_data"), segments)

    return read, value


def _data_value(library: Library, base: str, segments: list[str]) -> str | None:
    """The plain value at ``segments`` of the site's data: the first segments name folders
    and a file of ``_data``, the rest keys in it."""
    for i, segment in enumerate(segments):
        folder = posixpath.join(base, *segments[:i])
        for suffix in _DATA_SUFFIXES:
            rel = posixpath.join(folder, segment + suffix)
            data = _load_data(library, rel)
            if data is not None:
                return plain_value(_descend(data, segments[i + 1:]))
    return None


def _load_data(library: Library, rel: str) -> Any:
    key = (str(library.root), rel)
    # Each value tries a file per segment and suffix, mostly absent: an IBM runbook site's
    # include fills 250 values a page, and resolving every try cost 0.8 s a page.
    stamp = _kept_briefly(_data_stamps, key, lambda: file_stamp(library, rel))
    if stamp is None:
        return None
    with _lock:
        cached = _data_cache.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    try:
        text = library.read_text(rel, max_bytes=MAX_DATA_BYTES).text
        data = json.loads(text) if rel.endswith(".json") else load_bounded(text)
    except (OutsideLibrary, UnreadableFile, YamlTooLarge, yaml.YAMLError, ValueError):
        data = None
    with _lock:
        _data_cache[key] = (stamp, data)
    return data


def _descend(data: Any, keys: list[str]) -> Any:
    for key in keys:
        if isinstance(data, dict) and key in data:
            data = data[key]
        elif isinstance(data, list) and key.isdigit() and int(key) < len(data):
            data = data[int(key)]
        else:
            return None
    return data


def plain_value(value: Any) -> str | None:
    """A value as a template writes it: text and numbers as they are, a boolean as
    true/false; None for a list, a mapping or nothing."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


def site_root(library: Library, page: str) -> str | None:
    """The library path of the Jekyll site ``page`` is in ("" for the library's root),
    from which its "/x" links and pictures are read; None outside a Jekyll site."""
    config = _config_of(library, page)
    return posixpath.dirname(config[0]) if config is not None else None


def _config_of(library: Library, page: str) -> tuple[str, int] | None:
    """The page's ``_config.yml`` (path, mtime), kept a few seconds per folder: every page
    of a library with raw HTML asks (0.5 ms a walk up five folders), an index build
    thousands of times."""
    return _kept_briefly(_folder_cache, (str(library.root), posixpath.dirname(page)),
                         lambda: nearest_file(library, page, (CONFIG_NAME,)))


def _kept_briefly(cache: dict[tuple[str, str], tuple[float, Any]], key: tuple[str, str],
                  look: Callable[[], Any]) -> Any:
    """``look()``, kept in ``cache`` for a few seconds: long enough for an index build to
    ask once, short enough that an edited site shows in the window at its next render."""
    now = time.monotonic()
    with _lock:
        cached = cache.get(key)
    if cached is not None and now - cached[0] < _KEEP_SECONDS:
        return cached[1]
    found = look()
    with _lock:
        if len(cache) > 10_000:
            cache.clear()
        cache[key] = (now, found)
    return found


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
