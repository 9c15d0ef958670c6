"""Making ``runbook-viewer://`` links open this app: the one-time, opt-in registration.

Linux: a desktop entry in the user's applications folder that handles the
``x-scheme-handler/runbook-viewer`` type, made the default with ``xdg-mime``.
Windows: the per-user ``HKEY_CURRENT_USER\\Software\\Classes\\runbook-viewer``
keys. macOS: nothing to do; the app bundle built by ``build.spec`` declares
the scheme (``CFBundleURLTypes``) and the system reads it when the app is in
Applications. Nothing here runs unless the user asks for it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from viewer import APP_ID
from viewer.core.open_request import SCHEME
from viewer.locations import resources_dir

DESKTOP_FILE = f"{APP_ID}.desktop"
MIME_TYPE = f"x-scheme-handler/{SCHEME}"


class RegistrationFailed(Exception):
    """``str(err)`` says what could not be done, for the user."""


def launch_command() -> list[str]:
    """How the desktop starts this installation: the packaged executable, the installed
    script, or this Python with ``-m viewer``."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    script = Path(sys.argv[0]).resolve() if sys.argv and sys.argv[0] else None
    if script is not None and script.name == APP_ID and script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "viewer"]


def desktop_exec(command: list[str]) -> str:
    """``command`` as a desktop entry's Exec line, followed by ``open %u``.

    The Desktop Entry spec quotes an argument holding a space or a reserved
    character in double quotes, with ``"``, `````, ``$`` and ``\\`` escaped.
    """
    def quote(arg: str) -> str:
        if not any(c in arg for c in " \t\n\"'\\><~|&;$*?#()`="):
            return arg
        escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg)
        return f'"{escaped}"'

    return " ".join(quote(a).replace("%", "%%") for a in command) + " open %u"


def desktop_entry(command: list[str]) -> str:
    """The shipped desktop entry with its Exec line pointing at ``command``."""
    lines = (resources_dir() / DESKTOP_FILE).read_text(encoding="utf-8").splitlines()
    out = [f"Exec={desktop_exec(command)}" if line.startswith("Exec=") else line
           for line in lines]
    return "\n".join(out) + "\n"


def register_linux(data_home: Path | None = None) -> str:
    """Install the desktop entry and the icon for this user, make it the handler; returns
    what was done. Raises :class:`RegistrationFailed`."""
    data_home = data_home or Path(os.environ.get("XDG_DATA_HOME") or
                                  Path.home() / ".local" / "share")
    applications = data_home / "applications"
    entry = applications / DESKTOP_FILE
    icon = data_home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    try:
        applications.mkdir(parents=True, exist_ok=True)
        entry.write_text(desktop_entry(launch_command()), encoding="utf-8")
        icon.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(resources_dir() / "icons" / f"{APP_ID}.svg", icon)
    except OSError as err:
        raise RegistrationFailed(f"could not write {entry}: {err.strerror or err}") from None
    if shutil.which("update-desktop-database"):
        subprocess.run(["update-desktop-database", str(applications)], capture_output=True,
                       timeout=30, check=False)
    xdg_mime = shutil.which("xdg-mime")
    if xdg_mime is None:
        raise RegistrationFailed(
            f"wrote {entry}, but xdg-mime is not installed (Debian and Ubuntu: the xdg-utils "
            "package), so it could not be made the handler of runbook-viewer:// links.")
    done = subprocess.run([xdg_mime, "default", DESKTOP_FILE, MIME_TYPE], capture_output=True,
                          text=True, timeout=30, check=False)
    if done.returncode != 0:
        raise RegistrationFailed(f"xdg-mime could not set the handler: "
                                 f"{(done.stderr or done.stdout).strip()}")
    return f"Installed {entry} and made it the handler of {SCHEME}:// links."


def windows_entries(command: list[str]) -> list[tuple[str, str, str]]:
    """The per-user registry values that make Windows pass links to ``command``:
    ``(key under HKEY_CURRENT_USER, value name ("" for the default), data)``."""
    key = rf"Software\Classes\{SCHEME}"
    run = subprocess.list2cmdline([*command, "open"]) + ' "%1"'
    return [(key, "", "URL:Runbook Viewer link"), (key, "URL Protocol", ""),
            (rf"{key}\DefaultIcon", "", f"{command[0]},0"),
            (rf"{key}\shell\open\command", "", run)]


def register_windows() -> str:
    import winreg  # type: ignore[import-not-found]  # Windows only

    try:
        for key, name, data in windows_entries(launch_command()):
            with winreg.CreateKey(winreg.HKEY_CURRENT_USER, key) as handle:
                winreg.SetValueEx(handle, name, 0, winreg.REG_SZ, data)
    except OSError as err:
        raise RegistrationFailed(f"could not write the registry: {err}") from None
    return rf"Registered {SCHEME}:// links under HKEY_CURRENT_USER\Software\Classes\{SCHEME}."


def register() -> str:
    """Register this installation for ``runbook-viewer://`` links on this system."""
    if sys.platform == "darwin":
        return (f"Nothing to do: Runbook Viewer.app declares {SCHEME}:// links itself. Put the "
                "app in Applications and open it once; macOS then sends it the links.")
    if sys.platform == "win32":
        return register_windows()
    return register_linux()
