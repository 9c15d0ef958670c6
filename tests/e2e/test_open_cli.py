"""``resolve``, ``sources site`` and ``register-url-handler`` as a user runs them."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import MakeLibrary
from tests.e2e.test_cli import run
from viewer.url_handler import desktop_exec, windows_entries

RUNBOOKS = {"content/runbooks/etcd/EtcdMembersDown.md": "# EtcdMembersDown\n\n## Mitigation\n",
            "README.md": "# Runbooks\n"}


def test_resolve_prints_the_page_or_exits_1_with_the_sources_tried(
        make_library: MakeLibrary) -> None:
    folder = make_library(RUNBOOKS)
    assert run("sources", "add", "ops", str(folder)).returncode == 0
    added = run("sources", "site", "ops", "https://runbooks.example.com/")
    assert added.returncode == 0, added.stderr
    found = run("resolve", "--json",
                "https://runbooks.example.com/runbooks/etcd/etcdmembersdown/#mitigation")
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout) == {"source": "ops",
                                        "path": "content/runbooks/etcd/EtcdMembersDown.md",
                                        "anchor": "mitigation"}
    plain = run("resolve", "runbook-viewer://open?path=README.md")
    assert plain.stdout.strip() == "ops/README.md"
    missing = run("resolve", "https://runbooks.example.com/runbooks/node/nodedown/")
    assert missing.returncode == 1 and missing.stdout == ""
    assert "Tried: ops (https://runbooks.example.com/)" in missing.stderr
    assert "runbook-viewer search nodedown" in missing.stderr
    listed = run("sources", "list")
    assert "links open here from: https://runbooks.example.com/" in listed.stdout
    assert "a folder on this computer" in listed.stdout and "not synced" not in listed.stdout


@pytest.mark.parametrize("target", ["ftp://example.com/x", "runbook-viewer://open?alert=X",
                                    "runbook-viewer://wipe"])
def test_resolve_of_what_is_not_a_page_is_a_usage_error(target: str) -> None:
    result = run("resolve", target)
    assert result.returncode == 2 and result.stderr.count("\n") == 1


def test_open_refuses_a_payload_without_alerts_before_any_window() -> None:
    result = run("open", "--alert-json", "/no/such/file.json")
    assert result.returncode == 2 and "could not be read" in result.stderr


def test_the_desktop_finds_the_handler_after_register_url_handler(tmp_path: Path) -> None:
    if shutil.which("xdg-mime") is None:
        pytest.skip("xdg-mime is not installed here (Debian: xdg-utils); the check needs it")
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "HOME": str(tmp_path), "PATH": "/usr/local/bin:/usr/bin:/bin"}
    result = run("register-url-handler", extra_env=env)
    assert result.returncode == 0, result.stderr
    entry = (tmp_path / "data" / "applications" / "runbook-viewer.desktop").read_text()
    assert "MimeType=x-scheme-handler/runbook-viewer;" in entry
    assert " open %u" in entry
    query = subprocess.run(["xdg-mime", "query", "default", "x-scheme-handler/runbook-viewer"],
                           capture_output=True, text=True, env=env, timeout=30)
    assert query.stdout.strip() == "runbook-viewer.desktop"


def test_the_exec_line_and_the_windows_keys_quote_paths_with_spaces() -> None:
    assert desktop_exec(["/opt/Runbook Viewer/runbook-viewer"]) == \
        '"/opt/Runbook Viewer/runbook-viewer" open %u'
    assert desktop_exec(["/usr/bin/python3", "-m", "viewer"]) == \
        "/usr/bin/python3 -m viewer open %u"
    keys = dict(((key, name), data) for key, name, data in
                windows_entries([r"C:\Program Files\Runbook Viewer\runbook-viewer.exe"]))
    assert keys[(r"Software\Classes\runbook-viewer", "URL Protocol")] == ""
    assert keys[(r"Software\Classes\runbook-viewer\shell\open\command", "")] == \
        r'"C:\Program Files\Runbook Viewer\runbook-viewer.exe" open "%1"'
