"""What a packaged or installed app needs: every package listed, the desktop entry, About."""

from __future__ import annotations

import configparser
import tomllib

from tests.conftest import REPO


def test_every_package_is_listed_for_installation() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    on_disk = {".".join(init.parent.relative_to(REPO).parts)
               for init in (REPO / "viewer").rglob("__init__.py")}
    missing = on_disk - listed
    assert not missing, f"pip install . would leave out {sorted(missing)}"


def test_the_desktop_entry_names_the_command_and_the_icon() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(REPO / "resources" / "runbook-viewer.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application" and desktop["Exec"].split()[0] == "runbook-viewer"
    assert (REPO / "resources" / "icons" / f"{desktop['Icon']}.svg").is_file()
    assert desktop["Categories"].endswith(";")


def test_about_shows_version_commit_qt_and_python(qtbot) -> None:  # type: ignore[no-untyped-def]
    import platform

    from PySide6.QtCore import qVersion

    from viewer import __version__
    from viewer.buildinfo import build_commit
    from viewer.ui.about import about_html

    text = about_html()
    assert __version__ in text and qVersion() in text and platform.python_version() in text
    commit = build_commit()
    if (REPO / ".git").exists():
        assert len(commit) == 12 and commit in text
