"""What a link, a command line or an Alertmanager payload asks the window to open."""

from __future__ import annotations

import json

import pytest

from tests.conftest import MakeLibrary
from viewer.core.document import Document, Heading
from viewer.core.library import Library
from viewer.core.open_request import (
    BadRequest,
    OpenRequest,
    closest_anchor,
    from_alertmanager_json,
    library_page,
    parse_target,
)


@pytest.mark.parametrize(("target", "expected"), [
    ("runbook-viewer://open?path=alerts/X.md#diagnosis",
     OpenRequest(path="alerts/X.md", anchor="diagnosis")),
    ("runbook-viewer://open?path=alerts%2FEtcd%20down.md&anchor=steps",
     OpenRequest(path="alerts/Etcd down.md", anchor="steps")),
    ("runbook-viewer://open?url=https%3A%2F%2Fgithub.com%2Fa%2Fb%2Fblob%2Fmain%2FX.md%23why",
     OpenRequest(url="https://github.com/a/b/blob/main/X.md#why")),
    ("runbook-viewer://open?alert=KubePodCrashLooping", OpenRequest(alert="KubePodCrashLooping")),
    ("runbook-viewer://open", OpenRequest()),
    ("https://runbooks.example.com/alerts/x/", OpenRequest(url="https://runbooks.example.com/alerts/x/")),
    ("alerts/X.md#mitigation", OpenRequest(path="alerts/X.md", anchor="mitigation")),
    ("", OpenRequest()),
])
def test_targets(target: str, expected: OpenRequest) -> None:
    assert parse_target(target) == expected


@pytest.mark.parametrize("target", [
    "runbook-viewer://delete?path=x.md", "ftp://example.com/x.md",
    "runbook-viewer://open?url=file:///etc/passwd", "runbook-viewer://open?colour=red",
])
def test_targets_that_are_refused_with_a_reason(target: str) -> None:
    with pytest.raises(BadRequest):
        parse_target(target)


def test_a_request_survives_the_trip_to_the_running_window() -> None:
    request = OpenRequest(url="https://x.example/a", alert="A", labels={"pod": "p-1"})
    assert OpenRequest.from_line(request.to_line()) == request
    with pytest.raises(BadRequest):
        OpenRequest.from_line(b"\xff\xfe not json\n")
    assert OpenRequest.from_line(b'{"path": 3, "labels": [1]}\n') == OpenRequest()


WEBHOOK = {"version": "4", "status": "firing", "alerts": [
    {"status": "resolved", "labels": {"alertname": "Old"}, "annotations": {}},
    {"status": "firing", "labels": {"alertname": "EtcdMembersDown", "job": "etcd"},
     "annotations": {"runbook_url": "https://runbooks.example.com/etcd/etcdmembersdown/"}},
]}


def test_the_first_firing_alert_of_a_webhook_payload() -> None:
    request = from_alertmanager_json(json.dumps(WEBHOOK))
    assert request.url == "https://runbooks.example.com/etcd/etcdmembersdown/"
    assert request.alert == "EtcdMembersDown"
    assert request.labels == {"alertname": "EtcdMembersDown", "job": "etcd"}


def test_amtool_output_without_runbook_url_opens_by_name() -> None:
    amtool = [{"labels": {"alertname": "DiskFull", "instance": "db-1"}, "annotations": {},
               "status": {"state": "suppressed"}},
              {"labels": {"alertname": "NodeDown"}, "annotations": {"runbook_url": "see wiki"},
               "status": {"state": "active"}}]
    request = from_alertmanager_json(json.dumps(amtool))
    assert (request.url, request.alert) == ("", "NodeDown")


@pytest.mark.parametrize("text", ["not json", "[]", '{"alerts": [{"labels": {}}]}', "42"])
def test_payloads_without_an_alert_say_so(text: str) -> None:
    with pytest.raises(BadRequest):
        from_alertmanager_json(text)


def test_a_fragment_finds_the_heading_it_meant() -> None:
    doc = Document("x.md", "markdown", "X", "", headings=[
        Heading(1, "Disk full", "disk-full"), Heading(2, "Step 1: Free space", "step-1-free-space"),
        Heading(2, "Mitigation", "mitigation")])
    assert closest_anchor(doc, "mitigation") == "mitigation"
    assert closest_anchor(doc, "user-content-mitigation") == "mitigation"
    assert closest_anchor(doc, "step-1--free-space") == "step-1-free-space"  # GitHub's double dash
    assert closest_anchor(doc, "Step%201%3A%20Free%20space") == "step-1-free-space"
    assert closest_anchor(doc, "L40") == ""  # a line of the file: the top of the page
    assert closest_anchor(doc, "rollback") == ""


def test_a_path_is_found_in_the_library_or_under_one_of_its_sources(
        make_library: MakeLibrary) -> None:
    root = make_library({"alerts/X.md": "# X\n", "notes.yaml": "a: 1\n"})
    library = Library(root)
    assert library_page(library, "alerts/X.md") == "alerts/X.md"
    assert library_page(library, str(root / "alerts" / "X.md")) == "alerts/X.md"
    assert library_page(library, "../library/alerts/X.md") is None
    assert library_page(library, "/etc/passwd") is None
    assert library_page(library, "notes.yaml") is None  # not a runbook
    assert library_page(library, "alerts/Y.md") is None
