"""Which version of a runbook is being read: its source's commit, else its content's digest.

An incident records it for each runbook when first opened, so the
hand-over says exactly which text was followed.
"""

from __future__ import annotations

import hashlib

from viewer.core.library import Library
from viewer.sync.snapshots import SourceCache


def runbook_version(library: Library, rel_path: str) -> str:
    """"commit 1a2b3c4" for a runbook of a synced git source, else "sha1 0123456789"."""
    if library.is_union and "/" in rel_path:
        try:
            commit = SourceCache(rel_path.split("/", 1)[0]).current_commit()
        except (OSError, ValueError):
            commit = ""
        if commit:
            return f"commit {commit[:7]}"
    try:
        data, _mtime = library.read_bytes(rel_path)  # through the gate, like every read
    except Exception:  # gone, refused or unreadable: no version to name
        return ""
    return f"sha1 {hashlib.sha1(data).hexdigest()[:10]}"
