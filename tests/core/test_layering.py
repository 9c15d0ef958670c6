"""The core and sync layers never load Qt, so every feature works without a display."""

import subprocess
import sys

from tests.conftest import REPO

_CHECK = """
import importlib, pkgutil, sys
import viewer.core, viewer.sync
for package in (viewer.core, viewer.sync):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(info.name)
import viewer.cli, viewer.cli_sources
QT = ("PySide6", "shiboken6", "PyQt5", "PyQt6")
loaded = sorted(m for m in sys.modules if m.split(".")[0] in QT)
print(",".join(loaded))
"""


def test_core_sync_and_cli_import_without_qt() -> None:
    result = subprocess.run([sys.executable, "-c", _CHECK], cwd=REPO, capture_output=True,
                            text=True, check=True)
    assert result.stdout.strip() == "", f"Qt modules loaded: {result.stdout.strip()}"
