"""``runbook-viewer check``: one seeded violation per rule, found once, in every format."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import REPO
from viewer.check import FORMATS
from viewer.check.formats import render
from viewer.check.rules import RULES
from viewer.check.run import run_check
from viewer.core.library import Library
from viewer.core.library_config import load_library_config

FIXTURE = Path(__file__).parent / "library"
GOLDEN = Path(__file__).parent / "golden"
SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
TODAY = dt.date(2026, 12, 1)
GITHUB_LINE = re.compile(r"^::(error|warning|notice) file=.+,line=\d+,col=\d+::")


def _report(root: Path = FIXTURE, **kwargs):  # type: ignore[no-untyped-def]
    library = Library(root)
    return run_check(library, load_library_config(library), today=TODAY, **kwargs)


def _rules_in(fmt: str, text: str) -> Counter[str]:
    """The rule of each finding, read back from the output as its consumer would."""
    if fmt == "text":
        return Counter(line.split()[2] for line in text.splitlines())
    if fmt == "json":
        return Counter(f["rule"] for f in json.loads(text)["findings"])
    if fmt == "github":
        return Counter(line.split("::")[2].split()[0] for line in text.splitlines())
    if fmt == "sarif":
        return Counter(r["ruleId"] for r in json.loads(text)["runs"][0]["results"])
    cases = ET.fromstring(text).iter("testcase")
    return Counter(case.get("name", "").split()[0] for case in cases)


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_rule_fires_exactly_once_in_every_format(fmt: str) -> None:
    output = render(_report(), fmt)
    assert _rules_in(fmt, output) == Counter({rule.id: 1 for rule in RULES})


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_matches_the_golden_file(fmt: str) -> None:
    output = render(_report(), fmt)
    if fmt == "junit":
        output = re.sub(r' time="[\d.]+"', ' time="0"', output)
    suffix = {"text": "txt", "github": "txt", "json": "json", "sarif": "json", "junit": "xml"}
    assert output == (GOLDEN / f"fixture-{fmt}.{suffix[fmt]}").read_text(encoding="utf-8")


def test_sarif_validates_against_the_sarif_2_1_0_schema() -> None:
    document = json.loads(render(_report(), "sarif"))
    jsonschema.validate(document, json.loads(SCHEMA.read_text(encoding="utf-8")))
    result = next(r for r in document["runs"][0]["results"] if r["ruleId"] == "RV003")
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (7, 20)


def test_github_lines_are_workflow_annotations_on_the_right_line() -> None:
    lines = render(_report(), "github").splitlines()
    assert lines and all(GITHUB_LINE.match(line) for line in lines)
    assert "::error file=fence-open.md,line=8,col=1::RV001 unclosed-code-fence: " in lines[5]


def test_a_near_miss_anchor_says_what_was_meant() -> None:
    finding = next(f for f in _report().findings if f.rule == "RV003")
    assert finding.path == "anchors.md"
    assert "did you mean #mitigation?" in finding.message


def test_a_sphinx_table_of_contents_linking_its_title_to_top_is_not_a_missing_anchor(
        tmp_path: Path) -> None:
    """docutils links a ``.. contents::`` title to #top, which a browser takes as the top
    (minio/docs: 362 such findings on 467 pages)."""
    (tmp_path / "page.rst").write_text(
        "Batch jobs\n==========\n\n.. contents:: Table of Contents\n   :local:\n\n"
        "Overview\n--------\n\nJobs run on the server. See `Back <#top>`_ and "
        "`Gone <#nowhere>`_.\n")
    found = [f.message for f in _report(tmp_path).findings if f.rule == "RV003"]
    assert found == ["#nowhere: the page has no section #nowhere."]


def test_suppression_comments_hold_and_removing_them_brings_the_findings_back(
        tmp_path: Path) -> None:
    root = tmp_path / "lib"
    shutil.copytree(FIXTURE, root)
    assert not [f for f in _report(root).findings if f.path == "suppressed.md"]
    for name in ("suppressed.md", "declared.md"):
        page = root / name
        page.write_text(re.sub(r"<!-- runbook-viewer:[^>]*-->\n", "", page.read_text()))
    alerts = root / "rules" / "alerts.yaml"
    alerts.write_text(alerts.read_text().replace("# runbook-viewer: disable-next-line RV013",
                                                 "# no longer suppressed"))
    found = {(f.path, f.rule) for f in _report(root).findings}
    assert {("suppressed.md", "RV015"), ("declared.md", "RV002"),
            ("rules/alerts.yaml", "RV013")} <= found
    assert sum(1 for f in _report(root).findings if f.rule == "RV013") == 2


def test_the_library_config_disables_rules_and_changes_severities(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    shutil.copytree(FIXTURE, root)
    config = root / "runbook-viewer.toml"
    config.write_text(config.read_text().replace(
        'alerts = ["rules/*.yaml"]',
        'alerts = ["rules/*.yaml"]\ndisable = ["empty-runbook"]\n'
        '[check.severity]\nRV009 = "error"'))
    report = _report(root)
    assert "RV015" not in {f.rule for f in report.findings}
    assert next(f for f in report.findings if f.rule == "RV009").severity == "error"


def _cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "viewer", "check", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_exit_codes_say_clean_findings_or_usage_error(tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "ok.md").write_text("# Restart the API\n\nRoll the deployment one zone at a time, "
                                 "watching the error rate between zones.\n")
    done = _cli("--library", str(clean))
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and "0 errors, 0 warnings, 0 notices in 1 page (" in done.stderr

    assert _cli("--library", str(FIXTURE)).returncode == 1
    assert _cli("--library", str(FIXTURE), "--fail-on", "never").returncode == 0
    only_warning = _cli("--library", str(FIXTURE), "--rules", "RV015")
    assert only_warning.returncode == 0 and "RV015" in only_warning.stdout
    assert _cli("--library", str(FIXTURE), "--rules", "RV015", "--fail-on",
                "warning").returncode == 1

    unknown = _cli("--library", str(FIXTURE), "--rules", "RV999")
    assert unknown.returncode == 2 and "no rule 'RV999'" in unknown.stderr
    (clean / "runbook-viewer.toml").write_text("[check\nrequire = 1\n")
    broken = _cli("--library", str(clean))
    assert broken.returncode == 2 and "not valid TOML" in broken.stderr
    assert "Traceback" not in broken.stderr
    outside = _cli("--library", str(FIXTURE), str(tmp_path))
    assert outside.returncode == 2 and "not inside the library" in outside.stderr


def test_paths_narrow_the_check_and_alert_globs_come_from_the_command_line(
        tmp_path: Path) -> None:
    done = _cli("--library", str(FIXTURE), str(FIXTURE / "todo.md"), "--format", "json",
                "--fail-on", "never")
    found = json.loads(done.stdout)["findings"]
    paths = {f["path"] for f in found}
    assert paths == {"todo.md", "rules/alerts.yaml"}, "the configured rule files are checked too"
    rules = tmp_path / "more.yml"
    rules.write_text("groups:\n- name: x\n  rules:\n  - alert: NoBook\n    expr: up == 0\n")
    done = _cli("--library", str(FIXTURE), str(FIXTURE / "todo.md"), "--alerts", str(rules),
                "--format", "json", "--fail-on", "never")
    assert any(f["path"].endswith("more.yml") and f["rule"] == "RV013"
               for f in json.loads(done.stdout)["findings"])


def test_worker_processes_find_the_same_as_one_process(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import viewer.check.run as run

    alone = _report(workers=1).findings
    monkeypatch.setattr(run, "PARALLEL_FROM", 1)
    assert _report(workers=2).findings == alone


def test_web_addresses_are_not_files_the_library_should_have(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    (root / "net.md").write_text(
        "# Load balancers\n\nRead [Google's notes](//cloud.google.com/load-balancing/docs) and "
        "[the RFC](https://www.rfc-editor.org/rfc/rfc9110) before [the gone page](gone.md).\n")
    report = _report(root)
    assert [(f.rule, f.message.split()[0]) for f in report.findings] == [("RV002", "gone.md")]


def test_a_fence_closed_inside_a_quote_is_closed(tmp_path: Path) -> None:
    """A note quoting a command (MoJ's runbooks): "> ```" closes the quote's fence."""
    root = tmp_path / "lib"
    root.mkdir()
    (root / "site.md").write_text(
        "# Check the site\n\n> **Note:** if it does not load:\n>\n> ```bash\n"
        "> curl -I https://example.org\n> ```\n>\n> A 200 says it is up.\n\n"
        "> Stuck? Run:\n> ```\n> kubectl delete job cleanup\n> ```\n\nDone.\n"
        "\n> ```\n> never closed in this quote\n\nAfter.\n")
    report = _report(root)
    assert [(f.rule, f.line) for f in report.findings if f.rule == "RV001"] == [("RV001", 18)]


def test_a_link_to_a_file_that_is_there_but_not_a_runbook_is_not_missing(
        tmp_path: Path) -> None:
    """A site's diagram linked from its root ("/diagrams/flow.svg" in source/): the window
    does not open it, but it is not a broken link."""
    root = tmp_path / "lib"
    (root / "source" / "diagrams").mkdir(parents=True)
    (root / "source" / "diagrams" / "flow.svg").write_text("<svg/>")
    (root / "source" / "process.html.md").write_text(
        "# Process\n\nSee [the flow](/diagrams/flow.svg) and [the map](/diagrams/map.svg).\n")
    report = _report(root)
    assert [(f.rule, f.message.split()[0]) for f in report.findings] == [
        ("RV002", "/diagrams/map.svg")]


def test_a_middleman_list_fence_from_the_margin_is_closed_where_the_site_closes_it(
        tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    text = "# Upgrade\n\n1. Run:\n\n    ```\nmake deploy\n```\n\n1. Check.\n"
    (root / "upgrade.html.md").write_text(text)
    (root / "upgrade.md").write_text(text)
    findings = {(f.path, f.rule) for f in _report(root).findings}
    assert findings == {("upgrade.md", "RV001")}  # on a git host it is broken, as GitHub shows
