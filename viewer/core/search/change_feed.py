"""Whether a library's runbooks may have changed since its index was last checked.

The index is checked against the disk before every search: a ``stat`` of
every runbook, 20-30 ms at 5,000 and a quarter of a second at 50,000. A
process that stays (the search helper) can instead ask the kernel: on Linux
an inotify watch on each folder the check walks queues every change made in
it, in order, as the change is made. Reading that queue without waiting
says exactly whether anything changed before the read, so a search after an
edit still sees the edit, with no timing window (a watcher thread, as the
window's, delivers changes a moment later).

Where the kernel cannot be asked (not Linux, no inotify, the watch limit
reached, the queue overflowed), or cannot know (a network or FUSE file
system, where another machine's writes raise no event here), the feed
answers "changed" and the full check runs: never a stale answer, at worst
today's cost.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

from viewer.core.library import is_runbook_name

log = logging.getLogger(__name__)

try:  # Linux only (pyproject's marker); elsewhere every search checks the disk
    from inotify_simple import INotify
    from inotify_simple import flags as _flags
except (ImportError, OSError):  # pragma: no cover - platform
    INotify = None  # type: ignore[assignment,misc]

if INotify is not None:
    _WATCHED = (_flags.MODIFY | _flags.ATTRIB | _flags.CLOSE_WRITE | _flags.MOVED_FROM
                | _flags.MOVED_TO | _flags.CREATE | _flags.DELETE | _flags.DELETE_SELF
                | _flags.MOVE_SELF)
    # Events about a folder itself, or about the queue: the listing may be different.
    _STRUCTURAL = (_flags.ISDIR | _flags.DELETE_SELF | _flags.MOVE_SELF | _flags.IGNORED
                   | _flags.Q_OVERFLOW | _flags.UNMOUNT)

# File systems where every change to a file is made by this machine's kernel, so inotify
# hears it. Any other (nfs, cifs, fuse.sshfs, 9p, ceph...) is walked at every search.
LOCAL_FILE_SYSTEMS = frozenset({
    "ext2", "ext3", "ext4", "xfs", "btrfs", "zfs", "f2fs", "jfs", "reiserfs", "tmpfs",
    "ramfs", "overlay", "vfat", "msdos", "exfat", "ntfs3", "hfsplus", "nilfs2", "bcachefs"})


def file_system_type(device: int, mountinfo: str = "/proc/self/mountinfo") -> str:
    """The type of the file system on ``device`` (``st_dev``), "" when it is not listed."""
    wanted = f"{os.major(device)}:{os.minor(device)}"
    try:
        with open(mountinfo, encoding="utf-8", errors="replace") as mounts:
            for line in mounts:
                fields = line.split(" - ", 1)
                head = fields[0].split()
                if len(fields) == 2 and len(head) > 2 and head[2] == wanted:
                    return fields[1].split()[0]
    except OSError:
        pass
    return ""


class ChangeFeed:
    """The kernel's record of changes under one library's folders.

    :meth:`watch` is given every folder as the disk check walks it (before the
    folder is listed, so a change is either seen by the listing or queued);
    :meth:`changed` says whether anything a runbook listing could see changed
    since the last :meth:`settled`.
    """

    def __init__(self) -> None:
        self._inotify = None
        self._dirty = True  # nothing is known until a full check has run with the watches on
        self._broken = INotify is None
        self._local_devices: set[int] = set()
        if not self._broken:
            try:
                self._inotify = INotify()
            except OSError as err:  # the per-user instance limit
                log.info("no change feed: %s", err)
                self._broken = True

    @property
    def live(self) -> bool:
        """True when the kernel is asked; False when every search checks the disk."""
        return not self._broken

    def watch(self, folder: str) -> None:
        """Have the kernel queue changes in ``folder`` (idempotent)."""
        if self._broken:
            return
        try:
            device = os.stat(folder).st_dev
            if device not in self._local_devices:
                kind = file_system_type(device)
                if kind not in LOCAL_FILE_SYSTEMS:
                    self._give_up(f"{folder} is on {kind or 'an unknown device'}")
                    return
                self._local_devices.add(device)
            self._inotify.add_watch(folder, _WATCHED)  # type: ignore[union-attr]
        except OSError as err:
            if not os.path.isdir(folder):
                return  # gone between listing and watching: the listing already saw that
            self._give_up(str(err))  # ENOSPC: the user's watch limit

    def changed(self) -> bool:
        """True when a runbook or folder may have changed since :meth:`settled` (or ever)."""
        if self._broken:
            return True
        try:
            events = self._inotify.read(timeout=0)  # type: ignore[union-attr]
        except OSError as err:
            self._give_up(str(err))
            return True
        for event in events:
            if event.mask & _STRUCTURAL or not event.name or is_runbook_name(event.name):
                self._dirty = True
                break
        return self._dirty

    def settled(self) -> None:
        """The disk check that followed :meth:`changed` completed: the index matches it."""
        self._dirty = False

    def _give_up(self, why: str) -> None:
        """From here on every search of this library checks the disk."""
        log.info("change feed off for this library: %s", why)
        self.close()

    def close(self) -> None:
        if self._inotify is not None:
            self._inotify.close()
            self._inotify = None
        self._broken = True


class WatchedLibraries:
    """The change feeds of the few libraries a long-lived process searches.

    A library's index is known fresh when its feed saw no change since the last
    full check *and* the index still holds that check's stamp (the window, or
    another command, may have rebuilt or reset it in between).
    """

    def __init__(self, keep: int = 4) -> None:
        self._keep = keep
        self._known: dict[str, tuple[ChangeFeed, str]] = {}  # root -> (feed, stamp), oldest first

    def fresh(self, root: str, index_stamp: Callable[[], str]) -> bool:
        """True when the index of the library at ``root`` needs no disk check now."""
        known = self._known.pop(root, None)
        if known is None:
            return False
        self._known[root] = known  # most recently used last
        feed, stamp = known
        return not feed.changed() and bool(stamp) and index_stamp() == stamp

    def watch_for(self, root: str) -> Callable[[str], None]:
        """What the full check about to run tells each folder it lists."""
        if root not in self._known:
            if len(self._known) >= self._keep:
                oldest = next(iter(self._known))
                self._known.pop(oldest)[0].close()
            self._known[root] = (ChangeFeed(), "")
        return self._known[root][0].watch

    def checked(self, root: str, stamp: str) -> None:
        """The full check completed and left ``stamp`` in the index."""
        feed, _ = self._known[root]
        feed.settled()
        self._known[root] = (feed, stamp)

    def close(self) -> None:
        for feed, _ in self._known.values():
            feed.close()
        self._known.clear()
