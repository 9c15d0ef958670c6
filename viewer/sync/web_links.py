"""The synced copy that a web address of a runbook points to.

Alerts link their runbook on the web: a forge's page of the file
(``github.com/org/runbooks/blob/main/alerts/X.md``, GitLab's ``/-/blob/``,
Gitea and Forgejo's ``/src/branch/``, Bitbucket's ``/src/``, each also in its
raw form) or the team's published site (``runbooks.example.com/alerts/x/``).
Each git source knows its forge address from its clone URL; a source's
published site is an address the user adds (``sources site``). This module
maps such an address to a page of the library without any network, through
the library's read gate, and says which sources it tried when nothing fits.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from viewer.core.library import Library, OutsideLibrary, is_runbook_name
from viewer.core.links import page_name_in_address
from viewer.sync.snapshots import SourceCache
from viewer.sync.sources import SCP_LIKE, Source, SourceList, strip_credentials

# The file behind a published page: MkDocs and Hugo publish ``x.md`` as ``x/``,
# Sphinx publishes ``x.rst`` as ``x.html``, a folder's page is its index.
PAGE_SUFFIXES = (".md", ".markdown", ".mdx", ".rst", ".txt")
INDEX_NAMES = ("index", "README", "readme", "_index")
# Where a site generator keeps its pages inside the repository.
SITE_ROOTS = ("", "docs", "content", "content/en", "source", "docs/source", "doc")
_FORGE_VIEWS = frozenset({"blob", "raw", "tree", "src", "edit", "blame", "plain"})
_REF_KINDS = frozenset({"branch", "commit", "tag"})  # Gitea and Forgejo: /src/branch/<ref>/
_HOST_ALIASES = {"ssh.github.com": "github.com", "altssh.gitlab.com": "gitlab.com",
                 "altssh.bitbucket.org": "bitbucket.org"}
_RAW_HOSTS = {"raw.githubusercontent.com": "github.com"}
_WEB = re.compile(r"^https?://", re.IGNORECASE)


@dataclass(frozen=True)
class Located:
    """The page a web address points to, as the library shows it."""

    source: str
    path: str  # inside the source, '/'-separated
    anchor: str
    library_path: str  # what the window opens
    note: str = ""  # e.g. the link names another branch than the one synced


@dataclass(frozen=True)
class NotLocated:
    """Why no page fits; ``search_for`` is the address's last path segment."""

    reason: str
    tried: tuple[str, ...]
    search_for: str

    @property
    def message(self) -> str:
        tried = "; ".join(self.tried) if self.tried else "you have no sources"
        return f"{self.reason} Tried: {tried}."


def repository_of(clone_url: str) -> tuple[str, str] | None:
    """``(host, "org/repo")`` of a clone URL, lower-cased and without ``.git``; None for a
    local path or ``file://`` URL, which no web address names."""
    url = strip_credentials(clone_url.strip())[0]
    if SCP_LIKE.match(url):
        host, _, path = url.split("@", 1)[1].partition(":")
    elif "://" in url:
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("https", "http", "ssh", "git"):
            return None
        host, path = parts.hostname or "", parts.path
    else:
        return None
    path = path.strip("/").removesuffix(".git").strip("/")
    host = host.lower()
    if not host or not path:
        return None
    return _HOST_ALIASES.get(host, host), path.lower()


def locate(url: str, listing: SourceList, library: Library, *,
           bases: dict[str, str] | None = None) -> Located | NotLocated:
    """The page of ``library`` that the web address ``url`` shows, or why there is none.

    ``bases`` gives the folder of the library each source is shown at, for a
    library that is not the app's (the checker's checkout of a repository).
    """
    if not _WEB.match(url.strip()):
        return NotLocated(f"{url} is not a web address.", (), "")
    host, segments, fragment = _web_parts(url)
    search_for = page_name_in_address(segments)
    tried: list[str] = []
    nearest = ""
    for source in listing.sources:
        base = bases.get(source.name) if bases is not None else _source_base(source, library)
        repo = repository_of(source.url) if source.is_git else None
        sites = [s for s in source.site_urls if _WEB.match(s)]
        where = ", ".join(([f"{repo[0]}/{repo[1]}"] if repo else []) + sites) or "a folder"
        if base is None:
            tried.append(f"{source.name} ({where}): not in the library shown")
            continue
        found, why = None, ""
        if repo is not None and _same_repository(host, segments, repo):
            found, why = _forge_page(source, library, base, segments[repo[1].count("/") + 1:])
        for site in sites:
            if found is None:
                found, why = _site_page(library, base, site, host, segments) or (None, why)
        if found is not None:
            path, note = found
            rel = f"{base}/{path}" if base else path
            return Located(source.name, path, fragment, rel, note)
        tried.append(f"{source.name} ({where})" + (f": {why}" if why else ""))
        nearest = nearest or why
    reason = ("That page is not in your copy of the runbooks." if nearest else
              f"None of your sources is published at {host}.")
    return NotLocated(reason, tuple(tried), search_for)


def web_addresses(source: Source) -> list[str]:
    """Where this source's pages are on the web, for the user to check at a glance."""
    repo = repository_of(source.url) if source.is_git else None
    found = [f"https://{repo[0]}/{repo[1]}"] if repo else []
    return found + [s for s in source.site_urls if _WEB.match(s)]


def _web_parts(url: str) -> tuple[str, list[str], str]:
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if host in _RAW_HOSTS:  # raw.githubusercontent.com/org/repo/<ref>/<path>
        host = _RAW_HOSTS[host]
        segments = [*segments[:2], "raw", *segments[2:]]
    return host, segments, unquote(parts.fragment).removeprefix("user-content-")


def _same_repository(host: str, segments: list[str], repo: tuple[str, str]) -> bool:
    parts = repo[1].split("/")
    return host == repo[0] and [s.lower() for s in segments[:len(parts)]] == parts


def _source_base(source: Source, library: Library) -> str | None:
    """The folder of ``library`` that shows ``source`` ("" for its root), None if not shown."""
    if library.is_union:
        return source.name if source.name in library.mounts() else None
    shown = SourceCache(source.name).current_link if source.is_git else Path(source.url)
    try:
        return "" if shown.resolve(strict=True) == library.root else None
    except (OSError, RuntimeError):
        return None


def _forge_page(source: Source, library: Library, base: str, rest: list[str]
                ) -> tuple[tuple[str, str] | None, str]:
    """The page a forge address shows, given what follows ``org/repo`` in it."""
    if rest and rest[0] == "-":  # GitLab: /-/blob/<ref>/<path>
        rest = rest[1:]
    if not rest:  # the repository's home page shows its README
        rest = ["tree", source.branch]
    if rest[0] not in _FORGE_VIEWS:
        return None, f"{'/'.join(rest)} is not a file of the repository"
    rest = rest[1:]
    if rest and rest[0] in _REF_KINDS:
        rest = rest[1:]
    if rest[:2] == ["refs", "heads"]:
        rest = rest[2:]
    branch = source.branch.split("/")
    # A branch may hold '/', so where the ref ends is known only from the source's own
    # branch, or else from which split names a file of the copy.
    splits = [len(branch)] if rest[:len(branch)] == branch else []
    splits += [k for k in range(1, len(rest)) if k not in splits]  # a path is never empty
    missing = ""
    for cut in splits:
        ref, in_repo = "/".join(rest[:cut]), rest[cut:]
        path = _inside_subdir(in_repo, source.subdir)
        if path is None:
            missing = missing or (f"{'/'.join(in_repo)} is outside {source.subdir}/, the only "
                                  "folder this source shows")
            continue
        page = _find_page(library, base, path, site=False)
        if page is not None:
            note = "" if ref == source.branch else (
                f"The link is for {ref}; this is your synced copy of {source.branch}.")
            return (page, note), ""
        missing = missing or f"{'/'.join(in_repo) or 'its home page'} is not in its synced copy"
    return None, missing


def _inside_subdir(path: list[str], subdir: str) -> list[str] | None:
    wanted = [p for p in subdir.split("/") if p]
    if path[:len(wanted)] != wanted:
        return None
    return path[len(wanted):]


def _site_page(library: Library, base: str, site: str, host: str, segments: list[str]
               ) -> tuple[tuple[str, str] | None, str] | None:
    """The page a published site's address shows; None when the address is not on it."""
    site_host, site_path, _ = _web_parts(site)
    if host != site_host or segments[:len(site_path)] != site_path:
        return None
    rest = segments[len(site_path):]
    for root in SITE_ROOTS:
        page = _find_page(library, base, [*root.split("/"), *rest] if root else rest, site=True)
        if page is not None:
            return (page, ""), ""
    return None, f"no page of its site is published at /{'/'.join(rest)}"


def _find_page(library: Library, base: str, path: list[str], *, site: bool) -> str | None:
    """The rel path (inside ``base``) of the runbook behind ``path``, trying the forms a
    site generator publishes when ``site`` is set; None when there is none."""
    for candidate in _candidates(path, site=site):
        found = _existing(library, base, candidate, any_case=site)
        if found is not None:
            return found
    return None


def _candidates(path: list[str], *, site: bool) -> list[list[str]]:
    if not path:
        return [[f"{name}{suffix}"] for name in INDEX_NAMES for suffix in PAGE_SUFFIXES]
    *folder, last = path
    found = [path] if is_runbook_name(last) else []
    stem = last
    for suffix in (".html", ".htm"):
        stem = stem.removesuffix(suffix) if site else stem
    if site or not found:
        if stem.lower() in ("index", "_index") and len(path) > 1 and site:
            found += _candidates(folder, site=True)
        found += [[*folder, f"{stem}{suffix}"] for suffix in PAGE_SUFFIXES]
        found += [[*folder, stem, f"{name}{suffix}"]
                  for name in INDEX_NAMES for suffix in PAGE_SUFFIXES]
    return found


def _existing(library: Library, base: str, parts: list[str], *, any_case: bool) -> str | None:
    """``parts`` under ``base`` when that is a runbook file; with ``any_case``, each part
    may differ in case or have '-' for ' ' (Hugo lower-cases and dashes its addresses)."""
    start = [p for p in base.split("/") if p]
    rel = list(start)
    for part in parts:
        if part in ("", ".", ".."):
            return None
        here = "/".join([*rel, part])
        try:
            exists = os.path.lexists(library.resolve(here))
        except OutsideLibrary:
            return None
        if not exists:
            if not any_case:
                return None
            match = _any_case(library, "/".join(rel), part)
            if match is None:
                return None
            part = match
        rel.append(part)
    full = "/".join(rel)
    try:
        target = library.resolve(full)
    except OutsideLibrary:
        return None
    if not (target.is_file() and is_runbook_name(target.name)):
        return None
    return "/".join(rel[len(start):])


def _any_case(library: Library, folder: str, name: str) -> str | None:
    wanted = _fold(name)
    try:
        with os.scandir(library.resolve(folder) if folder else library.root) as entries:
            for entry in entries:
                if _fold(entry.name) == wanted:
                    return entry.name
    except (OSError, OutsideLibrary):
        return None
    return None


def _fold(name: str) -> str:
    return name.lower().replace(" ", "-").replace("_", "-")
