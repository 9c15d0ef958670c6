"""A library's own settings: ``runbook-viewer.toml`` at its root, written by its authors.

It says what every runbook must state (owner, severity...), when a review
falls due, which rules the checker skips, where the alerting rules are, and
where the library is published (so a rule's ``runbook_url`` can be checked).
It is read through the library's gate like any file; a broken one is a
clear message, never a crash, and the app then uses the defaults.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from typing import Any

from viewer.core.library import Library, OutsideLibrary
from viewer.core.textio import UnreadableFile

CONFIG_NAME = "runbook-viewer.toml"
MAX_CONFIG_BYTES = 256 * 1024
DEFAULT_REVIEW_DAYS = 180  # half a year: what teams who review runbooks at all ask of them
DEFAULT_DUE_SOON_DAYS = 30


class LibraryConfigError(ValueError):
    """The library's runbook-viewer.toml cannot be used; ``str(err)`` says where and why."""


@dataclass(frozen=True)
class FreshnessSettings:
    review_interval_days: int = DEFAULT_REVIEW_DAYS  # after last_reviewed, unless a page says
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS  # "due" this long before the review date
    # A library whose runbook-viewer.toml has a [freshness] table asks for reviews: there,
    # a page's last change stands in for a review it does not state. Elsewhere a page
    # without a review date is not called due or overdue.
    changes_count: bool = False


@dataclass(frozen=True)
class CheckSettings:
    require: tuple[str, ...] = ()  # fields every runbook states: owner, severity, ...
    disable: tuple[str, ...] = ()  # rule IDs or names
    severity: dict[str, str] = field(default_factory=dict)  # rule -> error|warning|notice
    alerts: tuple[str, ...] = ()  # globs of Prometheus rule files, from the library root
    exclude: tuple[str, ...] = ()  # globs of pages not checked


@dataclass(frozen=True)
class Publishing:
    """Where the library's pages are on the web, for mapping a ``runbook_url``."""

    repository: str = ""  # e.g. https://github.com/acme/runbooks
    branch: str = "main"
    sites: tuple[str, ...] = ()  # published sites (MkDocs, Sphinx, Hugo)


@dataclass(frozen=True)
class LibraryConfig:
    check: CheckSettings = CheckSettings()
    freshness: FreshnessSettings = FreshnessSettings()
    publishing: Publishing = Publishing()
    found: bool = False  # a runbook-viewer.toml was there


_KNOWN = {
    "check": {"require", "disable", "severity", "alerts", "exclude"},
    "freshness": {"review_interval_days", "due_soon_days"},
    "library": {"repository", "branch", "site"},
}


def load_library_config(library: Library) -> LibraryConfig:
    """The library's settings; the defaults when it has no runbook-viewer.toml.

    Raises :class:`LibraryConfigError` for a file that is there but wrong.
    """
    try:
        data, _ = library.read_bytes(CONFIG_NAME, max_bytes=MAX_CONFIG_BYTES)
    except UnreadableFile as err:
        if not (library.root / CONFIG_NAME).exists():
            return LibraryConfig()
        raise LibraryConfigError(f"{CONFIG_NAME}: {err}") from None
    except OutsideLibrary:
        raise LibraryConfigError(f"{CONFIG_NAME} is a link out of the library; "
                                 "it is not read.") from None
    try:
        table = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise LibraryConfigError(f"{CONFIG_NAME} is not UTF-8 text.") from None
    except tomllib.TOMLDecodeError as err:
        raise LibraryConfigError(f"{CONFIG_NAME} is not valid TOML: {err}.") from None
    return parse_library_config(table)


def parse_library_config(table: dict[str, Any]) -> LibraryConfig:
    """Settings from the parsed TOML; every wrong key or type is named."""
    for section, value in table.items():
        if section not in _KNOWN:
            raise LibraryConfigError(f"{CONFIG_NAME}: unknown section [{section}] "
                                     f"(known: {', '.join(sorted(_KNOWN))}).")
        if not isinstance(value, dict):
            raise LibraryConfigError(f"{CONFIG_NAME}: {section} must be a [{section}] table.")
        unknown = set(value) - _KNOWN[section]
        if unknown:
            raise LibraryConfigError(
                f"{CONFIG_NAME}: unknown key {section}.{sorted(unknown)[0]} "
                f"(known: {', '.join(sorted(_KNOWN[section]))}).")
    check = table.get("check", {})
    fresh = table.get("freshness", {})
    lib = table.get("library", {})
    severity = check.get("severity", {})
    if not isinstance(severity, dict) or not all(
            isinstance(v, str) and v in ("error", "warning", "notice") for v in severity.values()):
        raise LibraryConfigError(f"{CONFIG_NAME}: check.severity maps rules to "
                                 "\"error\", \"warning\" or \"notice\".")
    return LibraryConfig(
        check=CheckSettings(
            require=_strings(check, "check.require"), disable=_strings(check, "check.disable"),
            severity={str(k): v for k, v in severity.items()},
            alerts=_strings(check, "check.alerts"), exclude=_strings(check, "check.exclude")),
        freshness=FreshnessSettings(
            review_interval_days=_days(fresh, "review_interval_days", DEFAULT_REVIEW_DAYS),
            due_soon_days=_days(fresh, "due_soon_days", DEFAULT_DUE_SOON_DAYS),
            changes_count="freshness" in table),
        publishing=Publishing(
            repository=_string(lib, "repository"), branch=_string(lib, "branch") or "main",
            sites=_strings(lib, "library.site")),
        found=True)


def _strings(table: dict[str, Any], dotted: str) -> tuple[str, ...]:
    value = table.get(dotted.rsplit(".", 1)[-1], [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LibraryConfigError(f"{CONFIG_NAME}: {dotted} must be a list of strings.")
    return tuple(v.strip() for v in value if v.strip())


def _string(table: dict[str, Any], key: str) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        raise LibraryConfigError(f"{CONFIG_NAME}: library.{key} must be a string.")
    return value.strip()


def _days(table: dict[str, Any], key: str, default: int) -> int:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 36500:
        raise LibraryConfigError(f"{CONFIG_NAME}: freshness.{key} must be a number of days "
                                 "(0 to 36500).")
    return value


_KEPT: dict[str, tuple[tuple[int, int] | None, LibraryConfig, str]] = {}


def library_config_for(library: Library, rel_path: str) -> tuple[LibraryConfig, str]:
    """The runbook-viewer.toml that governs a page (its source's, in the union of sources),
    and a note when it could not be used. Read again only when the file changes: search
    results and every page shown ask for it."""
    owner = library
    if library.is_union and "/" in rel_path:
        try:
            mount = library.resolve(rel_path.split("/", 1)[0])
        except OutsideLibrary:
            mount = None
        if mount is not None and mount.is_dir():
            owner = Library(mount)
    try:
        info = (owner.root / CONFIG_NAME).stat()
        stamp: tuple[int, int] | None = (info.st_size, info.st_mtime_ns)
    except OSError:
        stamp = None
    kept = _KEPT.get(str(owner.root))
    if kept is not None and kept[0] == stamp:
        return kept[1], kept[2]
    try:
        config, note = load_library_config(owner), ""
    except LibraryConfigError as err:
        config, note = LibraryConfig(), f"{err} The defaults are used."
    _KEPT[str(owner.root)] = (stamp, config, note)
    return config, note
