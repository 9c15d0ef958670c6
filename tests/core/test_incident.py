"""Incidents: the timeline survives kills, ticks follow their steps, the hand-over is exact."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import REPO
from viewer.core.incident import export, store
from viewer.core.incident.log import IncidentLog
from viewer.core.incident.session import Incident
from viewer.core.render.page import page_html
from viewer.core.rendering import render_text
from viewer.core.variables.catalog import filled_block
from viewer.core.variables.values import VariableValues

T0 = datetime(2026, 12, 7, 3, 0, 0, tzinfo=UTC)
RUNBOOK = """# Checkout down

## Mitigation

1. Scale the deployment up
2. Restart the pods

```bash
kubectl -n <namespace> rollout restart deploy/checkout
```
"""
GOLDEN = Path(__file__).parent / "golden" / "incident.md"


def _steps(text: str) -> dict[str, str]:
    return {s.text: s.id for s in render_text(text, "checkout.md").steps}


def _incident(isolated_user_dirs: Path) -> Incident:  # the fixture keeps it out of $HOME
    incident_id = store.start("Checkout 503s", "[FIRING:1] CheckoutDown (namespace=shop)",
                              {"namespace": "shop"}, moment=T0)
    return Incident(incident_id)


def test_the_markdown_hand_over_under_a_fixed_clock(isolated_user_dirs: Path) -> None:
    incident = _incident(isolated_user_dirs)
    document = render_text(RUNBOOK, "checkout.md")
    restart = next(s for s in document.steps if s.text == "Restart the pods")
    log = incident.log
    log.append("opened", T0 + timedelta(minutes=1), path="checkout.md", anchor="mitigation",
               version="commit 1a2b3c4")
    log.append("variable", T0 + timedelta(minutes=2), name="namespace",
               source="alert label namespace", value="shop")
    log.append("tick", T0 + timedelta(minutes=3), path="checkout.md", anchor="mitigation",
               step=restart.id, text=restart.text, ticked=True)
    log.append("copied", T0 + timedelta(minutes=4), path="checkout.md", anchor="mitigation",
               block=1, text="kubectl -n shop rollout restart deploy/checkout")
    log.append("variable", T0 + timedelta(minutes=5), name="token", source="typed", secret=True)
    note = log.append("note", T0 + timedelta(minutes=9), text="Pods back | error rate falling")
    log.append("retime", T0 + timedelta(minutes=10), target=note["id"],
               when="2026-12-07T03:07:00Z")  # back-dated: it happened before it was typed
    store.end(incident.id, T0 + timedelta(minutes=20))
    assert export.markdown(incident.timeline()) == GOLDEN.read_text(encoding="utf-8")
    assert store.active_id() == ""


def test_a_tick_stays_on_its_step_when_a_step_is_inserted_above_it() -> None:
    before = _steps(RUNBOOK)
    after = _steps(RUNBOOK.replace("1. Scale the deployment up\n",
                                   "1. Page the database team\n2. Scale the deployment up\n"))
    ticked = {before["Restart the pods"]}
    assert before["Restart the pods"] == after["Restart the pods"]
    assert after["Page the database team"] not in ticked
    shown = page_html(render_text(RUNBOOK.replace("1. Scale", "1. Page the database team\n"
                                                  "2. Scale"), "checkout.md"), ticked=ticked)
    assert shown.count('class="tick-done"') == 1
    assert '\u2611</a>&nbsp;Restart the pods' in shown


def test_renumbered_step_headings_keep_their_identity() -> None:
    one = _steps("# R\n## Step 1: Drain\n## Step 2: Reboot\n")
    two = _steps("# R\n## Step 1: Check\n## Step 2: Drain\n## Step 3: Reboot\n")
    assert one["Step 2: Reboot"] == two["Step 3: Reboot"]


def test_no_tick_box_and_no_trace_of_one_without_an_incident() -> None:
    shown = page_html(render_text(RUNBOOK + "\n- [ ] all green\n", "checkout.md"))
    assert "tick:" not in shown and "\ue014" not in shown and "\ue015" not in shown
    assert "\u2610 all green" in shown


def test_a_secret_is_in_no_export_and_no_file(isolated_user_dirs: Path) -> None:
    secret = "s3cr3t-Vk28-token"
    incident = _incident(isolated_user_dirs)
    document = render_text("---\nvariables:\n  token: {secret: true}\n---\n# API\n```bash\n"
                           "curl -H 'Token: <token>' https://api.example\n```\n", "api.md")
    values = VariableValues()
    values.set("token", secret)
    incident.copied("api.md", "", 1, filled_block(document, 0, values, masked=True).text)
    incident.variable("token", "typed", secret, True)
    timeline = incident.timeline()
    for text in (export.markdown(timeline), export.as_json(timeline),
                 *export.slack(timeline)):
        assert secret not in text
    assert "\u2022" * 8 in export.markdown(timeline)  # it says something was there
    files = [p for p in isolated_user_dirs.rglob("*") if p.is_file()]
    assert files and not [p for p in files if secret.encode() in p.read_bytes()]


def test_slack_messages_each_stay_under_the_limit(isolated_user_dirs: Path) -> None:
    incident = _incident(isolated_user_dirs)
    for number in range(120):
        incident.note(f"Step {number}: " + "checked the pods and the logs again " * 3)
    incident.note("x" * 9000)  # one line longer than a message
    messages = export.slack(incident.timeline())
    assert len(messages) > 1
    assert all(len(message) <= export.SLACK_LIMIT for message in messages)
    assert messages[-1].endswith(f"({len(messages)}/{len(messages)})")


def test_a_cut_last_line_is_skipped_and_the_next_event_is_kept(tmp_path: Path) -> None:
    log = IncidentLog(tmp_path / "x.jsonl")
    log.append("started", title="t")
    with log.path.open("ab") as handle:
        handle.write(b'{"id":"abc","kind":"note","te')  # a kill in the middle of a write
    log.append("note", text="after")
    assert [e["kind"] for e in log.events()] == ["started", "note"]
    assert log.events()[-1]["text"] == "after"


_WRITER = """
import sys
from viewer.core.incident.log import IncidentLog
log = IncidentLog(__import__("pathlib").Path(sys.argv[1]))
for number in range(100000):
    log.append("note", text=f"event {number}")
    print(number, flush=True)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_killing_the_writer_loses_no_event_it_reported(tmp_path: Path) -> None:
    for run in range(20):
        path = tmp_path / f"run{run}.jsonl"
        with subprocess.Popen([sys.executable, "-c", _WRITER, str(path)],
                              stdout=subprocess.PIPE, text=True, cwd=REPO,
                              env=dict(os.environ, PYTHONPATH=str(REPO))) as process:
            assert process.stdout is not None
            reported = -1
            deadline = time.monotonic() + 30
            wanted = 5 + run * 3  # kill at a different point each run
            while reported < wanted and time.monotonic() < deadline:
                reported = int(process.stdout.readline())
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
        events = IncidentLog(path).events()
        texts = [e["text"] for e in events]
        assert texts[:reported + 1] == [f"event {n}" for n in range(reported + 1)]
        assert all(json.loads(line) for line in path.read_text().splitlines()[:-1])
