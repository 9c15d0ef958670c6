"""One sync of one source: fetch, write a snapshot, check it, switch; or keep the old copy.

Every failure becomes one plain sentence naming the source, scrubbed of
secrets, recorded as the source's last error; the snapshot shown before the
sync is untouched. Two syncs of the same source (the window and the command
line, say) never run at once: the second waits for the first's lock.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from viewer.sync.credentials import CredentialStore, scrub
from viewer.sync.deadline import STALL_SECONDS, SyncDeadline, SyncTimedOut
from viewer.sync.git import (
    MAX_FILE_BYTES,
    BranchMissing,
    Cancelled,
    Remote,
    WrittenTree,
    deepen_branch,
    fetch_branch,
    open_store,
    write_tree,
)
from viewer.sync.snapshots import SourceCache
from viewer.sync.sources import TOKEN_AS_USER, Source
from viewer.sync.ssh import is_ssh, needs_passphrase

log = logging.getLogger(__name__)
Progress = Callable[[str], None]


@dataclass
class SyncOutcome:
    """The result of one source's sync, for the status bar, the dialog and ``sync --json``."""

    name: str
    ok: bool
    changed: bool = False  # a new snapshot is shown
    commit: str = ""
    previous_commit: str = ""
    files: int = 0
    renamed: list[tuple[str, str]] = field(default_factory=list)  # library paths, old -> new
    error: str = ""
    unreachable: bool = False  # the remote could not be reached at all: probably offline
    seconds: float = 0.0
    notice: str = ""  # files left out of the copy (too large, names the disk refuses)


def sync_source(source: Source, credentials: CredentialStore | None = None, *,
                progress: Progress | None = None,
                cancelled: Callable[[], bool] = lambda: False,
                sources_root: Path | None = None, secret: str | None = None) -> SyncOutcome:
    """Bring ``source``'s local copy up to date with its remote branch.

    ``secret`` is the password or passphrase when the caller has already
    read it; otherwise it comes from ``credentials`` when the source needs one.
    """
    started = time.monotonic()
    outcome = SyncOutcome(source.name, ok=False)
    if not source.is_git:
        outcome.ok = Path(source.url).is_dir()
        outcome.error = "" if outcome.ok else f"{source.name}: the folder {source.url} is gone."
        return outcome
    cache = SourceCache(source.name, sources_root)
    if secret is None:
        credentials = credentials or CredentialStore()
        secret = credentials.get(source.name) if secret_need(source) else ""
    remote = remote_for(source, secret)
    building: Path | None = None
    deadline = SyncDeadline()
    try:
        with _locked(cache, deadline, cancelled), deadline:
            cache.discard_partial()  # a killed sync's leftovers: we hold the lock
            shown = cache.status()
            outcome.previous_commit = shown.commit
            # A copy written from another folder of the repository (the source's
            # sub-folder was edited) is neither current nor a base to link from.
            same_folder = shown.subdir == source.subdir
            _say(progress, f"{source.name}: contacting {source.display_url()}")
            repo = open_store(cache.git_dir)
            try:
                commit = fetch_branch(remote, repo, progress=_prefixed(progress, source.name),
                                      cancelled=cancelled, deadline=deadline)
                outcome.commit = commit
                if commit == outcome.previous_commit and same_folder:
                    outcome.files = shown.files
                else:
                    _say(progress, f"{source.name}: writing the new copy")
                    building = cache.begin()
                    current = cache.current()
                    previous = (current, outcome.previous_commit) \
                        if current and same_folder else None
                    written = write_tree(repo, commit, building, subdir=source.subdir,
                                         previous=previous,
                                         cancelled=lambda: cancelled() or deadline.passed())
                    deadline.check()
                    _check_snapshot(building, written.files)
                    outcome.notice = left_out_notice(source.name, written)
                    cache.publish(building, commit)
                    building = None
                    outcome.changed, outcome.files = True, written.files
                    if outcome.previous_commit and same_folder:
                        outcome.renamed = _renames(repo, source, outcome.previous_commit, commit)
            finally:
                repo.close()
            outcome.ok = True
            cache.record(synced=True, files=outcome.files, subdir=source.subdir)
        if outcome.renamed:  # pins follow the runbooks that moved, whoever asked for the sync
            from viewer.sync.renames import follow_renames

            follow_renames(outcome.renamed)
    except BaseException as err:
        if building is not None:
            cache.discard(building)
        had_copy = cache.current() is not None
        outcome.error = f"{source.name}: {describe_error(err, source, secret, had_copy=had_copy)}"
        outcome.unreachable = _is_network(err)
        outcome.commit = cache.current_commit()
        if not isinstance(err, Cancelled):  # stopping a sync is not a fault of the source
            cache.record(synced=False, error=outcome.error)
        if not isinstance(err, Exception):
            raise  # KeyboardInterrupt, SystemExit: recorded, then on their way
        log.info("sync of %s failed: %s", source.name, outcome.error)
    outcome.seconds = time.monotonic() - started
    return outcome


def left_out_notice(name: str, written: WrittenTree) -> str:
    """A sentence naming the files a sync could not copy, or ""."""
    parts = []
    for files, why in ((written.too_large, f"over {MAX_FILE_BYTES // 1024 // 1024} MB"),
                       (written.unwritable, "names this disk cannot hold")):
        if files:
            shown = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
            parts.append(f"{len(files)} file{'s' if len(files) != 1 else ''} {why} ({shown})")
    return f"{name}: not copied: {'; '.join(parts)}." if parts else ""


def remote_for(source: Source, secret: str) -> Remote:
    """Where and as whom to fetch ``source``, with its secret from the keyring or the user."""
    if source.auth == TOKEN_AS_USER:  # as git sends https://TOKEN@host/...: no password
        return Remote(source.url, source.branch, secret, "", source.key_file)
    return Remote(source.url, source.branch, source.username, secret, source.key_file)


def forget_source(name: str, credentials: CredentialStore) -> None:
    """A source removed or renamed: its secret and its local copy go too."""
    credentials.delete(name)
    SourceCache(name).remove()


def removed_message(source: Source) -> str:
    """What to tell the user once ``source`` is removed (a folder source's folder is kept)."""
    if source.is_git:
        return f"Removed {source.name} and its local copy."
    return f"Removed {source.name}; the folder {source.url} is left as it is."


def _renames(repo, source: Source, old: str, new: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    from viewer.sync.renames import renamed_paths

    try:
        pairs = renamed_paths(repo, old, new, source.subdir)
    except (KeyError, OSError):  # the old commit is gone from the store: nothing to follow
        return []
    return [(f"{source.name}/{a}", f"{source.name}/{b}") for a, b in pairs]


@dataclass(frozen=True)
class SecretNeed:
    """The secret a source needs: its name in a sentence, and the question to ask for it."""

    what: str  # "passphrase", "password or token"
    prompt: str


def secret_need(source: Source) -> SecretNeed | None:
    """The secret ``source`` needs to sync, or None (an open remote, a key without passphrase)."""
    if is_ssh(source.url):
        key = needs_passphrase(source.url, source.key_file)
        return SecretNeed("passphrase", f"Passphrase for the SSH key {key}") if key else None
    if source.auth == TOKEN_AS_USER:
        return SecretNeed("access token", f"Access token for {source.display_url()}")
    if source.username:
        return SecretNeed("password or token",
                          f"Password or token for {source.username} at {source.display_url()}")
    return None


def _check_snapshot(folder: Path, expected: int) -> None:
    """The snapshot holds every file written (no one else wrote or removed any)."""
    found = sum(len(files) for _, _, files in os.walk(folder))
    if found != expected:
        raise OSError(f"the new copy has {found} files where {expected} were written")


def describe_error(err: BaseException, source: Source, secret: str = "", *,
                   during_sync: bool = True, had_copy: bool = True) -> str:
    """One sentence for the user, free of secrets; after a sync, says the copy is kept (when
    there was one: a source never synced has none to keep)."""
    kept = "" if not during_sync else (" The copy you had is still shown." if had_copy
                                       else " There is no copy of it on this computer yet.")
    name = type(err).__name__
    host = urlsplit(source.url).netloc or source.url
    if isinstance(err, Cancelled):
        text = "sync cancelled."
    elif isinstance(err, SyncTimedOut | SyncBusy):
        text = f"{err}."
    elif isinstance(err, BranchMissing):
        text = str(err)
    elif "exceeds maximum size" in str(err):  # dulwich will not inflate a loose object > 512 MB
        text = ("the repository holds a file over 512 MB stored loose, which cannot be read "
                "in pieces; run 'git gc' in it (or sync it from its server, which leaves "
                "such files out).")
    elif "read timed out" in str(err).lower():
        text = (f"{host} did not answer for {STALL_SECONDS:.0f} s, so the sync gave up; "
                "try again later.")
    elif _is_network(err):
        text = f"cannot reach {host} ({_reason(err)}); you may be offline."
    elif isinstance(err, OSError) and err.errno == errno.ENOSPC:
        text = "the disk is full, so the new copy could not be written."
    elif isinstance(err, OSError):  # before ssh's messages: a local EACCES says "Permission denied"
        text = f"the copy could not be written ({err.strerror or err})."
    elif "Permission denied" in str(err):
        text = ("the SSH server refused the key. If it has a passphrase, enter it in Sources; "
                "otherwise check that the server knows this key.")
    elif "Host key verification failed" in str(err):
        text = (f"the SSH host key of {host} is not known on this computer yet: run "
                f"`ssh {host}` once in a terminal to check and accept it.")
    elif name == "HTTPUnauthorized":
        text = ("the server refused the username or password (HTTP 401). "
                "Check them in Sources.")
    elif name in ("HangupException", "GitProtocolError") or "IncompleteRead" in repr(err):
        text = f"the server ended the transfer early ({_reason(err)})."
    elif name == "NotGitRepository":
        text = f"{source.display_url()} is not a git repository."
    else:
        text = f"sync failed ({name}: {err})."
    return scrub(text + kept, [secret] if secret else [])


_UNREACHABLE = ("Failed to establish a new connection", "Name or service not known",
                "Could not resolve hostname",
                "Temporary failure in name resolution", "Network is unreachable",
                "No route to host", "Connection refused", "timed out")


def _is_network(err: BaseException) -> bool:
    """True when the remote could not be reached at all (not a transfer cut half-way)."""
    if any(marker in str(err) for marker in _UNREACHABLE):
        return True
    seen = err
    for _ in range(5):
        module = type(seen).__module__
        new_connection = module.startswith("urllib3") and "NewConnection" in type(seen).__name__
        if new_connection or isinstance(seen, ConnectionRefusedError | socket.gaierror |
                                        TimeoutError):
            return True
        nxt = seen.__cause__ or seen.__context__
        if nxt is None:
            break
        seen = nxt
    return False


def _reason(err: BaseException) -> str:
    text = str(getattr(err, "reason", "") or err)
    for needle, words in (("Connection refused", "connection refused"),
                          ("Name or service not known", "unknown host"),
                          ("Temporary failure in name resolution", "unknown host"),
                          ("timed out", "timed out"), ("Network is unreachable", "no network"),
                          ("No route to host", "no route to the host"),
                          ("IncompleteRead", "connection closed mid-transfer"),
                          ("Connection broken", "connection closed mid-transfer")):
        if needle in text:
            return words
    return text[:160] or type(err).__name__


def _say(progress: Progress | None, text: str) -> None:
    if progress is not None:
        progress(text)


def _prefixed(progress: Progress | None, name: str) -> Progress | None:
    if progress is None:
        return None
    return lambda text: progress(f"{name}: {text}")


class SyncBusy(Exception):
    """Another sync of the same source held its lock for the whole deadline."""


@contextlib.contextmanager
def _locked(cache: SourceCache, deadline: SyncDeadline,
            cancelled: Callable[[], bool]) -> Iterator[None]:
    """The source's lock, waited for no longer than the sync's deadline (or a cancel)."""
    cache.dir.mkdir(parents=True, exist_ok=True)
    handle = open(cache.dir / "lock", "a+b")  # noqa: SIM115 - held for the whole sync
    try:
        try:
            import fcntl
        except ImportError:  # Windows: one app at a time is the practical case
            yield
            return
        while True:  # released by the OS if its holder is killed
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if cancelled():
                    raise Cancelled() from None
                if deadline.passed():
                    raise SyncBusy("another sync of this source is still running") from None
                time.sleep(0.2)
        yield
    finally:
        handle.close()


DEEPEN_COMMITS = 1000  # how much more history a deepen asks for: bounded, never the whole past


def deepen_history(source: Source, credentials: CredentialStore | None = None, *,
                   commits: int = DEEPEN_COMMITS, secret: str | None = None) -> str:
    """Fetch up to ``commits`` of the branch's history into the source's store, so a page's
    last change can be dated; the copy shown is not touched. Returns "" or the error."""
    if not source.is_git:
        return ""
    cache = SourceCache(source.name)
    head = cache.current_commit()
    if not head or not cache.git_dir.is_dir():
        return f"{source.name} has not been synced yet."
    if secret is None:
        credentials = credentials or CredentialStore()
        secret = credentials.get(source.name) if secret_need(source) else ""
    deadline = SyncDeadline()
    try:
        with _locked(cache, deadline, lambda: False), deadline:
            repo = open_store(cache.git_dir)
            try:
                deepen_branch(remote_for(source, secret), repo, head, commits, deadline)
            finally:
                repo.close()
    except Exception as err:
        return f"{source.name}: {describe_error(err, source, secret, had_copy=True)}"
    return ""
