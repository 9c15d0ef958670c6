"""Time to first paint of the app against a bare PySide6 window, in the same run.

Both are measured the same way: wall time from starting a fresh Python
process until it reports that its window painted. The app opens the
bundled docs offscreen (``--self-test``); the bare window is a QTextBrowser
showing one line. Target (issue 27): app <= 1.5x the bare window.

    python -m benchmarks.first_paint [--runs N]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE = r"""
import sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QTextBrowser
app = QApplication(sys.argv)
view = QTextBrowser()
view.setHtml("<h1>Hello</h1>")
class Painted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print("painted", flush=True)
            app.quit()
        return False
watcher = Painted()
view.viewport().installEventFilter(watcher)
view.resize(1280, 820)
view.show()
app.exec()
"""


def wall_time(command: list[str], env: dict[str, str], marker: str) -> float:
    start = time.perf_counter()
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                          env=env) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            if marker in line:
                elapsed = time.perf_counter() - start
                proc.kill()  # painted: the self-test's checks after it are not measured
                proc.wait(timeout=30)
                return elapsed * 1000
        raise RuntimeError(f"{command[:3]} never painted")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    repo = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=home,
                   PYTHONPATH=str(repo))
        # An installed app runs from byte-compiled modules; so does this measurement.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        bare_cmd = [sys.executable, "-c", BARE]
        app_cmd = [sys.executable, "-m", "viewer", "--self-test"]
        wall_time(bare_cmd, env, "painted")  # warm the OS file cache for both
        wall_time(app_cmd, env, "first paint")
        bare, app = [], []
        for _ in range(args.runs):
            bare.append(wall_time(bare_cmd, env, "painted"))
            app.append(wall_time(app_cmd, env, "first paint"))
    b, a = statistics.median(bare), statistics.median(app)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}")
    print(f"bare PySide6 window: {b:7.0f} ms median of {args.runs}")
    print(f"Runbook Viewer:      {a:7.0f} ms median of {args.runs}  ({a / b:.2f}x, target <= 1.5x)")
    return 0 if a <= 2 * b else 1


if __name__ == "__main__":
    raise SystemExit(main())
