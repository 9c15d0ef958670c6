"""SIGKILL in the middle of ``sync`` and ``index``, round after round, then a run to the end.

Each round starts the real command line in its own process and kills it
at a random moment (while fetching, writing the copy, parsing in worker
processes, committing the index). After the rounds, one run must finish
and leave nothing behind: no unfinished copy, no orphaned process, an
index that answers. Used by the CI tests (a few rounds) and by
``benchmarks/fault_harness.py`` (many).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import REPO
from tests.sync.conftest import git


@dataclass
class KillReport:
    rounds: int = 0
    killed_running: int = 0  # the command was still running when killed
    final_ok: bool = False
    leftovers: list[str] = field(default_factory=list)  # anything left behind after the end


def _env(home: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
    for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache"),
                     ("XDG_DATA_HOME", "data"), ("XDG_STATE_HOME", "state")):
        env[var] = str(home / sub)
    return env


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "viewer", *args], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=300)


def _kill_after(env: dict[str, str], delay: float, *args: str) -> tuple[bool, list[int]]:
    """Start the command, SIGKILL it after ``delay`` s; (was it running, its children then)."""
    process = subprocess.Popen([sys.executable, "-m", "viewer", *args], env=env, cwd=REPO,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    children = children_of(process.pid)
    running = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait()
    return running, children


def children_of(pid: int) -> list[int]:
    found = []
    if not Path("/proc").is_dir():
        return found
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_gone(pids: list[int], seconds: float = 15) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(alive(pid) for pid in pids):
        time.sleep(0.1)
    return [pid for pid in pids if alive(pid)]


def sync_kill_rounds(work: Path, rounds: int, rng: random.Random,
                     files: int = 2000) -> KillReport:
    """Kill ``sync`` ``rounds`` times while the remote keeps changing, then sync to the end."""
    report = KillReport()
    repo = work / "remote"
    repo.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    for n in range(files):
        (repo / f"ops/r{n // 100}/runbook-{n}.md").parent.mkdir(parents=True, exist_ok=True)
        (repo / f"ops/r{n // 100}/runbook-{n}.md").write_text(f"# Runbook {n}\n\nText.\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "start")
    env = _env(work / "home")
    added = _cli(env, "sources", "add", "ops", str(repo))
    assert added.returncode == 0, added.stderr
    latest = 1.5  # s; halved after a sync that finished before its kill (a fast machine)
    for number in range(rounds):
        (repo / "ops" / "changing.md").write_text(f"# Changing\n\nRound {number}.\n")
        for n in rng.sample(range(files), files // 4):  # enough new files to be writing
            (repo / f"ops/r{n // 100}/runbook-{n}.md").write_text(f"# Runbook {n}\n\n{number}\n")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", f"round {number}")
        running, _ = _kill_after(env, rng.uniform(0.1, latest), "sync")
        latest = latest if running else max(0.3, latest / 2)
        report.rounds += 1
        report.killed_running += running
    final = _cli(env, "sync")
    report.final_ok = final.returncode == 0
    if not report.final_ok:
        report.leftovers.append(f"final sync: {final.stdout.strip()} {final.stderr.strip()}")
    snapshots = work / "home" / "data" / "runbook-viewer" / "sources" / "ops" / "snapshots"
    report.leftovers += [p.name for p in snapshots.iterdir() if p.name.startswith(".building-")]
    shown = work / "home" / "data" / "runbook-viewer" / "sources" / "ops" / "current"
    text = (shown / "ops" / "changing.md").read_text() if shown.exists() else ""
    if f"Round {rounds - 1}." not in text:
        report.leftovers.append("the copy shown is not the remote's last commit")
    return report


def index_kill_rounds(work: Path, rounds: int, rng: random.Random,
                      files: int = 600) -> KillReport:
    """Kill ``index`` ``rounds`` times while it parses in worker processes, then index fully."""
    report = KillReport()
    library = work / "library"
    for n in range(files):
        path = library / f"ops/r{n // 100}/runbook-{n}.rst"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Runbook {n}\n{'=' * 14}\n\n" + "".join(
            f"Section {i}\n----------\n\nText {i} about restart{n}.\n\n" for i in range(25)))
    env = _env(work / "home")
    orphans: list[int] = []
    latest = 2.0  # s; halved after an index that finished before its kill
    for number in range(rounds):
        for n in rng.sample(range(files), files // 2):  # enough to parse in worker processes
            path = library / f"ops/r{n // 100}/runbook-{n}.rst"
            path.write_text(path.read_text() + f"\nRound {number}.\n")
        running, children = _kill_after(env, rng.uniform(0.3, latest), "index", "--library",
                                         str(library))
        latest = latest if running else max(0.6, latest / 2)
        report.rounds += 1
        report.killed_running += running
        orphans += _wait_gone(children)
    final = _cli(env, "search", "restart17", "--library", str(library), "--json")
    report.final_ok = final.returncode == 0 and "runbook-17.rst" in final.stdout
    report.leftovers += [f"process {pid} still running" for pid in orphans]
    return report
