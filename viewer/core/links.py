"""What a link in a runbook points at, and whether the viewer may follow it.

One place decides: in-page anchors and other runbooks open inside the app
(never outside the library root), http(s) opens in the browser only after
the user has seen the URL, ``copy:N`` copies a code block, and anything else
is refused with a reason.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from viewer.core.document import Document
from viewer.core.library import (
    FOLDER_PAGES,
    RUNBOOK_SUFFIXES,
    Library,
    OutsideLibrary,
    file_stem,
    is_folder_page,
    is_runbook_name,
)

COPY_SCHEME = "copy"  # copy:N is the copy link of code block N
VAR_SCHEME = "var"  # var:NAME is a placeholder on the page: it leads to the variable's field
TICK_SCHEME = "tick"  # tick:STEP is a step's box while an incident is on
_HAS_SCHEME = re.compile(r"^\s*(?:[a-z][a-z0-9+.\-]*:|//)", re.I)
_INLINE_IMAGE = re.compile(r"^\s*data:image/", re.I)


def has_scheme(url: str) -> bool:
    """True for a URL that names a scheme or a host: not a path inside the library."""
    return bool(_HAS_SCHEME.match(url))


def is_fetchable_elsewhere(url: str) -> bool:
    """True for a URL that names a scheme or host (remote), except author-inlined images."""
    return has_scheme(url) and not _INLINE_IMAGE.match(url)


@dataclass(frozen=True)
class LinkTarget:
    kind: str  # "anchor" | "runbook" | "external" | "copy" | "variable" | "tick" | "refused"
    # runbook path, for "runbook" (and the file a "refused" link names, where there is one);
    # the name for "variable"; the step for "tick"
    path: str = ""
    anchor: str = ""
    url: str = ""  # for "external"
    index: int = -1  # code block number, for "copy"
    reason: str = ""  # for "refused"


def classify_link(href: str, library: Library, current: str | None) -> LinkTarget:
    """Decide what clicking ``href`` in the runbook ``current`` (library rel path) does."""
    href = href.strip()
    if not href:
        return LinkTarget("refused", reason="This link is empty.")
    parts = urlsplit(href)
    scheme = parts.scheme.lower()
    if scheme == VAR_SCHEME:
        return LinkTarget("variable", path=parts.path)
    if scheme == TICK_SCHEME:
        return LinkTarget("tick", path=parts.path)
    if scheme == COPY_SCHEME:
        try:
            return LinkTarget("copy", index=int(parts.path))
        except ValueError:
            return LinkTarget("refused", reason="This copy link is malformed.")
    if scheme in ("http", "https"):
        if not parts.netloc:
            return LinkTarget("refused", reason=f"{href} is not a complete web address.")
        return LinkTarget("external", url=href)
    if scheme == "file":
        return _local(unquote(parts.path), unquote(parts.fragment), library, None, href)
    if scheme or href.startswith("//"):
        return LinkTarget(
            "refused", reason=f"Links of this kind ({scheme or 'network path'}:) are not opened "
            f"by the viewer: {href}"
        )
    if not parts.path:
        return LinkTarget("anchor", path=current or "", anchor=unquote(parts.fragment))
    return _local(unquote(parts.path), unquote(parts.fragment), library, current, href)


def _local(path: str, anchor: str, library: Library, current: str | None, href: str) -> LinkTarget:
    try:
        if path.startswith("/") and current is None:
            real = Path(path)
            if not library.contains(real):
                raise OutsideLibrary(f"{href} points outside the library; not opened.")
        else:
            real = library.resolve(path, base=current)
    except OutsideLibrary as err:
        return LinkTarget("refused", reason=str(err))
    if real.is_dir():
        page = folder_page(real)
        if page is None:
            return LinkTarget("refused", reason=f"{href} is a folder, not a runbook.")
        real = page
    if not real.exists() and path.startswith("/") and current is not None:
        # In a Sphinx project opened at its repository's root, "/x" is from conf.py's folder.
        from viewer.core.sphinx_project import sphinx_root

        root = sphinx_root(library, current)
        if root:
            try:
                real = library.resolve(posixpath.join(root, path.lstrip("/")))
            except OutsideLibrary as err:
                return LinkTarget("refused", reason=str(err))
    if not real.exists() and path.startswith("/") and current is not None:
        real = _from_jekyll_root(library, path, current) or real
    if not real.exists() and path.startswith("/") and current is not None:
        real = page_under_site_root(library, path, current) or real
    if not real.exists() and path.startswith("../") and current is not None:
        real = _from_pretty_url(library, current, path) or real
    if not real.exists() and current is not None and _is_index_page(current) and \
            not path.startswith(("/", "../")):
        real = _from_folder_address(library, current, path) or real
    if not real.exists():
        found = _with_runbook_suffix(real)
        if found is None:
            return LinkTarget("refused", reason=f"{href} does not exist in this library.")
        real = found
    if not is_runbook_name(real.name):
        return LinkTarget(  # with its path: the file is there, only not opened here
            "refused", path=library.rel_path(real),
            reason=f"{href} is not a runbook (only Markdown, reST and text files open).")
    return LinkTarget("runbook", path=library.rel_path(real), anchor=anchor)


_LANGUAGE = re.compile(r"^[a-z]{2}(?:-[a-z]{2,4})?$")  # a Hugo site's language folder: en, pt-br
# Where site generators keep their pages: a site-absolute link ("/docs/x") is from there.
SITE_ROOTS = ("content", "docs", "content/en", "source", "doc")


def site_content_roots(page: str) -> list[str]:
    """The content folders of the Hugo site ``page`` is in, nearest first: the ``content``
    folder above it, and its language folder (``daprdocs/content/en``) when it has one."""
    parts = page.split("/")[:-1]
    roots: list[str] = []
    for i in range(len(parts) - 1, -1, -1):
        if parts[i] != "content":
            continue
        if i + 1 < len(parts) and _LANGUAGE.match(parts[i + 1]):
            roots.append("/".join(parts[:i + 2]))
        roots.append("/".join(parts[:i + 1]))
        break
    return roots


def page_under_site_root(library: Library, path: str, current: str = "") -> Path | None:
    """The page a Hugo or MkDocs site-absolute link names, from the site's content folder:
    the one above the linking page, else one of the usual places at the library's top."""
    for root in (*site_content_roots(current), *SITE_ROOTS):
        try:
            candidate = library.resolve(posixpath.join(root, path.strip("/")))
        except OutsideLibrary:
            return None
        if candidate.is_dir():
            page = folder_page(candidate)
            if page is not None:
                return page
        elif candidate.exists() or _with_runbook_suffix(candidate) is not None:
            return candidate
    return None


def _from_jekyll_root(library: Library, path: str, current: str) -> Path | None:
    """The page a Jekyll site's "/x.html" names, from the site's own folder."""
    from viewer.core.jekyll_site import site_root

    root = site_root(library, current)
    if not root:
        return None  # none, or the library's root: already looked for there
    try:
        candidate = library.resolve(posixpath.join(root, path.lstrip("/")))
    except OutsideLibrary:
        return None
    return candidate if candidate.exists() else _with_runbook_suffix(candidate)


def _from_pretty_url(library: Library, current: str, path: str) -> Path | None:
    """The page a link written against a site's "pretty" address names: Hugo publishes
    ``kubernetes/PodCrash.md`` at ``kubernetes/podcrash/``, so its ``../nodedown`` means
    ``kubernetes/NodeDown.md``, and its ``../limits/`` the folder page of
    ``kubernetes/limits/`` (``_index.md``, ``index.md``); Middleman's directory indexes
    do the same for ``x.html.md`` (GOV.UK's template). Names compare without case, as
    the site's addresses do."""
    target = posixpath.normpath(posixpath.join(page_address(current), path.rstrip("/")))
    folder, name = posixpath.split(target)
    if not name or name.startswith(".") or target.startswith(".."):
        return None
    try:
        base = library.resolve(folder) if folder else library.root
    except OutsideLibrary:
        return None
    wanted = name.lower()
    try:
        with os.scandir(base) as listing:
            for entry in listing:
                found = base / entry.name
                if is_runbook_name(entry.name) and file_stem(entry.name).lower() == wanted \
                        and entry.is_file() and library.contains(found):
                    return found
                if entry.name.lower() == wanted and entry.is_dir(follow_symlinks=False):
                    page = folder_page(found)
                    if page is not None and library.contains(page):
                        return page
    except OSError:
        return None
    return None


def _is_index_page(path: str) -> bool:
    """A site's folder page (``index.mdx``), not a README: a git host reads a README's
    links from its own folder, and the checker must say when one is broken there."""
    return is_folder_page(path) and not path.rsplit("/", 1)[-1].lower().startswith("readme")


def _from_folder_address(library: Library, current: str, path: str) -> Path | None:
    """A folder's own page published at the folder's address without a final slash (a
    Next.js site shows ``docs/cli/index.mdx`` at ``/cli``): a browser reads its
    ``./cli/quickstart`` from the folder above, ``docs/cli/quickstart``."""
    above = posixpath.dirname(posixpath.dirname(current))
    try:
        candidate = library.resolve(posixpath.normpath(posixpath.join(above, path)))
    except OutsideLibrary:
        return None
    if candidate.is_dir():
        return folder_page(candidate)
    return candidate if candidate.exists() else _with_runbook_suffix(candidate)


# Names a site gives many pages, or none in particular: never taken as one runbook's.
_GENERIC_PAGE_NAMES = frozenset({"index", "readme", "home", "main", "runbook", "runbooks",
                                 "docs", "alerts", "overview"})


def only_page_named(library: Library, url: str) -> tuple[str, str] | None:
    """(path, anchor) of the one runbook named as the last part of web address ``url``:
    a pasted alert's ``runbook_url`` when no source says where its pages are published
    (``https://runbooks.example.org/prometheus-reconcile-alert.html#steps`` is
    ``source/prometheus-reconcile-alert.html.md.erb``). None when no runbook, or more
    than one, is named so, or the name alone says nothing (``README``, without a
    ``#section``)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https"):
        return None
    wanted = page_name_in_address([unquote(s) for s in parts.path.split("/") if s]).lower()
    if len(wanted) < 4 or (wanted in _GENERIC_PAGE_NAMES and not parts.fragment):
        return None  # "RUNBOOK.md#velero-backup" still names a section of the only RUNBOOK
    found = [rel for rel in library.iter_runbooks() if file_stem(rel).lower() == wanted]
    return (found[0], unquote(parts.fragment)) if len(found) == 1 else None


def page_address(path: str) -> str:
    """The folder a site with pretty addresses shows the page at ``path`` as (Hugo's
    ``k8s/PodCrash.md`` at ``k8s/PodCrash/``, Middleman's ``adr/ADR004.html.md`` at
    ``adr/ADR004/``): the page's relative links and pictures are read from there."""
    return posixpath.join(posixpath.dirname(path), file_stem(path))


def page_name_in_address(segments: list[str]) -> str:
    """The page a web address's path (its ``segments``) names: its last part that is not
    ``index.html``, without ``.html`` and a page's own suffix (``x.md``, ``x.html.md``)."""
    name = next((s for s in reversed(segments)
                 if s.lower() not in ("index.html", "index.htm", "index")), "")
    name = re.sub(r"\.html?$", "", name, flags=re.IGNORECASE)
    return file_stem(name) if is_runbook_name(name) else name


def folder_page(folder: Path) -> Path | None:
    """The page a link to ``folder`` opens: its README, index... (``FOLDER_PAGES``)."""
    return next((folder / name for name in FOLDER_PAGES if (folder / name).is_file()), None)


def _with_runbook_suffix(path: Path) -> Path | None:
    """``x`` or a site's built ``x.html`` as the runbook it was built from: ``x.md``,
    ``x.rst``, or Middleman's ``x.html.md`` (the built name with the markup's suffix)."""
    stem = re.sub(r"\.html?$", "", path.name, flags=re.I)
    stem = stem[:-1] if stem.endswith(".") else stem
    for name in (stem, stem + ".html"):
        for suffix in sorted(RUNBOOK_SUFFIXES):
            candidate = path.with_name(name + suffix)
            if candidate.is_file():
                return candidate
    return None


_IDS = re.compile(r'\b(?:id|name)="([^"]+)"')


def landing_anchors(document: Document) -> tuple[set[str], list[tuple[str, str]]]:
    """Every id a link into ``document`` can land on (its headings' and the ids its HTML
    gives, such as ``<a name="x">``), and (anchor, text) of each heading, for matching a
    fragment the way the window does (``open_request.anchor_matching``)."""
    import html

    ids = {html.unescape(i) for i in _IDS.findall(document.body_html)}
    return document.anchors | ids, [(h.anchor, h.text) for h in document.headings]


def relative_href(from_doc: str, to_doc: str, anchor: str = "") -> str:
    """The href from runbook ``from_doc`` to ``to_doc`` (both library rel paths)."""
    if to_doc == from_doc:
        target = ""
    else:
        target = posixpath.relpath(to_doc, posixpath.dirname(from_doc) or ".")
    return f"{target}#{anchor}" if anchor else (target or "#")
