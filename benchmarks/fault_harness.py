"""The fault harness's long run: thousands of fuzzed pages, every hostile repository, real
timeouts against hanging servers, many SIGKILL rounds, a 2 GiB blob, and strace on the
command line over a hostile library. Prints counts by kind for ``docs/reliability.md``.

    python -m benchmarks.fault_harness [--examples 2000] [--rounds 25] [--quick]

Needs git and, for the reads check, strace. Takes 20-40 minutes on a 2-core machine.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import platform
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.faults.hanging_server import hanging_server  # noqa: E402
from tests.faults.hostile_repos import HOSTILE, build  # noqa: E402
from tests.faults.inputs import MARKDOWN, RST  # noqa: E402
from tests.faults.kill_loops import index_kill_rounds, sync_kill_rounds  # noqa: E402


def _isolate(home: Path) -> None:
    for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache"),
                     ("XDG_DATA_HOME", "data"), ("XDG_STATE_HOME", "state")):
        os.environ[var] = str(home / sub)


def fuzz(examples: int, work: Path) -> dict:
    """Render fuzzed pages; count tracebacks, silent empty pages, budget overruns."""
    from viewer.core.library import Library

    counts = {}
    for markup, strategy, name in (("markdown", MARKDOWN, "f.md"), ("rst", RST, "f.rst")):
        root = work / f"fuzz-{markup}" / "library"
        root.mkdir(parents=True)
        counts[markup] = _fuzz_pages(Library(root), name, strategy, examples)
    return counts


def _fuzz_pages(library, name: str, strategy, examples: int) -> dict:  # type: ignore[no-untyped-def]
    from tests.faults.test_parser_fuzz import check_one

    counter: collections.Counter = collections.Counter()
    slowest = 0.0

    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(text=strategy)
    def one(text: str) -> None:
        nonlocal slowest
        started = time.perf_counter()
        try:
            check_one(library, name, text)
            counter["passed"] += 1
        except AssertionError as err:
            counter[f"failed: {str(err).splitlines()[0][:60]}"] += 1
        except Exception as err:  # a traceback would have reached the user
            counter[f"traceback: {type(err).__name__}"] += 1
        slowest = max(slowest, time.perf_counter() - started)
        counter["tried"] += 1

    one()
    return dict(counter) | {"slowest_s": round(slowest, 2)}


def hostile_repositories(work: Path) -> dict:
    from viewer.sync.engine import sync_source
    from viewer.sync.sources import new_source

    results = {}
    for n, kind in enumerate(HOSTILE):
        remote = build(work / f"hostile-{n}.git", kind)
        source, _ = new_source(f"h{n}", str(remote))
        outcome = sync_source(source)
        results[kind] = {"ok": outcome.ok, "files": outcome.files,
                         "notice": outcome.notice, "error": outcome.error}
    return results


def hanging_servers(sync_seconds: float) -> dict:
    """The app's own connect and stall timeouts; the whole-sync deadline as given."""
    from viewer.sync import deadline
    from viewer.sync.engine import sync_source
    from viewer.sync.sources import new_source

    deadline.SYNC_SECONDS = sync_seconds

    results = {}
    for behaviour in ("silent", "stall", "trickle"):
        with hanging_server(behaviour) as url:
            source, _ = new_source(f"hang-{behaviour}", url)
            started = time.monotonic()
            outcome = sync_source(source)
            results[behaviour] = {"seconds": round(time.monotonic() - started, 1),
                                  "budget_s": sync_seconds + deadline.CONNECT_SECONDS,
                                  "ok": outcome.ok, "error": outcome.error}
    return results


def huge_blob(work: Path, size: int) -> dict:
    """A 2 GiB blob of zeros over HTTP (partial clone) and from a local path (no filter)."""
    results = {}
    for where in ("http", "path"):
        script = f"""
import os, sys, time, resource
sys.path.insert(0, {str(REPO)!r})
from tests.sync.conftest import Upstream, git
from pathlib import Path
from viewer.sync.engine import sync_source
from viewer.sync.sources import new_source
base = Path({str(work)!r}) / "blob-{where}"
base.mkdir()
up = Upstream(base)
git(up.bare, "config", "uploadpack.allowFilter", "true")
with open(up.work / "huge.md", "wb") as f:
    f.truncate({size})
up.commit({{"small.md": "# Small\\n"}})
up.push()
if "{where}" == "http":
    up.start(anonymous=True)
    url = up.url
else:
    url = str(up.bare)
source, _ = new_source("blob-{where}", url)
started = time.monotonic()
outcome = sync_source(source)
up.kill()
print(outcome.ok, round(time.monotonic() - started, 1),
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, repr(outcome.notice))
"""
        env = dict(os.environ)
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              env=env, timeout=1800)
        parts = done.stdout.strip().split(" ", 3)
        results[where] = ({"ok": parts[0] == "True", "seconds": float(parts[1]),
                           "peak_rss_mb": int(parts[2]), "notice": parts[3]}
                          if len(parts) == 4 else {"error": done.stderr[-400:]})
    return results


def strace_reads(work: Path) -> dict:
    """Every file the CLI opens over a hostile library, by strace: any outside the root?"""
    if shutil.which("strace") is None:
        return {"skipped": "strace is not installed"}
    root = work / "hostile-library"
    secret = work / "secret.txt"
    secret.write_text("question: SECRET\n")
    (root / "img").mkdir(parents=True)
    (root / "triage.yaml").symlink_to(secret)
    (root / "out.md").symlink_to(secret)
    (root / "img" / "up").symlink_to(work)
    os.mkfifo(root / "pipe.png")
    (root / "page.md").write_text(
        "# Page\n\n![a](../secret.txt) ![b](img/up/secret.txt) ![c](/etc/passwd) "
        "![d](pipe.png)\n\n## Symptoms\n\n- 503s\n")
    (root / "page.rst").write_text(
        "Page\n====\n\n.. include:: ../secret.txt\n\n.. image:: ../secret.txt\n\n"
        ".. csv-table::\n   :file: /etc/passwd\n\n:doc:`../secret`\n")
    counts: collections.Counter = collections.Counter()
    outside: set[str] = set()
    # What the hostile library points at: the files beside it and the system files it names.
    # (Qt, fontconfig and git read their own configuration; that is not the library's doing.)
    planted = {str(p.resolve()) for p in work.iterdir()
               if p.name not in ("hostile-library", "home")}
    named = {"/etc/passwd", "/dev/zero", str(secret.resolve())}
    root_real = str(root.resolve())
    commands = [["render", str(root / "page.md"), "--library", str(root)],
                ["render", str(root / "page.rst"), "--library", str(root)],
                ["index", "--library", str(root)], ["search", "503", "--library", str(root)],
                ["triage", "--library", str(root)],
                ["--library", str(root), "--self-test"]]
    pattern = re.compile(r'open(?:at)?\((?:AT_FDCWD, )?"([^"]+)"')
    for args in commands:
        log = work / "strace.log"
        subprocess.run(["strace", "-f", "-qq", "-e", "trace=open,openat", "-o", str(log),
                        sys.executable, "-m", "viewer", *args], cwd=REPO, timeout=300,
                       capture_output=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        for line in log.read_text(errors="replace").splitlines():
            match = pattern.search(line)
            if not match or "ENOENT" in line:
                continue
            path = os.path.realpath(match.group(1))
            counts["opens"] += 1
            if path.startswith(root_real + os.sep):
                counts["inside_root"] += 1
            elif path in named or any(path == p or path.startswith(p + os.sep)
                                      for p in planted):
                outside.add(path)
    counts["outside_root"] = len(outside)
    return dict(counts) | {"outside": sorted(outside)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=25)
    parser.add_argument("--blob", type=int, default=2 * 1024 ** 3)
    parser.add_argument("--sync-deadline", type=float, default=300.0,
                        help="whole-sync deadline for the trickling server (the app: 900 s)")
    parser.add_argument("--quick", action="store_true", help="small numbers, to try it out")
    args = parser.parse_args()
    if args.quick:
        args.examples, args.rounds, args.blob, args.sync_deadline = 50, 3, 64 * 1024 ** 2, 60
    work = Path(tempfile.mkdtemp(prefix="fault-harness-"))
    _isolate(work / "home")
    report: dict = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                               f"Python {platform.python_version()}, {platform.system()}",
                    "date": time.strftime("%Y-%m-%d")}
    steps = [("fuzz", lambda: fuzz(args.examples, work)),
             ("hostile_repositories", lambda: hostile_repositories(work)),
             ("hanging_servers", lambda: hanging_servers(args.sync_deadline)),
             ("huge_blob", lambda: huge_blob(work, args.blob)),
             ("sync_kills", lambda: sync_kill_rounds(work / "kill-sync", args.rounds,
                                                     random.Random()).__dict__),
             ("index_kills", lambda: index_kill_rounds(work / "kill-index", args.rounds,
                                                       random.Random()).__dict__),
             ("strace_reads", lambda: strace_reads(work))]
    for name, step in steps:
        started = time.monotonic()
        try:
            report[name] = step()
        except Exception as err:  # a broken step is reported, the others still run
            report[name] = {"harness error": f"{type(err).__name__}: {err}"}
        report[name + "_seconds"] = round(time.monotonic() - started, 1)
        print(f"{name}: {json.dumps(report[name])[:300]}", file=sys.stderr, flush=True)
    print(json.dumps(report, indent=2))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    threading.excepthook = lambda hook_args: None  # a killed server thread is not news
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    sys.exit(main())
