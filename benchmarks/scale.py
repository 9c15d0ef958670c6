"""Start-up, memory, command-line search and index build at library scale, side by side.

For a generated library of N runbooks (Markdown and reST mixed, its start page
``index.rst``), with a warm index in a user folder of its own:

* first paint: process start to the first paint of the page, the app
  (``--library LIB --self-test``) against a bare PySide6 window, alternated;
* resident memory 20 s after start, the app against the bare window;
* ``runbook-viewer search`` as a whole process against ``grep -rilF``, median of
  the runs, alternated, after an edit to one file (which must then be found):
  answered by the search helper a first search leaves, and alone (the first
  search of a session, or the helper turned off);
* the full index build from an empty cache (``--build``), and in-process search
  p95 and its ratio to grep for every benchmark query.

    python -m benchmarks.scale --count 50000 [--runs 7] [--build] [--root DIR] [--python PY]

``--python`` runs the app and the bare window with another interpreter, such as
that of a virtual environment made the way the README installs the app
(``pip install .``): an editable install, as the tests use, adds an import
hook to every Python start (20 ms here), which users do not have.

Targets (issue 27): first paint <= 1.5x bare; memory <= bare + 100 MB at 5,000,
+ 250 MB at 50,000; CLI search faster than grep; full build <= 120 s at 50,000
on 2 cores; p95 <= 10 ms and >= 30x grep.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.first_paint import BARE, wall_time
from benchmarks.synthetic import library_rst, write_library

REPO = Path(__file__).resolve().parents[1]
SEARCHES = ["kubectl rollout restart", "pg_stat_activity", '"too many connections"', "rollb*",
            "replication lag"]


def prepare(root: Path, count: int) -> Path:
    library = root / f"lib{count}"
    if not (library / "index.rst").is_file():
        started = time.perf_counter()
        write_library(library, count)
        (library / "index.rst").write_text(library_rst(0, random.Random(1)), encoding="utf-8")
        print(f"wrote {count} runbooks in {time.perf_counter() - started:.0f} s")
    return library


PYTHON = [sys.executable]  # the interpreter the app and the bare window run with (--python)


def user_env(home: Path) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    if PYTHON[0] == sys.executable:  # this checkout; an installed copy brings its own
        env["PYTHONPATH"] = str(REPO)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed app runs byte-compiled modules
    for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache"),
                     ("XDG_DATA_HOME", "data"), ("XDG_STATE_HOME", "state")):
        env[var] = str(home / sub)
    return env


def viewer(*args: str) -> list[str]:
    return [PYTHON[0], "-m", "viewer", *args]


def build_index(library: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(viewer("index", "--library", str(library)), env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def first_paint(library: Path, env: dict[str, str], runs: int) -> tuple[float, float]:
    bare_cmd = [PYTHON[0], "-c", BARE]
    app_cmd = viewer("--library", str(library), "--self-test")
    wall_time(bare_cmd, env, "painted")
    wall_time(app_cmd, env, "first paint")
    bare, app = [], []
    for _ in range(runs):
        bare.append(wall_time(bare_cmd, env, "painted"))
        app.append(wall_time(app_cmd, env, "first paint"))
    return statistics.median(app), statistics.median(bare)


def resident_mb(command: list[str], env: dict[str, str], seconds: float = 20) -> float:
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        time.sleep(seconds)
        status = Path(f"/proc/{proc.pid}/status").read_text()
        rss_kb = next(int(line.split()[1]) for line in status.splitlines()
                      if line.startswith("VmRSS:"))
    finally:
        proc.kill()
        proc.wait()
    return rss_kb / 1024


def _edit_then_search(library: Path, env: dict[str, str], marker: str) -> None:
    """An edited file is found by the very next search (the index kept fresh)."""
    edited = next(library.rglob("runbook-00042.*"))
    edited.write_text(edited.read_text(encoding="utf-8") + f"\n\n{marker}\n", encoding="utf-8")
    found = subprocess.run(viewer("search", marker, "--library", str(library)),
                           env=env, capture_output=True, text=True)
    assert edited.name in found.stdout, f"an edited file was not found: {found.stdout}"


def _stop_helper(env: dict[str, str]) -> None:
    """Stop the search helper the benchmark's searches left (it would idle out anyway)."""
    import signal

    pid = subprocess.run([PYTHON[0], "-c", "from viewer.search_helper import helper_pid; "
                          "print(helper_pid() or '')"], env=env, capture_output=True,
                         text=True).stdout.strip()
    if pid:
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(pid), signal.SIGTERM)
    time.sleep(0.2)


def cli_search(library: Path, env: dict[str, str], runs: int) -> dict[str, float]:
    """Median whole-process time of ``search`` and of ``grep -rilF`` over SEARCHES, alternated:
    answered by the search helper (every search after the first), by the process alone
    (the first search, or the helper turned off), and grep."""
    alone_env = dict(env, RUNBOOK_VIEWER_SEARCH_HELPER="off")
    helped_env = dict(env, RUNBOOK_VIEWER_SEARCH_HELPER="on")
    _stop_helper(helped_env)
    _edit_then_search(library, alone_env, "zanzibarmarker")
    _edit_then_search(library, helped_env, "quokkamarker")  # answered alone, leaves a helper
    time.sleep(1.0)
    _edit_then_search(library, helped_env, "wombatmarker")  # answered by the helper
    times: dict[str, list[float]] = {"helped": [], "alone": [], "grep": []}
    for _ in range(runs):
        for query in SEARCHES:
            for kind, command, run_env in (
                    ("helped", viewer("search", query, "--library", str(library)), helped_env),
                    ("alone", viewer("search", query, "--library", str(library)), alone_env),
                    ("grep", ["grep", "-rilF", "--", query.strip('"*'), str(library)], env)):
                started = time.perf_counter()
                subprocess.run(command, env=run_env, stdout=subprocess.DEVNULL,
                               check=kind != "grep")
                times[kind].append(time.perf_counter() - started)
    _stop_helper(helped_env)
    return {kind: statistics.median(values) * 1000 for kind, values in times.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--root", type=Path, default=Path(tempfile.gettempdir()) / "rv-scale")
    parser.add_argument("--build", action="store_true",
                        help="also time a full index build from an empty cache")
    parser.add_argument("--only", choices=("paint", "memory", "cli", "search"), action="append")
    parser.add_argument("--python", default=sys.executable,
                        help="interpreter of an installed copy (default: this one, this checkout)")
    args = parser.parse_args()
    PYTHON[0] = args.python
    only = set(args.only or ("paint", "memory", "cli", "search"))
    library = prepare(args.root, args.count)
    # Not the checkout: `python -m viewer` would import the app from the current folder
    # rather than from --python's installation.
    os.chdir(args.root)
    home = args.root / f"home{args.count}"
    env = user_env(home)
    installed = "this checkout" if args.python == sys.executable else f"installed ({args.python})"
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; library: {args.count} runbooks, start page "
          f"index.rst; app: {installed}")
    if args.build or not (home / "cache").is_dir():
        shutil.rmtree(home, ignore_errors=True)
        took = build_index(library, env)
        print(f"full index, empty cache: {took:.1f} s")
    else:
        build_index(library, env)  # warm: nothing to do but check
    if "paint" in only:
        app, bare = first_paint(library, env, args.runs)
        print(f"first paint: app {app:.0f} ms, bare window {bare:.0f} ms = {app / bare:.2f}x "
              f"(median of {args.runs}, alternated)")
    if "memory" in only:
        app_mb = resident_mb(viewer("--library", str(library)), env)
        bare_mb = resident_mb([PYTHON[0], "-c", BARE.replace("app.quit()", "pass")], env)
        print(f"resident memory 20 s after start: app {app_mb:.0f} MB, bare {bare_mb:.0f} MB "
              f"(+{app_mb - bare_mb:.0f} MB)")
    if "cli" in only:
        ms = cli_search(library, env, args.runs)
        print(f"search as a whole process: {ms['helped']:.0f} ms answered by the search helper, "
              f"{ms['alone']:.0f} ms alone (a first search), vs grep -rilF {ms['grep']:.0f} ms "
              f"({ms['grep'] / ms['helped']:.2f}x / {ms['grep'] / ms['alone']:.2f}x; median of "
              f"{args.runs} x {len(SEARCHES)}, alternated)")
    if "search" in only:
        from benchmarks.search_bench import compare_with_grep
        from viewer.core.library import Library
        from viewer.core.search import open_index

        os.environ.update({k: v for k, v in env.items() if k.startswith("XDG_")})
        index = open_index(Library(library))
        compare_with_grep(index, library, rounds=3)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
