"""``sources`` and ``sync`` on the command line, in separate processes as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.test_cli import run
from tests.sync.conftest import Upstream, free_port, git

PAGE = "# Kafka lag\n\n## Symptoms\n\n- consumer lag over 10k messages\n\nRun `kcat -L`.\n"


def test_add_sync_list_and_search_cover_the_synced_source(upstream: Upstream) -> None:
    head = upstream.commit({"queues/kafka.md": PAGE})
    upstream.push()
    added = run("sources", "add", "queues", str(upstream.bare), "--branch", "main")
    assert added.returncode == 0, added.stderr
    synced = run("sync", "--json")
    assert synced.returncode == 0, synced.stderr
    [outcome] = json.loads(synced.stdout)
    assert outcome["ok"] and outcome["commit"] == head and outcome["files"] == 1
    [row] = json.loads(run("sources", "list", "--json").stdout)
    assert row["name"] == "queues" and row["commit"] == head and row["last_error"] is None
    assert row["last_sync"] and row["branch"] == "main"
    hits = json.loads(run("search", "kcat", "--json").stdout)
    assert hits[0]["path"] == "queues/queues/kafka.md"  # source name, then path in the repo
    triage = json.loads(run("triage", "--json").stdout)
    assert "queues/queues/kafka.md" in json.dumps(triage)


def test_sync_fails_with_one_line_naming_each_failing_source(upstream: Upstream) -> None:
    upstream.commit({"queues/kafka.md": PAGE})
    upstream.push()
    assert run("sources", "add", "good", str(upstream.bare)).returncode == 0
    dead = f"http://127.0.0.1:{free_port()}/gone.git"
    assert run("sources", "add", "dead", dead).returncode == 0
    result = run("sync")
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("runbook-viewer:")]
    assert len(errors) == 1 and errors[0].startswith("runbook-viewer: dead: cannot reach")
    assert "good: updated" in result.stdout
    only_good = run("sync", "good")
    assert only_good.returncode == 0 and "already up to date" in only_good.stdout


def test_remove_deletes_the_source_and_its_copy(upstream: Upstream,
                                                isolated_user_dirs: Path) -> None:
    upstream.commit({"queues/kafka.md": PAGE})
    upstream.push()
    run("sources", "add", "queues", str(upstream.bare))
    run("sync")
    copies = isolated_user_dirs / "data" / "runbook-viewer" / "sources" / "queues"
    assert copies.is_dir()
    removed = run("sources", "remove", "queues")
    assert removed.returncode == 0, removed.stderr
    assert not copies.exists()
    assert json.loads(run("sources", "list", "--json").stdout) == []
    assert run("sources", "remove", "queues").returncode == 1


def test_removing_a_folder_source_keeps_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    (folder / "dns.md").write_text("# DNS\n", encoding="utf-8")
    assert run("sources", "add", "team", str(folder)).returncode == 0
    removed = run("sources", "remove", "team")
    assert removed.returncode == 0, removed.stderr
    kept = f"Removed team; the folder {folder.resolve()} is left as it is."
    assert removed.stdout.strip() == kept
    assert (folder / "dns.md").read_text(encoding="utf-8") == "# DNS\n"


def test_bad_source_arguments_are_one_clear_line(tmp_path: Path) -> None:
    cases = {
        ("sources", "add", "../up", "https://example.com/x.git"): "cannot be a source name",
        ("sources", "add", "x", str(tmp_path / "nowhere")): "neither a git URL nor a folder",
        ("sync", "nosuch"): "no source called 'nosuch'",
    }
    for args, words in cases.items():
        result = run(*args)
        assert result.returncode == 1 and words in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr


def test_url_with_a_token_never_reaches_the_config(isolated_user_dirs: Path) -> None:
    result = run("sources", "add", "ops", "https://bob:tok-123456@git.example.com/ops.git")
    assert result.returncode == 0, result.stderr
    config = (isolated_user_dirs / "config" / "runbook-viewer" / "sources.json").read_text()
    assert "tok-123456" not in config and '"username": "bob"' in config
    assert "tok-123456" not in result.stdout + result.stderr


TOKEN = "ghp_" + "R2d2C3po" * 5


def test_a_token_typed_as_the_user_name_never_reaches_the_config_or_the_output(
        isolated_user_dirs: Path) -> None:
    added = run("sources", "add", "ops", f"https://{TOKEN}@git.example.com/ops.git")
    listed = run("sources", "list")
    listed_json = run("sources", "list", "--json")
    config = (isolated_user_dirs / "config" / "runbook-viewer" / "sources.json").read_text()
    assert added.returncode == 0, added.stderr
    assert TOKEN not in config and '"auth": "token-as-user"' in config
    for result in (added, listed, listed_json):
        assert TOKEN not in result.stdout + result.stderr
    assert "https://git.example.com/ops.git" in listed.stdout


def test_a_password_typed_unencoded_with_slash_and_hash_is_split_off(
        isolated_user_dirs: Path) -> None:
    added = run("sources", "add", "ops", "https://bob:pa/ss#x9@git.example.com/ops.git")
    listed = run("sources", "list", "--json")
    config = (isolated_user_dirs / "config" / "runbook-viewer" / "sources.json").read_text()
    assert added.returncode == 0, added.stderr
    assert "pa/ss" not in config and '"username": "bob"' in config
    assert '"url": "https://git.example.com/ops.git"' in config
    for result in (added, listed):
        assert "pa/ss" not in result.stdout + result.stderr and "#x9" not in result.stdout


def test_an_at_sign_that_cannot_be_placed_is_refused_unechoed() -> None:
    result = run("sources", "add", "ops", "https://git.example.com:8443/se@cret")
    assert result.returncode == 1 and "Password field" in result.stderr
    assert "se@cret" not in result.stdout + result.stderr


def test_a_token_an_older_version_saved_as_user_name_is_moved_out(
        isolated_user_dirs: Path) -> None:
    config = isolated_user_dirs / "config" / "runbook-viewer" / "sources.json"
    config.parent.mkdir(parents=True)
    config.write_text(json.dumps({"sources": [{"name": "ops", "kind": "git", "username": TOKEN,
                                               "url": "https://git.example.com/ops.git"}]}))
    listed = run("sources", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert TOKEN not in listed.stdout + listed.stderr and TOKEN not in config.read_text()
    assert json.loads(listed.stdout)[0]["username"] == ""


def test_a_pin_follows_its_runbook_renamed_upstream(upstream: Upstream) -> None:
    upstream.commit({"queues/kafka.md": PAGE, "queues/other.md": "# Other\n"})
    upstream.push()
    run("sources", "add", "ops", str(upstream.bare))
    assert run("sync").returncode == 0
    assert run("pins", "add", "ops/queues/kafka.md").returncode == 0
    (upstream.work / "streaming").mkdir()
    git(upstream.work, "mv", "queues/kafka.md", "streaming/kafka-consumer-lag.md")
    upstream.commit({}, "reorganise")
    upstream.push()
    synced = run("sync", "--json")
    assert synced.returncode == 0, synced.stderr
    assert json.loads(synced.stdout)[0]["renamed"] == [
        ["ops/queues/kafka.md", "ops/streaming/kafka-consumer-lag.md"]]
    [pin] = json.loads(run("pins", "list", "--json").stdout)
    assert pin["path"] == "ops/streaming/kafka-consumer-lag.md" and not pin["missing"]


def test_a_source_whose_secret_is_not_stored_says_which_secret() -> None:
    dead = f"http://127.0.0.1:{free_port()}/ops.git"
    assert run("sources", "add", "ops", dead, "--username", "alice").returncode == 0
    result = run("sync", "ops")
    assert result.returncode == 1
    assert "runbook-viewer: ops: no password or token is stored (" in result.stderr
    assert "cannot reach" not in result.stderr  # nothing was tried without it
