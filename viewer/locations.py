"""Where the app's own files and the user's directories are.

Resources and bundled docs are found next to the package in every layout:
an installed wheel and a PyInstaller bundle map them to ``viewer/resources``
and ``viewer/bundled_docs``; a source checkout keeps them at the top level.
User directories come from platformdirs, which honours the XDG_* variables.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

from viewer import APP_ID

_PACKAGE_DIR = Path(__file__).resolve().parent


def _data_folder(name: str) -> Path:
    for candidate in (_PACKAGE_DIR / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the app's {name} folder is missing from this installation")


def resources_dir() -> Path:
    """Stylesheets and icons shipped with the app."""
    return _data_folder("resources")


def bundled_docs_dir() -> Path:
    """The user guide and sample runbooks shown on first start."""
    return _data_folder("bundled_docs")


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_ID, appauthor=False))


def cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_ID, appauthor=False))


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_ID, appauthor=False))


def state_dir() -> Path:
    return Path(platformdirs.user_state_dir(APP_ID, appauthor=False))


BUNDLED_NAME = "Runbook Viewer guide"  # the bundled docs' folder in the union of sources


def union_root() -> Path:
    """The folder whose top-level entries link to every synced source's copy."""
    return data_dir() / "library"


def instance_address() -> str:
    """Where the running window listens for requests from a second launch, for this user.

    On Unix a socket in a folder only this user can enter (``XDG_RUNTIME_DIR``,
    else a 0700 folder in the temp directory); elsewhere a named pipe's name.
    The name carries a hash of the state folder, so two users, or two test
    runs with their own folders, never reach each other's window.
    """
    from viewer.private_socket import private_address

    return private_address("", str(state_dir()))
