"""The search helper: a small process that stays to answer ``runbook-viewer search``.

A search from a fresh process pays Python's start, the index's imports and a
``stat`` of every runbook before it reads a single row: twice grep's time at
5,000 runbooks. The first search in a session answers as always and leaves
this helper behind; the next ones hand their command line to it over a Unix
socket in this user's private folder, and it answers with the same code
(``viewer.cli.cmd_search``) and the same output, without the imports and,
where the kernel keeps a change feed (Linux), without the walk
(``viewer.core.search.change_feed``): an edit made before a search is
still found by it.

It only ever runs ``search``; it exits after ten minutes without one, when
the app's code on disk changes, or at once when another helper holds the
lock. Anything unexpected sends the command line back to answer the search
itself. ``RUNBOOK_VIEWER_SEARCH_HELPER=off`` turns it off.
"""

from __future__ import annotations

import json
import os
import socket
import sys

from viewer.launch import HELPER_COMMAND, command_word

SWITCH = "RUNBOOK_VIEWER_SEARCH_HELPER"
IDLE_SECONDS = 600.0
REPLY_SECONDS = 300.0  # a helper indexing a changed library answers as late as the search would
_REQUEST_SECONDS = 5.0  # a connection that sends no request is dropped
_MAX_REQUEST = 1 << 20


def enabled() -> bool:
    """Whether searches go through a helper here (Unix sockets; not switched off)."""
    return os.name == "posix" and os.environ.get(SWITCH, "").strip().lower() not in (
        "off", "0", "no", "false")


def helper_pid() -> int | None:
    """The running helper's process id, from its lock file; None when none is known."""
    try:
        with open(helper_address() + ".lock", encoding="ascii") as lock:
            return int(lock.read().strip() or 0) or None
    except (OSError, ValueError):
        return None


def helper_address() -> str:
    """The helper's socket for this user, these settings and this copy of the app.

    Named from what decides the user folders (the variables platformdirs reads)
    and from this installation, without importing platformdirs: a search handed
    to a helper started for other folders or other code would not be this one.
    """
    from viewer.private_socket import private_address

    identity = [os.environ.get(name, "") for name in (
        "HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME")]
    identity += [os.path.dirname(os.path.abspath(__file__)), sys.executable]
    return private_address("search-", "\0".join(identity))


def serve_command(words: list[str]) -> int:
    """``runbook-viewer _search-helper [--idle SECONDS]``: be the helper."""
    idle = words[words.index("--idle") + 1] if "--idle" in words[:-1] else ""
    try:
        return serve(float(idle) if idle else IDLE_SECONDS)
    except ValueError:
        return serve()


# -- the command line's side ---------------------------------------------------------

def ask(words: list[str]) -> tuple[int, str, str] | None:
    """(exit code, stdout, stderr) of ``runbook-viewer WORDS`` as the helper ran it, or None
    when no helper answered (none running, gone stale, or it sent the search back)."""
    from viewer.private_socket import private_socket_folder

    address = helper_address()
    if not os.path.exists(address) or not private_socket_folder(address):
        return None
    request = {"argv": words, "cwd": os.getcwd(), "tty": sys.stdout.isatty()}
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(REPLY_SECONDS)
            conn.connect(address)
            conn.sendall(json.dumps(request).encode("utf-8") + b"\n")
            chunks = []
            while chunk := conn.recv(1 << 16):
                chunks.append(chunk)
        reply = json.loads(b"".join(chunks) or b"{}")
        return int(reply["code"]), str(reply["out"]), str(reply["err"])
    except (OSError, ValueError, KeyError, TypeError):  # gone, stale, or sent back
        return None


def start(idle_seconds: float | None = None) -> None:
    """Leave a helper behind for the next searches; never waits for it."""
    import contextlib
    import subprocess

    env = dict(os.environ)
    if getattr(sys, "frozen", False):  # the packaged app: its executable takes the command
        command = [sys.executable, HELPER_COMMAND]
    else:
        command = [sys.executable, "-m", "viewer", HELPER_COMMAND]
        # This very copy of the app, wherever the search found it (`python -m viewer` in
        # a checkout finds the one in the current folder): the helper's address says so.
        package_parent = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        env["PYTHONPATH"] = os.pathsep.join(filter(None, (package_parent,
                                                          env.get("PYTHONPATH"))))
    if idle_seconds is not None:
        command += ["--idle", str(idle_seconds)]
    with contextlib.suppress(OSError):  # then the next search answers by itself again
        subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, cwd=os.path.abspath(os.sep), env=env,
                         start_new_session=True)  # a Ctrl+C in the terminal is not for it


def self_check(library_root: str, seconds: float = 30.0) -> str:
    """The app's self-test: a helper starts from this very executable (the packaged app's
    too) and answers a search of ``library_root``; then it is stopped. One line, or raises
    ``SelfCheckFailed``."""
    import contextlib
    import signal
    import time

    from viewer.core.selfcheck import SelfCheckFailed

    if not enabled():
        return "search helper: not used here"
    started = time.monotonic()
    start(idle_seconds=seconds)
    words = ["search", "runbook", "--library", library_root]
    answer = None
    while answer is None and time.monotonic() - started < seconds:
        time.sleep(0.05)
        answer = ask(words)
    pid = helper_pid()
    if pid:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)
    if answer is None or answer[0] != 0:
        raise SelfCheckFailed(f"search helper: no answer from a helper in {seconds:.0f} s"
                              if answer is None else f"search helper: {answer[2].strip()}")
    return (f"search helper: started and answered a search in "
            f"{(time.monotonic() - started) * 1000:.0f} ms")


# -- the helper's side ---------------------------------------------------------------

def serve(idle_seconds: float = IDLE_SECONDS) -> int:
    """Answer searches until ``idle_seconds`` pass without one; 0 when it ends as it should."""
    import contextlib
    import fcntl
    import signal

    from viewer.private_socket import private_socket_folder

    address = helper_address()
    if not private_socket_folder(address):
        return 1
    with open(address + ".lock", "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return 0  # another helper is here already
        lock.truncate(0)
        lock.write(f"{os.getpid()}\n")  # who to stop, for a person (or a test) who wants to
        lock.flush()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(address)  # one that was killed left its socket
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
            server.bind(address)
            os.chmod(address, 0o600)
            server.listen(16)
            server.settimeout(idle_seconds)
            # Stopped (kill, logout): leave as after an idle spell, socket and pid gone.
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
            try:
                _answer_until_idle(server)
            finally:
                os.unlink(address)  # before the lock goes: the next helper binds afresh
                lock.truncate(0)  # no pid left behind for someone to stop after its reuse
    return 0


def _answer_until_idle(server: socket.socket) -> None:
    from viewer.core.search.change_feed import WatchedLibraries

    code = _CodeOnDisk()
    watched = WatchedLibraries()
    try:
        while True:
            try:
                conn, _ = server.accept()
            except TimeoutError:
                return
            with conn:
                if not _answer(conn, watched, code):
                    return
    finally:
        watched.close()


def _answer(conn: socket.socket, watched, code: _CodeOnDisk) -> bool:  # type: ignore[no-untyped-def]
    """Answer one command line; False when the helper must go (its code changed)."""
    import contextlib

    reply: dict[str, object] = {"sent_back": "unexpected"}
    keep = True
    try:
        request = _read_request(conn)
        argv = request.get("argv")
        if not isinstance(argv, list) or not all(isinstance(w, str) for w in argv):
            reply = {"sent_back": "not a command line"}
        elif code.changed():
            reply, keep = {"sent_back": "the app changed"}, False
        else:
            reply = _run_search(argv, str(request.get("cwd") or os.sep),
                                bool(request.get("tty")), watched)
    except Exception:
        reply = {"sent_back": "unexpected"}
    with contextlib.suppress(OSError):  # the command line gave up (Ctrl+C)
        conn.sendall(json.dumps(reply).encode("utf-8"))
    return keep


def _read_request(conn: socket.socket) -> dict:
    conn.settimeout(_REQUEST_SECONDS)
    data = b""
    while not data.endswith(b"\n") and len(data) < _MAX_REQUEST:
        chunk = conn.recv(1 << 16)
        if not chunk:
            break
        data += chunk
    request = json.loads(data)
    return request if isinstance(request, dict) else {}


class _Capture:
    """A text stream for stdout/stderr that says whether the asking terminal is one."""

    def __init__(self, tty: bool) -> None:
        import io

        self.buffer_text = io.StringIO()
        self._tty = tty

    def write(self, text: str) -> int:
        return self.buffer_text.write(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return self._tty


def _run_search(argv: list[str], cwd: str, tty: bool, watched) -> dict[str, object]:  # type: ignore[no-untyped-def]
    from viewer import cli

    if command_word(argv) != "search":
        return {"sent_back": "only searches are answered here"}
    out, err = _Capture(tty), _Capture(False)
    saved = sys.stdout, sys.stderr
    os.chdir(cwd)  # one search at a time: relative paths mean what they meant there
    sys.stdout, sys.stderr = out, err  # type: ignore[assignment]
    try:
        try:
            exit_code = cli.cmd_search(cli.build_parser("search").parse_args(argv), watched)
        except SystemExit as done:  # argparse: a usage error, or --help
            exit_code = done.code if isinstance(done.code, int) else 0
    finally:
        sys.stdout, sys.stderr = saved
        os.chdir(os.sep)
    return {"code": exit_code, "out": out.buffer_text.getvalue(),
            "err": err.buffer_text.getvalue()}


class _CodeOnDisk:
    """The app's code this process runs, and whether any of it was replaced on disk since
    (an upgrade, or a developer's edit): a helper must not answer with old code. Its
    modules' files; in the packaged app, whose modules live in an archive, its executable."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}
        self.changed()

    def changed(self) -> bool:
        for path in self._files():
            try:
                mtime = os.stat(path).st_mtime_ns
            except OSError:
                if path in self._seen:
                    return True  # it was there: removed, or being replaced
                continue  # never a file (a module in an archive): nothing to compare
            if self._seen.setdefault(path, mtime) != mtime:
                return True
        return False

    @staticmethod
    def _files() -> list[str]:
        if getattr(sys, "frozen", False):
            return [sys.executable]
        return [path for name, module in list(sys.modules.items())
                if (name == "viewer" or name.startswith("viewer."))
                and (path := getattr(module, "__file__", None))]
