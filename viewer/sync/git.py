"""Git through dulwich: fetch one branch into a bare repository and write out its files.

Pure Python, so the packaged app needs no git binary. The first fetch is
shallow (depth 1); later ones fetch whatever the branch head is now, whether
it moved forward or was rewritten by a force-push. The tree is written file
by file with every path checked: a repository is untrusted, so symlinks,
submodules and names such as ``..`` or ``.git`` are never written.
"""

from __future__ import annotations

import contextlib
import errno
import os
import queue
import shutil
import stat
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dulwich.client import get_transport_and_path
from dulwich.errors import NotGitRepository
from dulwich.objects import Commit, Tree
from dulwich.repo import Repo

from viewer.sync.deadline import CONNECT_SECONDS, STALL_SECONDS, SyncDeadline, SyncTimedOut
from viewer.sync.ssh import AskpassSSHVendor, is_ssh

Progress = Callable[[str], None]


class Cancelled(Exception):
    """The user (or the app closing) stopped the sync."""


class BranchMissing(Exception):
    """The branch is not on the remote; ``str(err)`` says which ones are."""


@dataclass(frozen=True)
class Remote:
    """Where to fetch from and as whom. Never saved: built per sync from the source and keyring."""

    url: str
    branch: str
    username: str = ""
    password: str = ""
    key_file: str = ""

    def client(self, deadline: SyncDeadline | None = None) -> tuple[object, str]:
        """dulwich's client for the URL, its network time bounded by ``deadline``."""
        deadline = deadline or SyncDeadline()
        if is_ssh(self.url):  # the secret, if any, is the key's passphrase
            client, path = get_transport_and_path(
                self.url, username=self.username or None, key_filename=self.key_file or None,
                ssh_command=os.environ.get("GIT_SSH_COMMAND") or None, quiet=True)
            client.ssh_vendor = AskpassSSHVendor(  # type: ignore[attr-defined]
                self.password, deadline)
            return client, path
        extra: dict = {}
        if self.url.lower().startswith(("http://", "https://")):
            extra["pool_manager"] = deadline.pool_manager(self.url)
        return get_transport_and_path(
            self.url, username=self.username or None, password=self.password or None,
            quiet=True, **extra)


def open_store(repo_dir: Path) -> Repo:
    """The bare repository that holds a source's objects; a damaged one is started afresh.

    Called under the source's lock, so no one else is writing to it: a ``*.lock``
    file in it was left by a sync that was killed while dulwich wrote a file
    through it (a pack's index, a ref). dulwich refuses to write where one is
    left, and a fetch of the same commits writes the same pack name again, so
    every later sync would fail: they go first.
    """
    if repo_dir.is_dir():
        _remove_stale_locks(repo_dir)
        try:
            repo = Repo(str(repo_dir))
            if repo.bare:
                return repo
            repo.close()
        except (NotGitRepository, OSError, ValueError, KeyError):
            pass
        shutil.rmtree(repo_dir, ignore_errors=True)
    repo_dir.mkdir(parents=True, exist_ok=True)
    return Repo.init_bare(str(repo_dir))


def _remove_stale_locks(repo_dir: Path) -> None:
    for folder, dirs, files in os.walk(repo_dir):
        dirs[:] = [name for name in dirs if not os.path.islink(os.path.join(folder, name))]
        for name in files:
            if name.endswith(".lock"):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(folder, name))


def remote_branches(remote: Remote) -> tuple[list[str], str]:
    """The remote's branch names and its default branch: a cheap "test connection"."""
    with SyncDeadline(CONNECT_SECONDS + STALL_SECONDS) as deadline:
        client, path = remote.client(deadline)
        return _list_refs(client, path, remote)


def _list_refs(client: object, path: str, remote: Remote) -> tuple[list[str], str]:
    try:
        result = client.get_refs(path)  # type: ignore[attr-defined]
    except BaseException as err:
        _close_leaked(err, ssh=is_ssh(remote.url))
        raise
    finally:
        _release(client)
    return _branches(result.refs, getattr(result, "symrefs", {}) or {})


def _branches(refs: dict, symrefs: dict) -> tuple[list[str], str]:
    names = sorted(r[len(b"refs/heads/"):].decode("utf-8", "replace")
                   for r in refs if r.startswith(b"refs/heads/"))
    head = symrefs.get(b"HEAD", b"")
    default = head[len(b"refs/heads/"):].decode("utf-8", "replace") if head else ""
    return names, default


def fetch_branch(remote: Remote, repo: Repo, *, progress: Progress | None = None,
                 cancelled: Callable[[], bool] = lambda: False,
                 deadline: SyncDeadline | None = None) -> str:
    """Fetch ``remote.branch`` into ``repo``; returns the head commit id (hex).

    Servers that support partial clone (GitHub, GitLab, git with
    ``uploadpack.allowFilter``) never send a file over :data:`MAX_FILE_BYTES`;
    :func:`write_tree` skips such files whichever way they arrived.
    """
    deadline = deadline or SyncDeadline()
    ref = b"refs/heads/" + remote.branch.encode("utf-8")
    seen: dict[str, bytes] = {}

    def wants(refs: dict, depth: int | None = None) -> list[bytes]:
        if cancelled():
            raise Cancelled()
        deadline.check()
        sha = refs.get(ref)
        if sha is None:
            names, _ = _branches(refs, {})
            raise BranchMissing(_missing_branch_message(remote.branch, names))
        seen["head"] = sha
        return [] if sha in repo.object_store else [sha]

    def report(data: bytes) -> None:
        if cancelled():
            raise Cancelled()
        deadline.check()
        if progress is not None:
            text = data.decode("utf-8", "replace").strip().splitlines()
            if text:
                progress(text[-1].split("\r")[-1])

    # Depth 1 keeps a force-push's download to one tree; the local branch ref
    # below makes it a delta from what we have, not the whole tree again.
    _fetch(remote, repo, wants, deadline, depth=1, progress=report)
    head = seen.get("head")
    if head is None or head not in repo.object_store:
        raise OSError("the server did not send the branch head")
    # A local branch: it keeps what is shown reachable, and dulwich offers the
    # heads under refs/heads as "have" in the next fetch's negotiation.
    repo.refs[ref] = head
    return head.decode("ascii")


def deepen_branch(remote: Remote, repo: Repo, head: str, commits: int,
                  deadline: SyncDeadline | None = None) -> None:
    """Make ``repo``'s history of ``head`` up to ``commits`` deep (no file contents over
    the size limit), so a page's last change can be dated. Files shown are untouched."""
    deadline = deadline or SyncDeadline()
    wanted = head.encode("ascii")

    def wants(refs: dict, depth: int | None = None) -> list[bytes]:
        deadline.check()
        return [wanted]

    _fetch(remote, repo, wants, deadline, depth=commits)


def _fetch(remote: Remote, repo: Repo, wants: Callable, deadline: SyncDeadline, *,
           depth: int, progress: Callable[[bytes], None] | None = None) -> None:
    """One fetch from ``remote``: files over the size limit left out, the network bounded
    by ``deadline``, the connection closed whatever happens."""
    client, path = remote.client(deadline)
    try:
        client.fetch(path, repo, determine_wants=wants,  # type: ignore[attr-defined]
                     progress=progress, depth=depth,
                     filter_spec=f"blob:limit={MAX_FILE_BYTES}".encode("ascii"))
    except BaseException as err:
        _close_leaked(err, ssh=is_ssh(remote.url))
        if deadline.passed() and isinstance(err, Exception):
            raise SyncTimedOut(deadline.message()) from err
        raise
    finally:
        _release(client)


def _release(client: object) -> None:
    """Close the client's HTTP connections now, not whenever the garbage collector runs."""
    with contextlib.suppress(Exception):
        client.close()  # type: ignore[attr-defined]
    pool = getattr(client, "pool_manager", None)
    if pool is not None:
        with contextlib.suppress(Exception):
            pool.clear()


def _close_leaked(err: BaseException, *, ssh: bool) -> None:
    """Close the connections dulwich leaves open when a request fails.

    dulwich 1.2 does not close its ssh Protocol when ssh hangs up before the
    protocol negotiation (a refused key, say), nor the HTTP response of a
    refused request (401); the ssh process, its pipes and the socket would
    wait for the garbage collector.
    """
    from dulwich.protocol import Protocol
    from urllib3.response import BaseHTTPResponse

    kinds: tuple[type, ...] = (Protocol,) if ssh else (BaseHTTPResponse,)
    trace = err.__traceback__
    while trace is not None:
        for value in list(trace.tb_frame.f_locals.values()):
            if isinstance(value, kinds):
                with contextlib.suppress(Exception):
                    value.close()
        trace = trace.tb_next


def _missing_branch_message(branch: str, names: list[str]) -> str:
    if not names:
        return f"The repository has no branches (it is empty); branch {branch!r} is not there."
    listed = ", ".join(names[:8]) + (" ..." if len(names) > 8 else "")
    return (f"Branch {branch!r} is not on the remote (was it renamed or deleted?). "
            f"The remote has: {listed}. Edit the source to pick one.")


@dataclass
class WrittenTree:
    files: int = 0
    bytes: int = 0
    linked: int = 0  # unchanged files shared with the previous snapshot (hard links)
    skipped: int = 0  # symlinks, submodules and unsafe names, never written
    too_large: list[str] = field(default_factory=list)  # over a size budget: not copied
    unwritable: list[str] = field(default_factory=list)  # names this disk cannot hold


MAX_FILE_BYTES = 20 * 1024 * 1024  # a runbook or a picture is far smaller; the viewer shows 5 MB
MAX_TREE_BYTES = 1024 * 1024 * 1024  # one copy of one source, all files together
MAX_NAME_BYTES = 255  # one path component: every common file system's limit
MAX_PATH_BYTES = 3072  # the whole path inside the copy, well under PATH_MAX
# A name the file system refuses (too long, not valid there, a case twin of another
# file on a case-insensitive disk): that file is skipped, not the whole sync.
_NAME_ERRORS = frozenset({errno.ENAMETOOLONG, errno.EILSEQ, errno.EINVAL, errno.EEXIST})


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | \
    getattr(os, "O_BINARY", 0)


def tree_of(repo: Repo, commit_id: str, subdir: str = "") -> bytes:
    """The tree id of ``commit_id``, or of its folder ``subdir``."""
    store = repo.object_store
    commit = store[commit_id.encode("ascii")]
    if not isinstance(commit, Commit):
        raise OSError(f"{commit_id} is not a commit")
    if not subdir:
        return commit.tree
    tree = store[commit.tree]
    assert isinstance(tree, Tree)
    try:
        mode, tree_id = tree.lookup_path(store.__getitem__, subdir.encode("utf-8"))
    except KeyError:
        raise OSError(f"the folder {subdir!r} is not in the repository") from None
    if not stat.S_ISDIR(mode):
        raise OSError(f"{subdir!r} in the repository is a file, not a folder")
    return tree_id


def write_tree(repo: Repo, commit_id: str, dest: Path, *, subdir: str = "",
               previous: tuple[Path, str] | None = None,
               cancelled: Callable[[], bool] = lambda: False) -> WrittenTree:
    """Write the files of ``commit_id`` (only ``subdir``, if given) under ``dest``.

    With ``previous`` (the snapshot folder shown now and its commit), files
    that did not change are hard links to it rather than new copies: a sync
    that changed one runbook writes one file. Snapshots are never modified
    in place, so sharing their files is safe.
    """
    store = repo.object_store
    tree_id = tree_of(repo, commit_id, subdir)
    written = WrittenTree()
    entries = None
    if previous is not None:
        try:
            old_tree = tree_of(repo, previous[1], subdir)
            entries = _link_unchanged(store, old_tree, tree_id, previous[0], dest, written)
        except (OSError, KeyError):  # no hard links here, or the old commit is gone
            shutil.rmtree(dest, ignore_errors=True)
            dest.mkdir()
            written = WrittenTree()
            entries = None
    if entries is None:
        entries = store.iter_tree_contents(tree_id)
    wanted: dict[bytes, list[str]] = {}  # blob -> where it goes (one blob, maybe many paths)
    rel_of: dict[str, str] = {}
    made: set[str] = set()
    for entry in entries:
        parts = _safe_parts(entry.path)
        if parts is None or not stat.S_ISREG(entry.mode):
            written.skipped += 1  # symlink (0o120000), submodule (0o160000), unsafe name
            continue
        folder = os.path.join(dest, *parts[:-1])
        if folder not in made:
            try:
                os.makedirs(folder, exist_ok=True)
            except OSError as err:
                if err.errno not in _NAME_ERRORS and not isinstance(err, FileExistsError):
                    raise
                written.unwritable.append("/".join(parts))
                continue
            made.add(folder)
        path = os.path.join(folder, parts[-1])
        rel_of[path] = "/".join(parts)
        wanted.setdefault(entry.sha, []).append(path)
    budget = MAX_TREE_BYTES
    # In pack order, each delta chain resolved once: much faster than one lookup per blob.
    # A blob the server left out (partial clone: over the size limit) is simply missing.
    found: set[bytes] = set()
    refused: list[str] = []
    with _FileWriter(lambda path: refused.append(rel_of[path])) as writer:
        for blob in store.iterobjects_subset(list(wanted), allow_missing=True):
            if cancelled():
                raise Cancelled()
            found.add(blob.id)
            size = blob.raw_length()  # from the chunks: a huge blob is never joined in memory
            if size > MAX_FILE_BYTES or size * len(wanted[blob.id]) > budget:
                written.too_large += [rel_of[path] for path in wanted[blob.id]]
                continue
            data = blob.as_raw_string()
            for path in wanted[blob.id]:
                writer.write(path, data)
                written.files += 1
                written.bytes += len(data)
                budget -= len(data)
    for sha in set(wanted) - found:
        written.too_large += [rel_of[path] for path in wanted[sha]]
    written.files -= len(refused)
    written.unwritable += refused
    return written


def _link_unchanged(store, old_tree: bytes, new_tree: bytes, old_root: Path,  # type: ignore[no-untyped-def]
                    dest: Path, written: WrittenTree) -> list:
    """Hard-link every file the two trees share; returns the entries still to write."""
    from dulwich.diff_tree import tree_changes

    gone: set[str] = set()
    to_write = []
    for change in tree_changes(store, old_tree, new_tree):
        if change.old is not None and change.old.path is not None:
            gone.add(change.old.path.decode("utf-8", "surrogateescape"))
        if change.new is not None and change.new.path is not None:
            to_write.append(change.new)
    root = str(old_root)
    for folder, _dirs, files in os.walk(root):
        rel = os.path.relpath(folder, root)
        rel = "" if rel == "." else rel.replace(os.sep, "/")
        target_folder = os.path.join(dest, rel) if rel else str(dest)
        made = False
        for name in files:
            if (f"{rel}/{name}" if rel else name) in gone:
                continue
            if not made:
                os.makedirs(target_folder, exist_ok=True)
                made = True
            os.link(os.path.join(folder, name), os.path.join(target_folder, name))
            written.files += 1
            written.linked += 1
    return to_write


class _FileWriter:
    """Writes files on two threads while the caller decodes the next blobs from the pack.

    A file whose name the disk refuses goes to ``refused`` and the rest go on;
    any other failure (a full disk) stops the writing and reaches the caller.
    """

    def __init__(self, refused: Callable[[str], None], threads: int = 2) -> None:
        self._queue: queue.Queue[tuple[str, bytes] | None] = queue.Queue(maxsize=512)
        self._refused = refused
        self._refused_lock = threading.Lock()
        self._error: BaseException | None = None
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]

    def __enter__(self) -> _FileWriter:
        for thread in self._threads:
            thread.start()
        return self

    def write(self, path: str, data: bytes) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put((path, data))

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._error is not None:
                continue  # drain after a failure
            path, data = item
            try:
                fd = os.open(path, _CREATE, 0o644)  # O_EXCL: never through something there
                try:
                    view = memoryview(data)
                    while view:
                        view = view[os.write(fd, view):]
                finally:
                    os.close(fd)
            except OSError as err:
                if err.errno in _NAME_ERRORS:
                    with self._refused_lock:
                        self._refused(path)
                else:  # a full disk: reported to the caller
                    self._error = err
            except BaseException as err:
                self._error = err

    def __exit__(self, *exc: object) -> None:
        for _ in self._threads:
            self._queue.put(None)
        for thread in self._threads:
            thread.join()
        if self._error is not None and exc[0] is None:
            raise self._error


def _safe_parts(path: bytes) -> list[str] | None:
    try:
        text = path.decode("utf-8")
    except UnicodeDecodeError:
        return None
    parts = text.split("/")
    if len(path) > MAX_PATH_BYTES:
        return None
    for part in parts:
        if part in ("", ".", "..") or "\\" in part or "\x00" in part:
            return None
        if len(part.encode("utf-8")) > MAX_NAME_BYTES:
            return None  # ENAMETOOLONG on every common file system
        if os.name == "nt" and ":" in part:  # a drive letter or an alternate data stream
            return None
        if part.lower() == ".git":
            return None
    return parts
