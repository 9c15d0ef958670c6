"""The commit a source tree is at, read from its ``.git`` folder: no git binary, no imports.

Shared by the running app (``viewer.buildinfo``), the wheel build (``setup.py``
records it in ``build-info.json``) and the PyInstaller build (``build.spec``),
so every way of installing says which commit it is.
"""

from __future__ import annotations

from pathlib import Path


def commit_of(root: Path) -> str:
    """The first 12 hex digits of ``root``'s checked-out commit, or "" when there is none."""
    git = root / ".git"
    try:
        if git.is_file():  # a worktree or submodule: "gitdir: <path>"
            pointer = git.read_text(encoding="utf-8").strip()
            if pointer.startswith("gitdir: "):
                git = (root / pointer[8:]).resolve()
        head = (git / "HEAD").read_text(encoding="utf-8").strip()
        if not head.startswith("ref: "):
            return head[:12]
        ref = head[5:]
        for folder in (git, _common_dir(git)):
            ref_file = folder / ref
            if ref_file.is_file():
                return ref_file.read_text(encoding="utf-8").strip()[:12]
            packed = folder / "packed-refs"
            if packed.is_file():
                for line in packed.read_text(encoding="utf-8").splitlines():
                    if line.endswith(" " + ref):
                        return line.split()[0][:12]
    except (OSError, UnicodeDecodeError):
        pass
    return ""


def _common_dir(git: Path) -> Path:
    """A worktree's shared git folder, where its branch refs live."""
    pointer = git / "commondir"
    try:
        return (git / pointer.read_text(encoding="utf-8").strip()).resolve()
    except OSError:
        return git
