"""Back/forward history and settings that survive crashes and corruption."""

from pathlib import Path

from viewer.core.config import Settings, load_settings, save_settings
from viewer.core.history import History, Location


def test_back_and_forward_like_a_browser() -> None:
    history = History()
    for path in ("a.md", "b.md", "c.md"):
        history.visit(Location(path))
    history.remember_scroll(120)
    assert history.back() == Location("b.md")
    assert history.back() == Location("a.md")
    assert history.forward() == Location("b.md")
    history.visit(Location("d.md"))
    assert not history.can_go_forward()
    assert history.back() == Location("b.md")
    assert history.back() == Location("a.md") and not history.can_go_back()


def test_scroll_position_is_kept_for_each_place() -> None:
    history = History()
    history.visit(Location("a.md"))
    history.remember_scroll(900)
    history.visit(Location("b.md"))
    assert history.back() == Location("a.md", scroll=900)


def test_settings_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    assert save_settings(Settings(library="/runbooks", theme="dark", zoom=2), path) == ""
    assert load_settings(path) == (Settings(library="/runbooks", theme="dark", zoom=2), "")


def test_corrupt_settings_are_moved_aside_with_a_message(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{not json")
    settings, message = load_settings(path)
    assert settings == Settings()
    assert "moved to" in message and (tmp_path / "settings.json.corrupt").exists()


def test_settings_of_the_wrong_type_keep_their_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"library": "/rb", "zoom": "big", "theme": 3, "unknown": 1}')
    assert load_settings(path) == (Settings(library="/rb"), "")


def test_recent_runbooks_and_positions_are_kept_in_the_data_folder(
        isolated_user_dirs: Path) -> None:
    settings = Settings(theme="dark")
    settings.remember_opened("/lib", "db/pool.md")
    settings.remember_position("/lib", "db/pool.md", 640)
    assert save_settings(settings) == ""
    config = (isolated_user_dirs / "config" / "runbook-viewer" / "settings.json").read_text()
    reading = (isolated_user_dirs / "data" / "runbook-viewer" / "reading.json").read_text()
    assert "db/pool.md" not in config and "dark" in config
    assert "db/pool.md" in reading
    loaded, _ = load_settings()
    assert loaded.recent_in("/lib") == ["db/pool.md"]
    assert loaded.position("/lib", "db/pool.md") == 640


def test_recent_runbooks_saved_by_an_older_version_are_still_read(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"theme": "dark", "recent": {"/lib": ["a.md"]}}')
    loaded, message = load_settings(path)
    assert loaded.recent_in("/lib") == ["a.md"] and message == ""
