"""The installed command line, run as a user would, in a separate process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, MakeLibrary
from viewer.locations import bundled_docs_dir


def run(*args: str, env_home: Path | None = None, timeout: int = 120,
        extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO), **(extra_env or {}))
    if env_home is not None:
        env["XDG_CONFIG_HOME"] = str(env_home / "config")
    return subprocess.run([sys.executable, "-m", "viewer", *args], capture_output=True,
                          text=True, timeout=timeout, env=env, cwd=REPO)


def test_render_prints_the_page_with_anchor_ids(make_library: MakeLibrary) -> None:
    root = make_library({"ops/a.rst": "Alpha\n=====\n\nSee :ref:`b-label`.\n",
                         "ops/b.rst": ".. _b-label:\n\nBeta Section\n------------\n",
                         "ops/c.md": "# Gamma\n## Monitoring & Alerts\n"})
    result = run("render", str(root / "ops" / "a.rst"), "--library", str(root))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("<!DOCTYPE html>")
    assert 'id="alpha"' in result.stdout
    assert 'href="b.rst#b-label">Beta Section</a>' in result.stdout
    md = run("render", str(root / "ops" / "c.md"), "--theme", "dark")
    assert 'id="monitoring--alerts"' in md.stdout and "#0d1117" in md.stdout


@pytest.mark.parametrize("args", [
    ("render", "/no/such/file.md"),
    ("render",),
    ("--library", "/no/such/folder"),
    ("render", "README.md", "--theme", "purple"),
    ("frobnicate",),
    ("search",),
    ("search", "x", "--limit", "0"),
    ("index", "--library", "/no/such/folder"),
])
def test_bad_arguments_give_one_clear_line_and_fail(args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("runbook-viewer:"), result.stderr
    assert "Traceback" not in result.stderr


def test_render_of_binary_file_explains_and_fails(make_library: MakeLibrary) -> None:
    root = make_library({"x.md": b"\x00\xff" * 100})
    result = run("render", str(root / "x.md"))
    assert result.returncode == 1 and "binary" in result.stderr and "Traceback" not in result.stderr


def test_render_outside_the_library_is_refused(make_library: MakeLibrary, tmp_path: Path) -> None:
    root = make_library({"a.md": "# a\n"})
    other = tmp_path / "other.md"
    other.write_text("# other\n")
    result = run("render", str(other), "--library", str(root))
    assert result.returncode == 1 and "not inside the library" in result.stderr


def test_render_of_a_file_reached_through_a_symlinked_folder(make_library: MakeLibrary,
                                                             tmp_path: Path) -> None:
    root = make_library({"ops/disk.md": "# Disk full\n"})
    (tmp_path / "mount").mkdir()
    os.symlink(root / "ops", tmp_path / "mount" / "ops")  # as every synced copy is reached
    result = run("render", str(tmp_path / "mount" / "ops" / "disk.md"))
    assert result.returncode == 0, result.stderr
    assert "Disk full" in result.stdout


def test_a_library_nested_995_folders_deep_is_indexed_searched_and_triaged(
        tmp_path: Path) -> None:
    root = bottom = tmp_path / "deep"
    root.mkdir()
    for _ in range(995):  # one by one: Path.mkdir(parents=True) itself recurses
        bottom = bottom / "d"
        bottom.mkdir()
    (bottom / "deep.md").write_text("# Deep runbook\n\n## Symptoms\n\n- 503 from the edge\n")
    try:
        for args in (("index",), ("search", "deep"), ("triage", "--json")):
            result = run(*args, "--library", str(root), env_home=tmp_path / "home")
            assert result.returncode == 0 and "Traceback" not in result.stderr, \
                (args, result.stderr)
            assert "deep" in result.stdout.lower(), args
    finally:  # bottom up: pytest's own clean-up recurses and would trip on it later
        (bottom / "deep.md").unlink()
        while bottom != root:
            bottom.rmdir()
            bottom = bottom.parent


def test_self_test_opens_the_bundled_docs_and_reports_first_paint(tmp_path: Path) -> None:
    result = run("--self-test", env_home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "first paint after" in result.stdout and "README.md" in result.stdout
    assert "(rst," in result.stdout and "(markdown," in result.stdout  # both parsers work
    assert "index: 11 runbooks" in result.stdout and result.stdout.endswith("self-test ok\n")


def test_self_test_on_a_given_library(make_library: MakeLibrary, tmp_path: Path) -> None:
    root = make_library({"index.rst": "Ops\n===\n\n.. code-block:: bash\n\n   uptime\n"})
    result = run("--self-test", "--library", str(root), env_home=tmp_path,
                 extra_env={"RUNBOOK_VIEWER_SEARCH_HELPER": "on"})
    assert result.returncode == 0, result.stderr
    assert "index.rst (rst" in result.stdout
    # The helper starts from the same executable (the packaged app's self-test in CI too).
    assert "search helper: started and answered a search in" in result.stdout


def test_installed_entry_point_renders(make_library: MakeLibrary) -> None:
    command = Path(sys.executable).with_name("runbook-viewer")
    if not command.exists():
        pytest.skip("the package is not installed in this environment (pip install -e .)")
    root = make_library({"a.md": "# Installed\n"})
    result = subprocess.run([str(command), "render", str(root / "a.md")], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0 and 'id="installed"' in result.stdout


def test_index_then_search_json(make_library: MakeLibrary) -> None:
    root = make_library({
        "db/pool.md": "---\ntags: [database]\n---\n# Pool exhausted\n\n## Check\n\n"
                      "```sql\nSELECT * FROM pg_stat_activity;\n```\n",
        "edge.rst": "Edge\n====\n\nScale with ``--replicas=20``.\n",
    })
    built = run("index", "--library", str(root))
    assert built.returncode == 0, built.stderr
    assert "2 runbooks" in built.stdout and "2 indexed" in built.stdout
    assert "0 indexed" in run("index", "--library", str(root)).stdout  # nothing changed

    found = run("search", "pg_stat_activity", "--library", str(root), "--json")
    assert found.returncode == 0, found.stderr
    hits = json.loads(found.stdout)
    assert [(h["path"], h["anchor"]) for h in hits] == [("db/pool.md", "check")]
    assert hits[0]["title"] == "Pool exhausted" and "**pg_stat_activity**" in hits[0]["snippet"]
    assert isinstance(hits[0]["score"], float)

    dashed = json.loads(run("search", "--library", str(root), "--json", "--",
                            "--replicas=20").stdout)
    assert [h["path"] for h in dashed] == ["edge.rst"] and dashed[0]["anchor"] == "edge"
    assert json.loads(run("search", "nothing-like-this", "--library", str(root),
                          "--json").stdout) == []


def test_search_sees_edits_without_a_separate_index_run(make_library: MakeLibrary) -> None:
    root = make_library({"a.md": "# Alpha\n\nfirst words\n"})
    assert "a.md" in run("search", "first", "--library", str(root)).stdout
    (root / "a.md").write_text("# Alpha\n\nsecond words\n")
    text = run("search", "second", "--library", str(root)).stdout
    assert "1. Alpha" in text and "a.md" in text
    assert "No runbook matches" in run("search", "first", "--library", str(root)).stdout


def test_search_without_library_uses_the_window_library(tmp_path: Path) -> None:
    result = run("search", "connection pool", "--json", env_home=tmp_path)
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert hits and hits[0]["path"] == "runbooks/database-connection-pool.md"


def test_triage_json_and_alert(make_library: MakeLibrary) -> None:
    root = make_library({
        "db.md": "---\nseverity: P1\n---\n# Pool exhausted\n\n## Symptoms\n\n"
                 "- Too many connections\n",
        "alerts/TargetDown.md": "# TargetDown\n\n## Meaning\n\nPrometheus cannot scrape a "
                                "target.\n\n## Diagnosis\n\n### Check the target\n",
    })
    result = run("triage", "--library", str(root), "--json")
    assert result.returncode == 0, result.stderr
    tree = json.loads(result.stdout)
    symptoms = {s["text"]: s["targets"] for c in tree["categories"] for s in c["symptoms"]}
    assert symptoms["Too many connections"] == [{
        "path": "db.md", "anchor": "pool-exhausted", "title": "Pool exhausted",
        "document": "Pool exhausted", "severity": "P1"}]
    assert symptoms["Prometheus cannot scrape a target"][0]["severity"] is None
    alert = run("triage", "--library", str(root), "--json", "--alert",
                'alertname="TargetDown" job="node" [FIRING:3]')
    assert alert.returncode == 0
    found = json.loads(alert.stdout)
    assert [t["path"] for t in found["targets"]] == ["alerts/TargetDown.md"]
    assert found["alerts"][0]["name"] == "TargetDown"
    assert found["alerts"][0]["labels"] == {"job": "node"}
    text = run("triage", "--library", str(root)).stdout
    assert "Too many connections" in text and "db.md#pool-exhausted" in text


def test_triage_alert_exits_1_when_nothing_matches_and_2_on_empty_input(
        make_library: MakeLibrary) -> None:
    root = make_library({"alerts/DNSErrors.md": "# DNSErrors\n\n## Meaning\n\nLookups fail.\n"
                                                "\n## Mitigation\n\nRestart.\n"})
    missed = run("triage", "--library", str(root), "--alert", "[FIRING:1] CoreDNSErrorsHigh")
    assert missed.returncode == 1
    assert "no runbook for CoreDNSErrorsHigh; closest: DNSErrors" in missed.stdout
    empty = run("triage", "--library", str(root), "--alert", "  ")
    assert empty.returncode == 2 and "Traceback" not in empty.stderr
    hit = run("triage", "--library", str(root), "--alert", "dnserrors")
    assert hit.returncode == 0 and "alerts/DNSErrors.md" in hit.stdout


def test_pins_add_list_remove_share_state_and_refuse_what_is_not_there(
        make_library: MakeLibrary) -> None:
    root = make_library({"db/pool.md": "# Pool\n\n## Step 1\n", "api.md": "# API\n"})
    lib = ("--library", str(root))
    assert run("pins", "add", "db/pool.md#step-1", *lib).returncode == 0
    assert run("pins", "add", "api.md", *lib).returncode == 0
    listed = json.loads(run("pins", "list", "--json", *lib).stdout)
    assert [(p["path"], p["anchor"], p["missing"]) for p in listed] == [
        ("db/pool.md", "step-1", False), ("api.md", None, False)]
    missing = run("pins", "add", "gone.md", *lib)
    assert missing.returncode == 1 and "gone.md is not a runbook" in missing.stderr
    outside = run("pins", "add", "../../etc/passwd", *lib)
    assert outside.returncode == 1 and "outside the library" in outside.stderr
    (root / "api.md").unlink()
    assert "api.md  (missing)" in run("pins", "list", *lib).stdout
    assert run("pins", "remove", "db/pool.md#step-1", *lib).returncode == 0
    assert run("pins", "remove", "db/pool.md#step-1", *lib).returncode == 1
    assert [p["path"] for p in json.loads(run("pins", "list", "--json", *lib).stdout)] == [
        "api.md"]


def test_version_goes_to_stdout_with_the_commit() -> None:
    result = run("--version")
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith("runbook-viewer ") and "commit " in result.stdout


def test_an_empty_search_is_a_usage_error(make_library: MakeLibrary) -> None:
    root = make_library({"a.md": "# A\n"})
    result = run("search", "", "--library", str(root))
    assert result.returncode == 2 and "needs words" in result.stderr


def test_options_written_after_the_query_are_still_options(make_library: MakeLibrary) -> None:
    root = make_library({"edge.md": "# Edge\n\nScale with `--replicas=20`.\n"})
    result = run("search", "--json", "--", "--replicas=20", "--library", str(root))
    assert result.returncode == 0, result.stderr
    assert [hit["path"] for hit in json.loads(result.stdout)] == ["edge.md"]


def test_a_sync_of_one_file_says_file(tmp_path: Path) -> None:
    from tests.sync.conftest import git

    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "a.md").write_text("# A\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "one")
    home = tmp_path / "home"
    env_run = lambda *args: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "viewer", *args], capture_output=True, text=True, cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO), "XDG_CONFIG_HOME": str(home / "c"),
             "XDG_DATA_HOME": str(home / "d"), "XDG_CACHE_HOME": str(home / "ca")}, timeout=120)
    assert env_run("sources", "add", "one", str(repo)).returncode == 0
    synced = env_run("sync")
    assert ", 1 file (" in synced.stdout, synced.stdout


def test_the_readme_names_every_library_qt_links_for_a_window() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for package in ("libglib2.0-0", "libgssapi-krb5-2", "libxcb-cursor0", "libxkbcommon-x11-0"):
        assert package in readme, package


BUNDLED_ALERT = bundled_docs_dir() / "alerts" / "KubePodCrashLooping.md"


def test_copy_fills_a_bundled_runbook_from_a_pasted_alert() -> None:
    alert = "[FIRING:1] KubePodCrashLooping (namespace=checkout pod=api-7f9 severity=critical)"
    result = run("copy", f"{BUNDLED_ALERT}#diagnosis", "--alert", alert)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "kubectl logs -n checkout api-7f9 --previous --tail=100\n"


def test_copy_exits_3_naming_what_has_no_value(make_library: MakeLibrary) -> None:
    root = make_library({"r.md": "# R\n## Fix\n```bash\nkubectl -n <namespace> rollout restart "
                                 "deploy/<deployment>\n```\n"})
    result = run("copy", f"{root / 'r.md'}#fix", "--set", "namespace=x; rm -rf /")
    assert result.returncode == 3
    assert result.stdout == "kubectl -n 'x; rm -rf /' rollout restart deploy/<deployment>\n"
    assert "deployment" in result.stderr and "Traceback" not in result.stderr
    assert run("copy", f"{root / 'r.md'}#nowhere").returncode == 1
    assert run("copy", str(root / "r.md"), "--block", "2").returncode == 2
    assert run("copy", str(root / "r.md"), "--set", "novalue").returncode == 2


def test_vars_lists_each_variable_with_where_it_is_written(make_library: MakeLibrary) -> None:
    root = make_library({"r.md": "---\nvariables:\n  namespace:\n    description: The team's\n"
                                 "    default: web\n---\n# R\n```bash\nkubectl -n <namespace> "
                                 "get pods\necho $POD_NAME\n```\n"})
    result = run("vars", str(root / "r.md"), "--json")
    assert result.returncode == 0, result.stderr
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    assert rows["namespace"]["kind"] == "angle" and rows["namespace"]["default"] == "web"
    assert rows["namespace"]["description"] == "The team's"
    assert rows["namespace"]["occurrences"] == [{"block": 1, "line": 1, "column": 12,
                                                 "text": "<namespace>"}]
    assert rows["pod_name"]["kind"] == "dollar"
    assert rows["pod_name"]["occurrences"][0]["line"] == 2
    plain = run("vars", str(root / "r.md"))
    assert plain.returncode == 0 and plain.stdout.startswith("namespace  [angle]")


def test_an_incident_from_start_to_hand_over_on_the_command_line(
        make_library: MakeLibrary, tmp_path: Path) -> None:
    root = make_library({"db.md": "# DB\n\n## Step 1: Fail over\n\nRun it.\n"})
    home = tmp_path / "home"
    env = {"XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config"),
           "XDG_CACHE_HOME": str(home / "cache")}

    def incident(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "viewer", "incident", *args],
                              capture_output=True, text=True, timeout=60, cwd=REPO,
                              env=dict(os.environ, PYTHONPATH=str(REPO), **env))

    assert incident("note", "too early").returncode == 1
    started = incident("start", "DB down", "--alert", "[FIRING:1] DbDown (namespace=db)")
    assert started.returncode == 0, started.stderr
    assert incident("start", "again").returncode == 1  # one active at a time
    assert incident("tick", "db.md#step-1-fail-over", "--library", str(root)).returncode == 0
    assert incident("note", "Failed over to replica", "--at", "2026-12-07T03:10Z").returncode == 0
    assert incident("note", "x", "--at", "teatime").returncode == 2
    listed = json.loads(incident("list", "--json").stdout)
    assert [(i["title"], i["active"]) for i in listed] == [("DB down", True)]
    out = tmp_path / "handover.md"
    assert incident("export", "-o", str(out)).returncode == 0
    text = out.read_text()
    assert "| 2026-12-07 03:10:00 | Note: Failed over to replica |" in text
    assert "Done: Step 1: Fail over (db.md#step-1-fail-over)" in text
    slack = incident("export", "--format", "slack").stdout
    assert slack.startswith("*Incident: DB down*")
    assert json.loads(incident("export", "--format", "json").stdout)["labels"] == {
        "namespace": "db"}
    assert incident("end").returncode == 0
    assert incident("end").returncode == 1
    assert "resolved" in incident("list").stdout
