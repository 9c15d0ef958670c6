"""Git repositories built to hurt a reader: written object by object with dulwich.

git itself refuses to commit most of these (``..`` names, ``.git`` folders,
names over 255 bytes), which is why a hostile server can still send them:
the objects are valid, only the names are poison. Each builder commits one
tree on ``main`` of a bare repository and returns nothing; a sync of the
repository must write nothing outside its copy and keep the copy it had.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dulwich.objects import Blob, Commit, Tree
from dulwich.repo import Repo

FILE, LINK, SUBMODULE, FOLDER = 0o100644, 0o120000, 0o160000, 0o040000
Entry = tuple[bytes, int, bytes]  # name, mode, object id


def _blob(repo: Repo, data: bytes) -> bytes:
    blob = Blob.from_string(data)
    repo.object_store.add_object(blob)
    return blob.id


def _tree(repo: Repo, entries: list[Entry]) -> bytes:
    tree = Tree()
    for name, mode, sha in entries:
        tree.add(name, mode, sha)
    repo.object_store.add_object(tree)
    return tree.id


def _commit(repo: Repo, tree: bytes, message: str) -> None:
    commit = Commit()
    commit.tree = tree
    commit.author = commit.committer = b"Hostile <h@example.com>"
    commit.author_time = commit.commit_time = 1_700_000_000
    commit.author_timezone = commit.commit_timezone = 0
    commit.message = message.encode()
    head = repo.refs.as_dict().get(b"refs/heads/main")
    commit.parents = [head] if head else []
    repo.object_store.add_object(commit)
    repo.refs[b"refs/heads/main"] = commit.id


def _readme(repo: Repo) -> Entry:
    return (b"README.md", FILE, _blob(repo, b"# Still here\n\nThe rest of the library.\n"))


def symlinks(repo: Repo) -> list[Entry]:
    return [_readme(repo),
            (b"passwd.md", LINK, _blob(repo, b"/etc/passwd")),
            (b"up.md", LINK, _blob(repo, b"../../../../outside.md")),
            (b"docs", LINK, _blob(repo, b"/etc"))]


def submodules(repo: Repo) -> list[Entry]:
    return [_readme(repo), (b"vendored", SUBMODULE, b"1" * 40)]


def escaping_names(repo: Repo) -> list[Entry]:
    inner = _tree(repo, [(b"evil.md", FILE, _blob(repo, b"# escaped\n"))])
    return [_readme(repo), (b"..", FOLDER, inner), (b".git", FOLDER, inner),
            (b".GIT", FOLDER, inner), (b"a\\..\\b.md", FILE, _blob(repo, b"# backslash\n"))]


def long_names(repo: Repo) -> list[Entry]:
    blob = _blob(repo, b"# long\n")  # 300 bytes; 130 two-byte letters are 263 bytes
    return [_readme(repo), (b"x" * 300 + b".md", FILE, blob),
            (("é" * 130 + ".md").encode(), FILE, blob)]


def deep_tree(repo: Repo, depth: int = 600) -> list[Entry]:
    tree = _tree(repo, [(b"deep.md", FILE, _blob(repo, b"# Deep\n"))])
    for _ in range(depth):
        tree = _tree(repo, [(b"d", FOLDER, tree)])
    return [_readme(repo), (b"d", FOLDER, tree)]


def huge_blob(repo: Repo, size: int = 64 * 1024 * 1024) -> list[Entry]:
    return [_readme(repo), (b"huge.md", FILE, _blob(repo, b"\0" * size))]


def case_twins(repo: Repo) -> list[Entry]:
    return [_readme(repo), (b"Runbook.md", FILE, _blob(repo, b"# Upper\n")),
            (b"runbook.md", FILE, _blob(repo, b"# Lower\n")),
            (b"RUNBOOK.md", FILE, _blob(repo, b"# Shout\n"))]


def bad_utf8_names(repo: Repo) -> list[Entry]:
    return [_readme(repo), (b"\xff\xfe.md", FILE, _blob(repo, b"# bytes\n")),
            (b"caf\xe9.md", FILE, _blob(repo, b"# latin-1\n"))]


HOSTILE: dict[str, Callable[[Repo], list[Entry]]] = {
    "symlinks": symlinks, "submodules": submodules, "escaping names": escaping_names,
    "long names": long_names, "deep tree": deep_tree, "huge blob": huge_blob,
    "case twins": case_twins, "names that are not UTF-8": bad_utf8_names,
}


def build(path: Path, kind: str) -> Path:
    """A bare repository at ``path`` whose ``main`` holds one hostile tree of ``kind``."""
    repo = Repo.init_bare(str(path), mkdir=True)
    try:
        _commit(repo, _tree(repo, HOSTILE[kind](repo)), kind)
    finally:
        repo.close()
    return path


def commit_good(path: Path, text: bytes = b"# Good copy\n") -> None:
    """Add a plain, harmless commit on ``main`` (the copy a failed sync must keep)."""
    repo = Repo(str(path))
    try:
        _commit(repo, _tree(repo, [(b"good.md", FILE, _blob(repo, text))]), "good")
    finally:
        repo.close()


def commit_hostile(path: Path, kind: str) -> None:
    repo = Repo(str(path))
    try:
        _commit(repo, _tree(repo, HOSTILE[kind](repo)), kind)
    finally:
        repo.close()

