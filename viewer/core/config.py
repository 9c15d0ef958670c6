"""The user's settings and reading state, in JSON files written atomically.

A crash while saving can never leave a half-written file: the new content
goes to a temporary file that replaces the old one in one rename. A corrupt
file is moved aside (and the user told) instead of stopping the app.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from viewer.core.relocation import Relocation
from viewer.locations import bundled_docs_dir, config_dir, data_dir


@dataclass
class Settings:
    library: str = ""  # empty: the bundled docs
    theme: str = "system"  # system | light | dark
    zoom: int = 0
    recent: dict[str, list[str]] = field(default_factory=dict)  # library root -> paths
    positions: dict[str, dict[str, int]] = field(default_factory=dict)  # root -> path -> scroll

    def recent_in(self, root: Path | str) -> list[str]:
        """Runbooks opened in the library at ``root``, most recent first."""
        paths = self.recent.get(str(root), [])
        return [p for p in paths if isinstance(p, str)] if isinstance(paths, list) else []

    def remember_opened(self, root: Path | str, rel_path: str, keep: int = 30) -> None:
        paths = [p for p in self.recent_in(root) if p != rel_path]
        self.recent[str(root)] = [rel_path, *paths][:keep]

    def position(self, root: Path | str, rel_path: str) -> int | None:
        """Where the reader left ``rel_path`` (a scroll offset), if known."""
        known = self.positions.get(str(root))
        value = known.get(rel_path) if isinstance(known, dict) else None
        return value if isinstance(value, int) and value >= 0 else None

    def relocate(self, move: Relocation) -> None:
        """Recent pages and reading positions follow their runbooks into another library."""
        recent = [p for p in (move.moved(path) for path in self.recent_in(move.old_root)) if p]
        if recent:
            self.recent[move.new_root] = list(dict.fromkeys(
                [*recent, *self.recent_in(move.new_root)]))[:30]
            self.recent[move.old_root] = [p for p in self.recent_in(move.old_root)
                                          if move.moved(p) is None]
        known = self.positions.get(move.old_root)
        if isinstance(known, dict):
            target = dict(self.positions.get(move.new_root) or {})
            for path, scroll in list(known.items()):
                new = move.moved(path)
                if new is not None:
                    target[new] = scroll
                    del known[path]
            self.positions[move.new_root] = target

    def remember_position(self, root: Path | str, rel_path: str, scroll: int,
                          keep: int = 200) -> None:
        known = self.positions.get(str(root))
        known = dict(known) if isinstance(known, dict) else {}
        known.pop(rel_path, None)
        known[rel_path] = max(0, int(scroll))
        self.positions[str(root)] = dict(list(known.items())[-keep:])  # newest kept


# What the reader did (recent runbooks, scroll positions) is user state, kept in
# the data folder; preferences stay in the config folder.
READING_FIELDS = ("recent", "positions")


def settings_path() -> Path:
    return config_dir() / "settings.json"


def reading_path(settings_file: Path | None = None) -> Path:
    """Where recent runbooks and reading positions are kept (beside a given settings file)."""
    if settings_file is not None:
        return settings_file.with_name("reading.json")
    return data_dir() / "reading.json"


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that readers see the old or the new file, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read_json(path: Path, what: str) -> tuple[dict, str]:
    """The object in ``path`` ({} when missing) and a message when it had to be moved aside."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise ValueError("not an object")
    except FileNotFoundError:
        return {}, ""
    except (OSError, ValueError) as err:
        aside = path.with_name(path.name + ".corrupt")
        with contextlib.suppress(OSError):
            os.replace(path, aside)
        return {}, f"Your {what} could not be read ({err}); it was moved to {aside}."
    return raw, ""


def load_settings(path: Path | None = None) -> tuple[Settings, str]:
    """The saved settings and a message for the user ("" when all is well)."""
    raw, problem = _read_json(path or settings_path(), "settings file")
    reading, reading_problem = _read_json(reading_path(path), "list of recent runbooks")
    for name in READING_FIELDS:  # older versions kept these in the settings file
        if name in reading:
            raw[name] = reading[name]
    # A hand-edited value of the wrong type (zoom: "big") keeps its default
    # rather than breaking the window later.
    defaults = Settings()
    values = {
        f.name: raw[f.name] for f in fields(Settings)
        if f.name in raw and type(raw[f.name]) is type(getattr(defaults, f.name))
    }
    return Settings(**values), " ".join(m for m in (problem, reading_problem) if m)


def save_settings(settings: Settings, path: Path | None = None) -> str:
    """Save; returns an error message for the user, or "" on success."""
    data = asdict(settings)
    reading = {name: data.pop(name) for name in READING_FIELDS}
    try:
        write_atomically(path or settings_path(), json.dumps(data, indent=2))
        write_atomically(reading_path(path), json.dumps(reading, indent=2))
    except OSError as err:
        return f"Settings could not be saved: {err.strerror or err}."
    return ""


def shown_library(requested: Path | None, settings: Settings,
                  union: Path | None = None) -> tuple[Path, str]:
    """The folder the window (and the command line without ``--library``) shows.

    The one asked for, else the configured one, else the union of the synced
    sources (``union``, when there are any), else the bundled docs; the
    message says why a configured folder was passed over.
    """
    if requested is not None:
        return requested, ""
    if union is not None and not settings.library:
        return union, ""
    if settings.library:
        path = Path(settings.library)
        if path.is_dir():
            return path, ""
        return bundled_docs_dir(), (f"Your library folder {settings.library} is not available; "
                                    "showing the bundled runbooks instead.")
    return bundled_docs_dir(), ""
