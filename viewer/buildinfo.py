"""Which build this is: the version and the git commit it was made from.

A packaged app carries ``resources/build-info.json``, written by
``build.spec``; a source checkout reads the commit from ``.git`` directly
(no git binary needed). Shown in the About dialog and by ``--version``.
"""

from __future__ import annotations

import json
from pathlib import Path

from viewer import __version__
from viewer.gitcommit import commit_of
from viewer.locations import resources_dir

_SOURCE_ROOT = Path(__file__).resolve().parent.parent


def build_commit() -> str:
    """The commit this build was made from, or "" when nobody recorded it."""
    try:
        info = json.loads((resources_dir() / "build-info.json").read_text(encoding="utf-8"))
        if isinstance(info, dict) and info.get("commit"):
            return str(info["commit"])
    except (OSError, ValueError, FileNotFoundError):
        pass
    return commit_of(_SOURCE_ROOT)


def version_line() -> str:
    commit = build_commit()
    return f"{__version__} (commit {commit})" if commit else __version__
