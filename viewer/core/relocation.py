"""Where a library's runbooks are once the library changes shape, so no user state is orphaned.

Adding the first source turns the library into the union of every source,
with the bundled guide mounted beside them under its own name: the page
``user-guide.md`` becomes ``Runbook Viewer guide/user-guide.md``. Pins,
reading positions, recent pages and the open page follow; removing the last
source takes them back the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from viewer.core.library import Library


@dataclass(frozen=True)
class Relocation:
    """Paths of ``old_root`` under ``old_prefix`` are now under ``new_prefix`` of ``new_root``."""

    old_root: str
    new_root: str
    old_prefix: str  # "" or "mount name/"
    new_prefix: str

    def moved(self, path: str) -> str | None:
        """``path``'s name in the new library, or None when it is not among those that moved."""
        if not path.startswith(self.old_prefix):
            return None
        return self.new_prefix + path[len(self.old_prefix):]


def relocation(old: Library, new: Library) -> Relocation | None:
    """How paths of ``old`` read in ``new`` when one is mounted in the other, else None."""
    if old.root == new.root:
        return None
    for union, folder, mounted_is_new in ((new, old, False), (old, new, True)):
        if not union.is_union:
            continue
        for name, target in union.mounts().items():
            if Path(target).resolve() == folder.root:
                prefix = f"{name}/"
                return Relocation(str(old.root), str(new.root),
                                  prefix if mounted_is_new else "",
                                  "" if mounted_is_new else prefix)
    return None
