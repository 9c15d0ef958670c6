"""Sync against git: first sync of a 5,000-file repository and a one-file update.

Both sides fetch from the same loopback server (``git http-backend`` behind
basic auth, ``tests/sync/gitserver.py``):

* first sync: the app's ``sync_source`` (dulwich shallow fetch, snapshot
  written, checked and switched) against ``git clone --depth 1``;
* one changed file: ``sync_source`` again against ``git fetch --depth 1`` +
  ``git checkout`` of the fetched head in that clone.

Target: the app no worse than 1.5x git on both. Each figure is the median
of ``--runs`` runs (and ``--updates`` one-file changes in each run).

    python -m benchmarks.sync_bench [--count 5000] [--runs 3]
"""

from __future__ import annotations

import argparse
import functools
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.synthetic import write_library

ROOT = Path(__file__).resolve().parents[1]
USER, PASSWORD = "bench", "bench-token-0192"


def git(cwd: Path, *args: str, quiet: bool = True) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="b", GIT_AUTHOR_EMAIL="b@x", GIT_COMMITTER_NAME="b",
               GIT_COMMITTER_EMAIL="b@x", GIT_TERMINAL_PROMPT="0")
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True,
                   stdout=subprocess.DEVNULL if quiet else None,
                   stderr=subprocess.DEVNULL if quiet else None)


def _app_sync(sync_source, source) -> None:  # type: ignore[no-untyped-def]
    outcome = sync_source(source)
    assert outcome.ok, outcome.error


def _git_update(clone: Path) -> None:
    git(clone, "fetch", "-q", "--depth", "1", "origin", "main")
    git(clone, "checkout", "-q", "FETCH_HEAD")


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--updates", type=int, default=5, help="one-file updates per run")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="sync-bench-"))
    try:
        return run(base, args.count, args.runs, args.updates)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def run(base: Path, count: int, runs: int, updates: int) -> int:
    srv, work = base / "srv", base / "work"
    srv.mkdir()
    git(srv, "init", "--bare", "-b", "main", "runbooks.git")
    write_library(work, count)
    git(work, "init", "-b", "main")
    git(work, "add", "-A")
    git(work, "commit", "-m", "library")
    git(work, "push", str(srv / "runbooks.git"), "HEAD:main")
    size = sum(p.stat().st_size for p in work.rglob("*") if p.is_file() and ".git" not in p.parts)
    server = subprocess.Popen([sys.executable, str(ROOT / "tests" / "sync" / "gitserver.py"),
                               str(srv), USER, PASSWORD], stdout=subprocess.PIPE, text=True)
    port = int(server.stdout.readline().split()[1])  # type: ignore[union-attr]
    url = f"http://127.0.0.1:{port}/runbooks.git"
    os.environ["XDG_DATA_HOME"] = str(base / "data")
    os.environ["XDG_CONFIG_HOME"] = str(base / "config")

    from viewer.sync.credentials import CredentialStore
    from viewer.sync.engine import sync_source
    from viewer.sync.snapshots import wait_for_cleanups
    from viewer.sync.sources import new_source

    authed = url.replace("http://", f"http://{USER}:{PASSWORD}@")
    first_app, first_git, update_app, update_git = [], [], [], []
    pages = sorted(work.rglob("*.md"))
    try:
        for run_no in range(runs):
            name = f"bench{run_no}"
            source, _ = new_source(name, url, username=USER)
            CredentialStore().set(name, PASSWORD)
            clone = base / f"clone{run_no}"
            first_app.append(timed(functools.partial(_app_sync, sync_source, source)))
            wait_for_cleanups()  # deleting the old copy runs after the switch: not sync time
            first_git.append(timed(functools.partial(
                git, base, "clone", "-q", "--depth", "1", authed, str(clone))))
            for edit in range(updates):  # app and git alternate, so machine noise hits both
                page = pages[(run_no * updates + edit) % len(pages)]
                page.write_text(page.read_text() + f"\nEdited in run {run_no}.{edit}.\n")
                git(work, "commit", "-am", f"edit {run_no}.{edit}")
                git(work, "push", str(srv / "runbooks.git"), "HEAD:main")
                update_app.append(timed(functools.partial(_app_sync, sync_source, source)))
                wait_for_cleanups()
                update_git.append(timed(functools.partial(_git_update, clone)))
    finally:
        server.kill()
        server.wait()

    def report(label: str, app: list[float], ref: list[float]) -> float:
        a, g = statistics.median(app), statistics.median(ref)
        print(f"{label:<22} app {a:6.2f} s   git {g:6.2f} s   ratio {a / g:4.2f}x  "
              f"(target <= 1.5x)")
        return a / g

    print(f"Repository: {count} runbooks, {size / 1e6:.1f} MB, over http://127.0.0.1 "
          f"(git http-backend, basic auth); medians of {runs} first syncs and "
          f"{runs * updates} one-file updates")
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, "
          f"{subprocess.run(['git', '--version'], capture_output=True, text=True).stdout.strip()}")
    ratios = [report("first sync / clone", first_app, first_git),
              report("one changed file", update_app, update_git)]
    return 0 if all(r <= 1.5 for r in ratios) else 1


if __name__ == "__main__":
    sys.exit(main())
