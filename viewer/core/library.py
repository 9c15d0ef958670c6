"""A library: one folder of runbooks, and the only place files are read from.

Every path the app opens goes through :meth:`Library.resolve`, which refuses
anything that leaves the root: ``..`` segments, absolute paths, and symlinks
(to files or folders) that point outside it. A runbook repository is
untrusted input, so this is the one gate for reads.

The union library that shows every synced source (``library`` in the user's
data folder, built by :mod:`viewer.sync.union`) is the one place a symlink is
followed: each of its top-level entries is a link the app made to a source's
copy, and a path below that entry must stay inside that source.
"""

from __future__ import annotations

import os
import posixpath
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from viewer.core.textio import (
    MAX_FILE_BYTES,
    DecodedText,
    UnreadableFile,
    decode_bytes,
    decode_runbook,
    read_head,
    read_regular_file,
)
from viewer.locations import BUNDLED_NAME, union_root

# ".md.erb": Markdown a Middleman site runs through ERB first (GOV.UK's developer docs);
# its tags show for what they are (render/shortcodes.py).
RUNBOOK_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mdx", ".rst", ".rest", ".txt",
                              ".md.erb"})
RST_SUFFIXES = frozenset({".rst", ".rest"})
# Middleman publishes "x.html.md(.erb)" as x.html (GOV.UK's documentation template).
MIDDLEMAN_SUFFIXES = (".html.md", ".html.md.erb", ".md.erb")
IGNORED_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", "__pycache__", "_build"})
# A folder's own page, in the order one is chosen: what a link to the folder opens, what a
# library starts on, a Hugo section's page (_index.md), an MDX site's (index.mdx), a
# Middleman site's (index.html.md: the page's address with the markup's suffix after it).
FOLDER_PAGES = ("README.md", "index.md", "_index.md", "index.mdx", "index.rst", "README.rst",
                "README.txt", "_index.markdown", "index.html.md", "index.html.md.erb")
_FOLDER_PAGE_NAMES = frozenset(name.lower() for name in FOLDER_PAGES)


def file_stem(path: str) -> str:
    """A runbook's file name without its extension, an alert name when the library names
    files after alerts; Middleman's ``x.html.md`` and ``x.html.md.erb`` (GOV.UK) are ``x``."""
    name = path.rsplit("/", 1)[-1]
    name = name[:-len(".md.erb")] if name.lower().endswith(".md.erb") else name.rsplit(".", 1)[0]
    return name.removesuffix(".html")


def is_folder_page(path: str) -> bool:
    """Whether the runbook at ``path`` is its folder's own page (its README, index...)."""
    return path.rsplit("/", 1)[-1].lower() in _FOLDER_PAGE_NAMES


_FOLDER, _RUNBOOK, _OUTSIDE = "folder", "runbook", "outside"  # Library._kind's answers


class OutsideLibrary(Exception):
    """A path that would leave the library root; ``str(err)`` is the user-facing reason."""


_SUFFIX_TUPLE = tuple(RUNBOOK_SUFFIXES)
_BARE_SUFFIXES = frozenset(suffix[1:] for suffix in RUNBOOK_SUFFIXES)  # ".md" has none


def is_runbook_name(name: str) -> bool:
    # A string test, not a path's suffix: it runs for every file of every freshness check.
    lower = name.lower()
    return lower.endswith(_SUFFIX_TUPLE) and lower.lstrip(".") not in _BARE_SUFFIXES


def markup_of(path: Path | str) -> str:
    """``"rst"`` for reStructuredText files, ``"markdown"`` for everything else."""
    return "rst" if Path(path).suffix.lower() in RST_SUFFIXES else "markdown"


@dataclass
class LibraryEntry:
    """One node of the library tree: a folder or a runbook."""

    rel_path: str  # '/'-separated, relative to the library root
    name: str
    is_dir: bool
    children: list[LibraryEntry] = field(default_factory=list)
    title: str = ""
    problem: str = ""  # why it cannot be opened, if known from the listing


class Library:
    """A folder of runbooks with safe path resolution."""

    def __init__(self, root: Path | str, name: str | None = None) -> None:
        self.given_root = Path(os.path.abspath(Path(root).expanduser()))  # symlinks kept
        self.root = Path(root).expanduser().resolve()
        self.name = name or self.root.name
        self.is_union = self.root == union_root().resolve()

    def __repr__(self) -> str:
        return f"Library({str(self.root)!r})"

    # -- path safety -------------------------------------------------------
    def contains(self, path: Path) -> bool:
        """True when ``path``, with every symlink followed, is inside the root."""
        try:
            real = path.resolve(strict=False)
        except (OSError, RuntimeError):  # symlink loops
            return False
        if real == self.root or self.root in real.parents:
            return True
        if not self.is_union:
            return False
        try:
            top = self.root / Path(os.path.abspath(path)).relative_to(self.root).parts[0]
        except (ValueError, IndexError):
            return False
        if not top.is_symlink():
            return False
        try:  # only this source's link: contains() runs for every file read
            mount = top.resolve(strict=True)
        except (OSError, RuntimeError):
            return False
        return real == mount or mount in real.parents

    def mounts(self) -> dict[str, Path]:
        """For the union library: each source's top-level name and the real folder it shows."""
        if not self.is_union:
            return {}
        found: dict[str, Path] = {}
        try:
            with os.scandir(self.root) as listing:
                entries = list(listing)
        except OSError:
            return found
        for item in entries:
            if item.is_symlink() and not item.name.startswith("."):
                try:
                    target = Path(item.path).resolve(strict=True)
                except (OSError, RuntimeError):
                    continue  # a source not synced yet
                if target.is_dir():
                    found[item.name] = target
        return found

    def mount_order(self) -> list[str]:
        """The union's top folders as the app takes them: the sources, then the bundled guide."""
        return sorted(self.mounts(), key=lambda name: (name == BUNDLED_NAME, name.lower()))

    def resolve(self, rel: str | PurePosixPath, base: str | None = None) -> Path:
        """Turn a library-relative (or ``base``-relative) link path into a real path.

        ``base`` is the rel path of the document the link appears in. Raises
        :class:`OutsideLibrary` for anything that would leave the root.
        """
        text = str(rel).replace("\\", "/")
        if text.startswith("/"):
            # Sphinx's :doc:`/x` means "from the source root": the library root here.
            parts = PurePosixPath(text.lstrip("/"))
        elif base is not None:
            parts = PurePosixPath(base).parent / text
        else:
            parts = PurePosixPath(text)
        normal: list[str] = []
        for part in parts.parts:
            if part in ("", "."):
                continue
            if part == "..":
                if not normal:
                    raise OutsideLibrary(f"{text} points outside the library.")
                normal.pop()
            else:
                normal.append(part)
        candidate = self.root.joinpath(*normal)
        if not self.contains(candidate):
            raise OutsideLibrary(f"{text} is a link that points outside the library; not opened.")
        return candidate

    # -- the one gate for reads ----------------------------------------------
    def read_bytes(self, rel: str | PurePosixPath, base: str | None = None, *,
                   max_bytes: int = MAX_FILE_BYTES) -> tuple[bytes, int]:
        """The bytes (and mtime) of the library file at ``rel``: the only way to read one.

        Runbooks, images, ``triage.yaml`` and everything else the app shows
        from a library come through here: the path must stay inside the root
        with every symlink followed, must be a regular file, and is read
        without blocking and never past ``max_bytes``. Raises
        :class:`OutsideLibrary` or :class:`UnreadableFile`.
        """
        candidate = self.resolve(rel, base)  # inside the root, symlinks followed
        try:
            real = candidate.resolve(strict=True)
        except FileNotFoundError:
            raise UnreadableFile(f"{candidate.name} no longer exists.") from None
        except (OSError, RuntimeError):  # a symlink loop
            raise UnreadableFile(f"{candidate.name} cannot be read.") from None
        return read_regular_file(real, max_bytes=max_bytes)

    def read_text(self, rel: str, *, max_bytes: int = MAX_FILE_BYTES) -> DecodedText:
        """The decoded text of the library file at ``rel`` (see :meth:`read_bytes`)."""
        name = str(rel).rsplit("/", 1)[-1]
        data, mtime_ns = self.read_bytes(rel, max_bytes=max_bytes)
        return decode_runbook(data, mtime_ns, name=name)

    def rel_path(self, path: Path) -> str:
        """The '/'-separated path of ``path`` relative to the root (no symlink following).

        ``path`` may be written under the root as given (``~/runbooks`` linking
        elsewhere, macOS's ``/tmp``) or under its real place; raises ValueError
        when it is under neither.
        """
        absolute = Path(os.path.abspath(path))
        for root in (self.root, self.given_root):
            try:
                return absolute.relative_to(root).as_posix()
            except ValueError:
                continue
        real_folder = Path(os.path.realpath(absolute.parent))  # a symlinked folder on the way
        return (real_folder / absolute.name).relative_to(self.root).as_posix()

    # -- listing -----------------------------------------------------------
    def iter_runbooks(self) -> Iterator[str]:
        """Rel paths of every runbook file, in sorted order, never leaving the root."""
        stack = list(reversed(self._walk(self.root, "")))
        while stack:  # no recursion: a library may be nested thousands of folders deep
            entry = stack.pop()
            if entry.is_dir:
                stack.extend(reversed(entry.children))
            elif not entry.problem:
                yield entry.rel_path

    def runbook_stats(self, on_folder: Callable[[str], None] | None = None,
                      ) -> dict[str, tuple[int, int]]:
        """``(size, mtime_ns)`` of every runbook :meth:`iter_runbooks` lists, by rel path.

        The index's freshness check at every search: one ``scandir`` per folder
        and plain strings, no path objects, so 50,000 files cost tens of ms.
        ``on_folder`` is told each folder before it is listed, and the folder of
        each linked runbook's target (a change feed watches them).
        """
        found: dict[str, tuple[int, int]] = {}
        stack = [(str(self.root), "")]
        while stack:
            folder, rel = stack.pop()
            if on_folder is not None:
                on_folder(folder)
            try:
                with os.scandir(folder) as listing:
                    entries = list(listing)
            except OSError:
                continue
            for item in entries:
                kind = self._kind(item, rel)
                if not kind:
                    continue
                child = f"{rel}/{item.name}" if rel else item.name
                if kind == _FOLDER:
                    stack.append((item.path, child))
                    continue
                if kind != _RUNBOOK:
                    continue
                try:
                    info = item.stat()
                except OSError:
                    continue
                if stat.S_ISREG(info.st_mode):
                    found[child] = (info.st_size, info.st_mtime_ns)
                    if on_folder is not None and item.is_symlink():
                        on_folder(os.path.dirname(os.path.realpath(item.path)))
        return found

    def _kind(self, item: os.DirEntry, rel: str) -> str:
        """What a folder entry is to the library: the one rule every listing follows.

        A folder (symlinked folders are never followed, except the union's own
        links to its sources), a runbook, a runbook link that leaves the root,
        or "" for everything else (hidden names, other files, unreadable entries).
        """
        name = item.name
        if name.startswith(".") or name in IGNORED_DIRS:
            return ""
        try:
            is_link = item.is_symlink()
            if item.is_dir(follow_symlinks=False) or (
                    is_link and self.is_union and not rel and item.is_dir()):
                return _FOLDER
            if not is_runbook_name(name):
                return ""
            if is_link and not self.contains(Path(item.path)):
                return _OUTSIDE
            return _RUNBOOK if item.is_file(follow_symlinks=True) else ""
        except OSError:
            return ""

    def list_folder(self, rel: str) -> tuple[list[LibraryEntry], list[LibraryEntry]]:
        """The folders and runbooks directly in folder ``rel`` ("" for the root), each list
        sorted, without titles; nothing when ``rel`` is not a folder inside the library."""
        try:
            folder = self.resolve(rel) if rel else self.root
        except OutsideLibrary:
            return [], []
        dirs, files = self._list_folder(folder, rel, False)
        return [entry for entry, _ in dirs], files

    def tree(self, *, with_titles: bool = True) -> LibraryEntry:
        """The library as a tree of folders and runbooks (empty folders left out)."""
        root = LibraryEntry("", self.name, True)
        root.children = self._walk(self.root, "", with_titles=with_titles)
        return root

    def _walk(self, folder: Path, rel: str, *, with_titles: bool = False) -> list[LibraryEntry]:
        """The entries under ``folder``, built with an explicit stack rather than recursion."""
        top = LibraryEntry(rel, "", True)
        stack: list[tuple[LibraryEntry, Path]] = [(top, folder)]
        folders: list[LibraryEntry] = []
        while stack:
            entry, path = stack.pop()
            folders.append(entry)
            dirs, files = self._list_folder(path, entry.rel_path, with_titles)
            entry.children = [sub for sub, _ in dirs] + files
            stack.extend(dirs)
        for entry in reversed(folders):  # children before parents: empty folders drop out
            entry.children = [c for c in entry.children if not c.is_dir or c.children]
        return top.children

    def _list_folder(self, folder: Path, rel: str, with_titles: bool
                     ) -> tuple[list[tuple[LibraryEntry, Path]], list[LibraryEntry]]:
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: (e.name.lower(), e.name))
        except OSError:
            return [], []
        dirs: list[tuple[LibraryEntry, Path]] = []
        files: list[LibraryEntry] = []
        for item in entries:
            kind = self._kind(item, rel)
            child_rel = f"{rel}/{item.name}" if rel else item.name
            path = Path(item.path)
            if kind == _FOLDER:
                dirs.append((LibraryEntry(child_rel, item.name, True), path))
            elif kind == _OUTSIDE:
                # Symlinked runbooks that leave the root are listed so the user sees why
                # they don't open.
                files.append(LibraryEntry(
                    child_rel, item.name, False, title=item.name,
                    problem="This file is a link to a place outside the library; "
                    "it is not opened."))
            elif kind == _RUNBOOK:
                title = (peek_title(path.resolve() if item.is_symlink() else path)
                         if with_titles else "")
                files.append(LibraryEntry(child_rel, item.name, False, title=title or item.name))
        return dirs, files


_NAMES: dict[str, tuple[float, dict[str, list[str]]]] = {}  # root -> (when built, name -> paths)
_NAMES_SECONDS = 60.0


def nearest_file(library: Library, page: str, names: tuple[str, ...]) -> tuple[str, int] | None:
    """The nearest file called one of ``names`` in ``page``'s folder or a folder above it,
    inside the library (a site's ``mkdocs.yml``, ``_config.yml``, ``conf.py``): its library
    path and mtime, or None."""
    folder = posixpath.dirname(page)
    while True:
        for name in names:
            rel = posixpath.join(folder, name) if folder else name
            stamp = file_stamp(library, rel)
            if stamp is not None:
                return rel, stamp
        if not folder:
            return None
        folder = posixpath.dirname(folder)


def file_stamp(library: Library, rel: str) -> int | None:
    """The mtime of the regular file at ``rel`` inside the library, else None."""
    try:
        path = library.resolve(rel)
        return path.stat().st_mtime_ns if path.is_file() else None
    except (OutsideLibrary, OSError):
        return None


def pages_named(library: Library, name: str) -> list[str]:
    """Every runbook of the library called ``name`` (a Hugo ref names pages that way):
    ``kubernetes`` or ``kubernetes.md`` is ``kubernetes.md`` or the folder page of a
    ``kubernetes`` folder (its ``_index.md``: Hugo's section; see FOLDER_PAGES).

    Built on first use from one walk of the library and kept for a minute:
    only a page with a ref that does not resolve as written ever asks.
    """
    import time

    now = time.monotonic()
    built = _NAMES.get(str(library.root))
    if built is None or now - built[0] > _NAMES_SECONDS:
        table: dict[str, list[str]] = {}
        for rel in library.iter_runbooks():
            folder, _, file_name = rel.rpartition("/")
            table.setdefault(file_name.lower(), []).append(rel)
            if folder and file_name.lower() in _FOLDER_PAGE_NAMES:
                table.setdefault(folder.rsplit("/", 1)[-1].lower() + "/", []).append(rel)
        built = _NAMES[str(library.root)] = (now, table)
    key = name.lower().rstrip("/")
    stem = key[:-3] if key.endswith(".md") else key
    return list(dict.fromkeys([*built[1].get(key, []), *built[1].get(stem + ".md", []),
                               *built[1].get(stem + "/", [])]))


_FRONT_TITLE = re.compile(r"^title:\s*['\"]?(.+?)['\"]?\s*$", re.MULTILINE)
_ATX_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_RST_ADORNMENT = re.compile(r"^([=\-~^\"'`#*+<>:._])\1{2,}\s*$")


def peek_title(path: Path, limit: int = 4096) -> str:
    """A runbook's title from its first few KB, cheaply, for the library tree.

    Front-matter ``title:`` wins, then the first Markdown heading or the first
    reST section title. Returns "" when none is found or the file is unreadable.
    """
    try:
        head = read_head(path, limit)
    except UnreadableFile:
        return ""
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ""
    try:
        text = decode_bytes(head).text
    except Exception:
        return ""
    if text.startswith("---"):
        end = text.find("\n---", 3)
        if end > 0:
            match = _FRONT_TITLE.search(text[3:end])
            if match:
                return match.group(1).strip()
            text = text[end + 4 :]
    if markup_of(path) == "rst":
        return _rst_title(text)
    match = _ATX_HEADING.search(text)
    if match:
        return _strip_inline_markdown(match.group(1))
    return ""


def _rst_title(text: str) -> str:
    lines = text.splitlines()
    for i in range(len(lines) - 1):
        title, under = lines[i].strip(), lines[i + 1]
        if title and not _RST_ADORNMENT.match(title) and _RST_ADORNMENT.match(under):
            if len(under.rstrip()) >= len(title) - 2:
                return title
    return ""


def _strip_inline_markdown(text: str) -> str:
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[*_`]", "", text).strip()
