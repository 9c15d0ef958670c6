"""The checker's findings written for people and for CI: text, JSON, GitHub, SARIF, JUnit."""

from __future__ import annotations

import json
from html import escape

from viewer.buildinfo import version_line
from viewer.check.findings import Finding
from viewer.check.rules import BY_ID, RULES
from viewer.check.run import CheckReport

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {"error": "error", "warning": "warning", "notice": "note"}


def quoteattr(text: str) -> str:
    """An XML attribute value with its quotes (xml.sax.saxutils would pull in urllib and
    http.client: 45 ms of every check)."""
    return '"' + (escape(text, quote=False).replace('"', "&quot;").replace("\n", "&#10;")
                  .replace("\r", "&#13;").replace("\t", "&#9;")) + '"'


def render(report: CheckReport, fmt: str) -> str:
    return {"text": as_text, "json": as_json, "github": as_github, "sarif": as_sarif,
            "junit": as_junit}[fmt](report)


def as_text(report: CheckReport) -> str:
    """``file:line:col: severity RULE message``, one finding per line (compilers' form)."""
    return "".join(f"{f.path}:{f.line}:{f.column}: {f.severity} {f.rule} {f.message}\n"
                   for f in report.findings)


def as_json(report: CheckReport) -> str:
    data = {
        "version": 1,
        "pages": report.pages,
        "rule_files": report.rule_files,
        "counts": {s: report.count(s) for s in ("error", "warning", "notice")},
        "findings": [{"path": f.path, "line": f.line, "column": f.column, "rule": f.rule,
                      "name": BY_ID[f.rule].name, "severity": f.severity,
                      "message": f.message} for f in report.findings],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(report: CheckReport) -> str:
    """GitHub Actions workflow commands: each finding annotates its line in the pull request."""
    return "".join(
        f"::{f.severity} file={_gh_property(f.path)},line={f.line},col={f.column}::"
        f"{_gh_data(f'{f.rule} {BY_ID[f.rule].name}: {f.message}')}\n"
        for f in report.findings)


def as_sarif(report: CheckReport) -> str:
    """SARIF 2.1.0, as GitHub code scanning and GitLab read it."""
    index = {rule.id: i for i, rule in enumerate(RULES)}
    version = version_line().split()[0]
    run = {
        "tool": {"driver": {
            "name": "runbook-viewer check",
            "version": version,
            "rules": [{
                "id": rule.id, "name": rule.name,
                "shortDescription": {"text": rule.summary},
                "help": {"text": f"{rule.summary} See docs/checker.md, {rule.id}."},
                "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
            } for rule in RULES],
        }},
        "originalUriBaseIds": {"SRCROOT": {"description": {"text": "The library's root"}}},
        "results": [_sarif_result(f, index) for f in report.findings],
    }
    return json.dumps({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]},
                      indent=2, ensure_ascii=False) + "\n"


def _sarif_result(finding: Finding, index: dict[str, int]) -> dict:
    return {
        "ruleId": finding.rule,
        "ruleIndex": index[finding.rule],
        "level": _SARIF_LEVEL[finding.severity],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": finding.path, "uriBaseId": "SRCROOT"},
            "region": {"startLine": finding.line, "startColumn": finding.column},
        }}],
    }


def as_junit(report: CheckReport) -> str:
    """JUnit XML: one test case per finding, failed for errors and warnings."""
    failing = [f for f in report.findings if f.severity != "notice"]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<testsuites name="runbook-viewer check" tests="{max(len(report.findings), 1)}" '
             f'failures="{len(failing)}" time="{report.seconds:.3f}">',
             f'  <testsuite name="runbook-viewer check" tests="{max(len(report.findings), 1)}" '
             f'failures="{len(failing)}" errors="0" skipped="0">']
    if not report.findings:
        lines.append(f'    <testcase classname="runbook-viewer" '
                     f'name={quoteattr(f"{report.pages} pages checked")}/>')
    for f in report.findings:
        name = quoteattr(f"{f.rule} {f.path}:{f.line}:{f.column}")
        lines.append(f"    <testcase classname={quoteattr(f.path)} name={name}>")
        body = escape(f"{f.path}:{f.line}:{f.column}: {f.message}", quote=False)
        tag = "failure" if f.severity != "notice" else "system-out"
        if tag == "failure":
            lines.append(f"      <failure type={quoteattr(f.rule)} "
                         f"message={quoteattr(f.message)}>{body}</failure>")
        else:
            lines.append(f"      <system-out>{body}</system-out>")
        lines.append("    </testcase>")
    lines += ["  </testsuite>", "</testsuites>", ""]
    return "\n".join(lines)
