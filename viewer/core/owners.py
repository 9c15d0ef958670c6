"""Who owns a runbook, from the OWNERS and CODEOWNERS files its repository already has.

CODEOWNERS (GitHub, GitLab, Gitea): the last pattern that matches the file
wins, patterns read the gitignore way. OWNERS (Kubernetes YAML with
``approvers``, or Chromium's one owner per line): the nearest file up the
folders. Every file is read through the library's gate, once per lookup
table; a page's own front matter comes before either (see ``freshness``).
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache

from viewer.core.library import Library, OutsideLibrary
from viewer.core.textio import UnreadableFile

CODEOWNERS_PLACES = ("CODEOWNERS", ".github/CODEOWNERS", ".gitlab/CODEOWNERS",
                     "docs/CODEOWNERS")
MAX_OWNERS_BYTES = 512 * 1024
_SECTION = re.compile(r"^\^?\[[^\]]*\](\[\d+\])?(\s+\S.*)?$")  # GitLab: [Section] @default


def _read(library: Library, rel: str) -> str | None:
    try:
        return library.read_text(rel, max_bytes=MAX_OWNERS_BYTES).text
    except (OutsideLibrary, UnreadableFile, OSError):
        return None


def pattern_regex(pattern: str) -> re.Pattern[str]:
    """A CODEOWNERS pattern as a regex over '/'-separated paths from the repository root."""
    anchored = pattern.startswith("/") or "/" in pattern.rstrip("/")
    body = pattern.strip("/")
    out: list[str] = []
    i = 0
    while i < len(body):
        if body.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif body.startswith("**", i):
            out.append(".*")
            i += 2
        elif body[i] == "*":
            out.append("[^/]*")
            i += 1
        elif body[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(body[i]))
            i += 1
    prefix = "" if anchored else "(?:.*/)?"
    # A pattern names a file, or a folder and everything under it.
    return re.compile(f"^{prefix}{''.join(out)}(?:/.*)?$")


def parse_codeowners(text: str) -> list[tuple[re.Pattern[str], tuple[str, ...]]]:
    rules: list[tuple[re.Pattern[str], tuple[str, ...]]] = []
    for raw in text.splitlines()[:20_000]:
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#") or _SECTION.match(line):
            continue
        pattern, *owners = line.split()
        if len(pattern) > 500:
            continue
        rules.append((pattern_regex(pattern.replace("\\ ", " ")), tuple(owners)))
    return rules


def parse_owners_file(text: str) -> list[str]:
    """Kubernetes' YAML (approvers, then reviewers) or Chromium's plain list of owners."""
    if re.search(r"^(approvers|reviewers|options)\s*:", text, re.M):
        from viewer.core.yaml_budget import YamlTooLarge, load_bounded

        try:
            data = load_bounded(text)
        except (YamlTooLarge, Exception):
            return []
        if isinstance(data, dict):
            for key in ("approvers", "reviewers"):
                value = data.get(key)
                if isinstance(value, list) and value:
                    return [str(v) for v in value if isinstance(v, str | int)]
        return []
    owners = []
    for raw in text.splitlines()[:2000]:
        line = raw.split("#", 1)[0].strip()
        if line and not line.startswith(("set ", "per-file", "file:", "include ")) and \
                " " not in line:
            owners.append(line)
    return owners


class OwnersTable:
    """Owners of a library's pages; each OWNERS/CODEOWNERS file read at most once."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self._codeowners = lru_cache(maxsize=64)(self._codeowners_at)
        self._owners_file = lru_cache(maxsize=4096)(self._owners_in)

    def owners(self, rel_path: str) -> list[str]:
        """The page's owners from OWNERS/CODEOWNERS ([] when neither names any)."""
        root = self._repository_root(rel_path)
        inside = rel_path[len(root) + 1:] if root else rel_path
        for pattern, owners in reversed(self._codeowners(root)):
            if pattern.match(inside):
                return list(owners)
        folder = posixpath.dirname(rel_path)
        while True:
            found = self._owners_file(folder)
            if found:
                return list(found)
            if folder == root or not folder:
                return []
            folder = posixpath.dirname(folder)

    def _repository_root(self, rel_path: str) -> str:
        # In the union of sources, each top folder is its own repository.
        return rel_path.split("/", 1)[0] if self.library.is_union and "/" in rel_path else ""

    def _codeowners_at(self, root: str) -> list[tuple[re.Pattern[str], tuple[str, ...]]]:
        for place in CODEOWNERS_PLACES:
            text = _read(self.library, posixpath.join(root, place) if root else place)
            if text is not None:
                return parse_codeowners(text)
        return []

    def _owners_in(self, folder: str) -> tuple[str, ...]:
        text = _read(self.library, posixpath.join(folder, "OWNERS") if folder else "OWNERS")
        return tuple(parse_owners_file(text)) if text else ()
