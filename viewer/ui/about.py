"""The About box: version, build commit, Qt and Python, what a bug report needs."""

from __future__ import annotations

import platform

from PySide6 import __version__ as pyside_version
from PySide6.QtWidgets import QMessageBox, QWidget

from viewer import APP_NAME, __version__


def about_html() -> str:
    """Version, commit, Qt and Python: what a bug report needs."""
    from PySide6.QtCore import qVersion

    from viewer.buildinfo import build_commit

    commit = build_commit() or "unknown"
    return (f"<b>{APP_NAME}</b> {__version__}<br>Commit {commit}<br>"
            f"Qt {qVersion()} (PySide6 {pyside_version}) · Python {platform.python_version()}"
            "<br><br>Runbooks offline, when everything else is down.")


def show_about(parent: QWidget) -> None:
    QMessageBox.about(parent, f"About {APP_NAME}", about_html())
