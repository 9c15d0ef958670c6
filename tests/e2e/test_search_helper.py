"""The search helper: after a first search, the next ones are answered by a process that
stayed, with the same output, still seeing every edit made before them."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO
from viewer import search_helper

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the helper listens on a Unix socket")


@pytest.fixture
def helper_env() -> Iterator[dict[str, str]]:
    """The isolated user folders, with the helper on; any helper left is stopped after."""
    os.environ[search_helper.SWITCH] = "on"
    try:
        yield dict(os.environ, PYTHONPATH=str(REPO))
    finally:
        pid = search_helper.helper_pid()
        os.environ[search_helper.SWITCH] = "off"
        if pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)


def _library(tmp_path: Path) -> Path:
    library = tmp_path / "lib"
    (library / "db").mkdir(parents=True)
    (library / "db" / "pool.md").write_text(
        "# Connection pool exhausted\n\n## Mitigation\n\nRestart the pooler: "
        "`kubectl rollout restart deploy/pgbouncer`\n", encoding="utf-8")
    (library / "dns.rst").write_text("DNS failures\n============\n\nFlush the resolver cache.\n",
                                     encoding="utf-8")
    return library


def _search(env: dict[str, str], *words: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "viewer", "search", *words], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def _wait_for_helper(seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if search_helper.ask(["search", "--help"]) is not None:
            return
        time.sleep(0.05)
    raise AssertionError("no search helper answered")


def test_a_first_search_leaves_a_helper_that_answers_the_same_and_sees_edits(
        tmp_path: Path, helper_env: dict[str, str]) -> None:
    library = _library(tmp_path)
    words = ["pooler", "--library", str(library)]
    alone = _search(dict(helper_env, **{search_helper.SWITCH: "off"}), *words)
    first = _search(helper_env, *words)
    assert first.returncode == 0, first.stderr
    assert first.stdout == alone.stdout and "db/pool.md" in first.stdout
    _wait_for_helper()

    helped = search_helper.ask(["search", *words])
    assert helped == (0, alone.stdout, "")
    assert _search(helper_env, *words).stdout == alone.stdout

    # An edit, a new folder, a removal: each seen by the next search, at once.
    with (library / "db" / "pool.md").open("a", encoding="utf-8") as out:
        out.write("\nzanzibar marker\n")
    assert "db/pool.md" in _search(helper_env, "zanzibar", "--library", str(library)).stdout
    (library / "net").mkdir()
    (library / "net" / "tls.md").write_text("# TLS expiry\n\nRenew the quokka certificate.\n",
                                           encoding="utf-8")
    assert "net/tls.md" in _search(helper_env, "quokka", "--library", str(library)).stdout
    (library / "net" / "tls.md").write_text("# TLS expiry\n\nRenew the wombat one.\n",
                                           encoding="utf-8")
    assert "net/tls.md" in _search(helper_env, "wombat", "--library", str(library)).stdout
    (library / "db" / "pool.md").unlink()
    gone = _search(helper_env, "pooler", "--library", str(library))
    assert gone.stdout.startswith("No runbook matches pooler")

    # A relative library means what it means where the command was typed.
    relative = _search(helper_env, "wombat", "--library", "lib", cwd=tmp_path)
    assert "net/tls.md" in relative.stdout, relative.stderr

    # Usage errors come back as from the command itself.
    bad = _search(helper_env, "pooler", "--limit", "0", "--library", str(library))
    assert bad.returncode == 2 and "runbook-viewer:" in bad.stderr and not bad.stdout


def test_the_helper_answers_searches_only(tmp_path: Path, helper_env: dict[str, str]) -> None:
    helper = subprocess.Popen([sys.executable, "-m", "viewer", "_search-helper", "--idle", "30"],
                              env=helper_env, cwd=REPO)
    try:
        _wait_for_helper()
        assert search_helper.ask(["sources", "add", "https://example.invalid/x.git"]) is None
        assert search_helper.ask(["--library", str(tmp_path)]) is None  # open a window: no
        assert helper.poll() is None, "a refused request does not stop it"
    finally:
        helper.terminate()
        helper.wait(10)


def test_an_idle_helper_leaves_and_takes_its_socket(helper_env: dict[str, str]) -> None:
    helper = subprocess.Popen([sys.executable, "-m", "viewer", "_search-helper", "--idle", "1"],
                              env=helper_env, cwd=REPO)
    _wait_for_helper()
    assert helper.wait(30) == 0
    assert not os.path.exists(search_helper.helper_address())
    assert search_helper.ask(["search", "x"]) is None
    assert search_helper.helper_pid() is None


def test_a_stopped_helper_leaves_no_socket_and_no_pid(helper_env: dict[str, str]) -> None:
    helper = subprocess.Popen([sys.executable, "-m", "viewer", "_search-helper", "--idle", "30"],
                              env=helper_env, cwd=REPO)
    _wait_for_helper()
    assert search_helper.helper_pid() == helper.pid
    helper.terminate()
    assert helper.wait(30) == 0
    assert not os.path.exists(search_helper.helper_address())
    assert search_helper.helper_pid() is None


def test_a_second_helper_steps_aside(helper_env: dict[str, str]) -> None:
    first = subprocess.Popen([sys.executable, "-m", "viewer", "_search-helper", "--idle", "30"],
                             env=helper_env, cwd=REPO)
    try:
        _wait_for_helper()
        second = subprocess.run([sys.executable, "-m", "viewer", "_search-helper"],
                                env=helper_env, cwd=REPO, timeout=60)
        assert second.returncode == 0
        assert search_helper.helper_pid() == first.pid
        assert search_helper.ask(["search", "--help"]) is not None
    finally:
        first.terminate()
        first.wait(10)


def test_a_dead_helpers_socket_costs_nothing(tmp_path: Path, helper_env: dict[str, str]) -> None:
    """A helper killed hard leaves its socket: the search answers itself, no traceback."""
    from viewer.private_socket import private_socket_folder

    address = search_helper.helper_address()
    assert private_socket_folder(address)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as dead:
        dead.bind(address)  # bound and closed: the file stays, nobody listens
    library = _library(tmp_path)
    started = time.monotonic()
    result = _search(dict(helper_env, **{search_helper.SWITCH: "on"}), "pooler", "--library",
                     str(library))
    assert result.returncode == 0 and "db/pool.md" in result.stdout
    assert "Traceback" not in result.stderr
    assert time.monotonic() - started < 60
    _wait_for_helper()  # the search left a new helper, which took the address over


def test_the_packaged_helper_watches_its_executable_not_archived_modules(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PyInstaller keeps modules in an archive: their paths are no files. The packaged
    helper once took that for a changed app and sent every search back."""
    archived = type(sys)("viewer._archived_probe")
    archived.__file__ = str(tmp_path / "bundle" / "viewer" / "cli.pyc")  # not on disk
    monkeypatch.setitem(sys.modules, "viewer._archived_probe", archived)
    assert not search_helper._CodeOnDisk().changed()
    executable = tmp_path / "runbook-viewer"
    executable.write_bytes(b"app")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(executable))
    code = search_helper._CodeOnDisk()
    assert not code.changed()
    os.utime(executable, ns=(1, 1))  # the app was upgraded in place
    assert code.changed()


def test_the_helper_notices_its_own_code_changing(tmp_path: Path) -> None:
    module = tmp_path / "probe.py"
    module.write_text("X = 1\n", encoding="utf-8")
    fake = type(sys)("viewer._helper_probe")
    fake.__file__ = str(module)
    sys.modules["viewer._helper_probe"] = fake
    try:
        code = search_helper._CodeOnDisk()
        assert not code.changed()
        os.utime(module, ns=(1, 1))
        assert code.changed()
    finally:
        del sys.modules["viewer._helper_probe"]


def test_a_helped_search_loads_none_of_the_apps_other_modules(
        tmp_path: Path, helper_env: dict[str, str]) -> None:
    """What makes it fast: the command line hands the words over before importing the
    index, the parsers or even the argument table."""
    library = _library(tmp_path)
    helper = subprocess.Popen([sys.executable, "-m", "viewer", "_search-helper", "--idle", "30"],
                              env=helper_env, cwd=REPO)
    try:
        _wait_for_helper()
        probe = ("import io, contextlib, sys\nbefore = set(sys.modules)\n"
                 "from viewer.launch import main\n"
                 "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
                 "    code = main(sys.argv[1:])\n"
                 "print(code, 'pool.md' in out.getvalue(), sorted(m for m in set(sys.modules) "
                 "- before if m.startswith('viewer') or m in ('argparse', 'pathlib', "
                 "'sqlite3')))")  # an editable install's import hook loads pathlib first
        result = subprocess.run([sys.executable, "-c", probe, "search", "pooler", "--library",
                                 str(library)], env=helper_env, cwd=REPO, capture_output=True,
                                text=True, timeout=120)
        assert result.stdout.strip() == (
            "0 True ['viewer', 'viewer.launch', 'viewer.private_socket', 'viewer.search_helper']"
        ), result.stderr
    finally:
        helper.terminate()
        helper.wait(10)


def test_ctrl_c_while_a_helper_is_busy_ends_the_search_quietly(
        tmp_path: Path, helper_env: dict[str, str]) -> None:
    from viewer.private_socket import private_socket_folder

    address = search_helper.helper_address()
    assert private_socket_folder(address)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as busy:  # accepts, never answers
        busy.bind(address)
        busy.listen(1)
        search = subprocess.Popen([sys.executable, "-m", "viewer", "search", "pooler",
                                   "--library", str(_library(tmp_path))], env=helper_env,
                                  cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True)
        busy.settimeout(60)
        conn, _ = busy.accept()  # the search has sent its words and waits
        search.send_signal(signal.SIGINT)
        out, err = search.communicate(timeout=60)
        conn.close()
    os.unlink(address)
    assert search.returncode == 130
    assert "Traceback" not in err and out == ""
