"""The values a Hugo page's ``{{< param name >}}`` shows: its own, its section's, its site's.

Hugo fills ``param`` from the page's front matter, then from what a section's
``_index.md`` passes down to every page under it (``cascade:``), then from the
site configuration's ``params``. Docs sites keep versions that way: etcd's install
and container pages write ``ETCD_VERSION={{< param git_version_tag >}}`` in the very
commands an engineer copies, with ``git_version_tag: v3.6.0`` cascaded from the
version's ``_index.md``.

Every file is read through the library's gate with a size limit; YAML is loaded with a
budget and TOML by the standard library; only plain values (text, numbers) are given.
Nothing is read until a page asks for a value.
"""

from __future__ import annotations

import posixpath
import tomllib
from collections.abc import Callable, Mapping
from typing import Any

from viewer.core.frontmatter import parse_front_matter, split_front_matter
from viewer.core.jekyll_site import plain_value
from viewer.core.library import Library, OutsideLibrary, nearest_file
from viewer.core.textio import UnreadableFile

CONFIG_NAMES = ("hugo.yaml", "hugo.yml", "hugo.toml", "config.yaml", "config.yml",
                "config.toml")
SECTION_PAGE = "_index.md"
MAX_FILE_BYTES = 256 * 1024
MAX_SECTIONS = 12  # folders looked through above a page for a cascade

ParamValue = Callable[[str], "str | None"]  # a param's name -> its value, or None


def param_reader(library: Library | None, page: str,
                 front: Mapping[str, Any]) -> ParamValue:
    """For ``page`` (front matter ``front``): a param's value, looked up as Hugo does, or
    None (unknown, or not plain text)."""
    layers: list[Mapping[str, Any]] | None = None

    def value(name: str) -> str | None:
        nonlocal layers
        own = plain_value(_descend(front.get("params"), name))
        own = own if own is not None else plain_value(_descend(front, name))
        if own is None and library is not None:
            if layers is None:
                layers = [*_cascades(library, page), _site_params(library, page)]
            own = next((found for layer in layers
                        if (found := plain_value(_descend(layer, name))) is not None), None)
        # One line: a value written into a code block must not end the block.
        return None if own is not None and ("\n" in own or "\r" in own) else own

    return value


def _cascades(library: Library, page: str) -> list[Mapping[str, Any]]:
    """What each section above ``page`` passes down (``cascade:``), the nearest first."""
    found: list[Mapping[str, Any]] = []
    folder = posixpath.dirname(page)
    own_section = posixpath.basename(page) == SECTION_PAGE
    for _ in range(MAX_SECTIONS):
        section = posixpath.join(folder, SECTION_PAGE) if folder else SECTION_PAGE
        if not (own_section and section == page):  # a section's cascade is for below it
            cascade = _front_matter(library, section).get("cascade")
            for entry in cascade if isinstance(cascade, list) else [cascade]:
                if isinstance(entry, Mapping):
                    found.append(entry.get("params", entry) if isinstance(
                        entry.get("params"), Mapping) else entry)
        if not folder:
            break
        folder = posixpath.dirname(folder)
    return found


def _site_params(library: Library, page: str) -> Mapping[str, Any]:
    config = nearest_file(library, page, CONFIG_NAMES)
    if config is None:
        return {}
    text = _read(library, config[0])
    if config[0].endswith(".toml"):
        try:
            settings: Any = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            return {}
    else:
        settings, _problem = parse_front_matter(text)
    params = settings.get("params") if isinstance(settings, Mapping) else None
    return params if isinstance(params, Mapping) else {}


def _front_matter(library: Library, rel: str) -> Mapping[str, Any]:
    front, _body, _lines = split_front_matter(_read(library, rel))
    return parse_front_matter(front)[0] if front else {}


def _read(library: Library, rel: str) -> str:
    try:
        return library.read_text(rel, max_bytes=MAX_FILE_BYTES).text
    except (OutsideLibrary, UnreadableFile):
        return ""


def _descend(data: Any, name: str) -> Any:
    """``name``'s value in ``data``: Hugo's names are case-insensitive, dotted for a nested
    one ("versions.latest")."""
    for key in name.split("."):
        if not isinstance(data, Mapping):
            return None
        data = next((v for k, v in data.items() if str(k).lower() == key.lower()), None)
    return data
