"""Incident mode in the window: from a pasted alert to a hand-over that says what was done."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtWidgets import QInputDialog

from tests.ui.conftest import click_link
from viewer.core.config import Settings, shown_library
from viewer.core.incident import export, store
from viewer.core.library import Library
from viewer.sync.engine import sync_source
from viewer.sync.sources import SourceList, new_source, save_sources
from viewer.sync.union import union_library
from viewer.ui.main_window import MainWindow

pytestmark = pytest.mark.gui

RUNBOOKS = {
    "alerts/OrdersDown.md": "# OrdersDown\n\n## Meaning\n\nOrders cannot be placed.\n\n"
                            "## Impact\n\nCustomers see errors.\n\n## Mitigation\n\n"
                            "1. Check the orders pods\n2. Restart the orders pods\n\n"
                            "```bash\nkubectl -n <namespace> rollout restart deploy/orders\n```\n",
    "db.md": "# Database\n\n## Steps\n\n1. Fail over to the replica\n2. Page the DBA\n",
}


def _git_source(tmp_path: Path) -> str:
    """A git repository of RUNBOOKS synced as source "ops"; returns its commit."""
    repo = tmp_path / "ops-runbooks"
    for name, text in RUNBOOKS.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    for args in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-qm", "runbooks"]):
        subprocess.run([*git, *args], check=True, capture_output=True)
    source, _ = new_source("ops", repo.as_uri())
    save_sources(SourceList([source]))
    assert sync_source(source).ok
    return subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()


def test_from_a_pasted_alert_to_the_hand_over(qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                              isolated_user_dirs: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    commit = _git_source(tmp_path)
    union, problem = union_library()
    assert union is not None, problem
    folder, _ = shown_library(None, Settings(), union)
    window = MainWindow(Library(folder), Settings(), start="ops/db.md")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.keeper is not None and window.keeper.ready
                    and window.triage_panel.tree.topLevelItemCount() > 0, timeout=30000)
    # The alert is pasted; its runbook opens and the window offers to start an incident.
    window.focus_symptoms()
    window.triage_panel.filter.setText("[FIRING:1] OrdersDown (namespace=shop pod=orders-1)")
    qtbot.waitUntil(lambda: window.document.path == "ops/alerts/OrdersDown.md", timeout=10000)
    qtbot.waitUntil(lambda: window.message_bar.action_button.isVisible(), timeout=5000)
    assert window.message_bar.action_button.text() == "Start incident for OrdersDown"
    monkeypatch.setattr(QInputDialog, "getText",
                        lambda *args, **kwargs: (args[4] + " at the shop", True))
    window.message_bar.action_button.click()
    assert window.incidents.incident is not None
    assert window.windowTitle().startswith("[Incident: OrdersDown at the shop]")
    # Two steps ticked in two runbooks, a command copied, a note.
    qtbot.waitUntil(lambda: "tick:" in window.view.toHtml(), timeout=5000)
    steps = {s.text: s.id for s in window.document.steps}
    click_link(qtbot, window.view, f"tick:{steps['Restart the orders pods']}")
    window.page_actions.copy_code_block(0)
    window.open("ops/db.md")
    qtbot.waitUntil(lambda: window.document.path == "ops/db.md", timeout=10000)
    steps = {s.text: s.id for s in window.document.steps}
    click_link(qtbot, window.view, f"tick:{steps['Fail over to the replica']}")
    assert window.incidents.ticked_for("ops/db.md") == {steps["Fail over to the replica"]}
    monkeypatch.setattr(QInputDialog, "getMultiLineText",
                        lambda *args, **kwargs: ("Replica took over at 03:12", True))
    window.incidents.note()
    timeline = window.incidents.timeline
    assert timeline is not None
    texts = [entry.text for entry in timeline.entries]
    order = ["Incident started", "Opened ops/alerts/OrdersDown.md",
             "Done: Restart the orders pods",
             "Copied (not necessarily ran) from ops/alerts/OrdersDown.md#mitigation: "
             "kubectl -n shop rollout restart deploy/orders",
             "Opened ops/db.md", "Done: Fail over to the replica",
             "Note: Replica took over at 03:12"]
    found = [next(i for i, text in enumerate(texts) if text.startswith(want)) for want in order]
    assert found == sorted(found), texts
    handover = export.markdown(timeline)
    assert f"| ops/alerts/OrdersDown.md | commit {commit[:7]} |" in handover
    assert f"| ops/db.md | commit {commit[:7]} |" in handover
    assert "| namespace | shop (alert label namespace) |" in handover
    # The timeline is on disk, for the command line and after a crash.
    assert len(store.log_of(window.incidents.incident.id).events()) == len(texts)


def test_a_runbook_changed_mid_incident_is_offered_never_swapped(
        qtbot, open_window, make_library,  # type: ignore[no-untyped-def]
        isolated_user_dirs: Path) -> None:
    library = make_library({"db.md": "# Database\n\n## Steps\n\n1. Stop the writers\n"
                                     "2. Fail over to the replica\n"})
    window = open_window(library, start="db.md")
    qtbot.waitUntil(lambda: window.keeper is not None and window.keeper.ready, timeout=20000)
    store.start("DB down")
    qtbot.waitUntil(lambda: window.incidents.incident is not None, timeout=5000)
    qtbot.waitUntil(lambda: "tick:" in window.view.toHtml(), timeout=5000)
    fail_over = next(s.id for s in window.document.steps if s.text.startswith("Fail over"))
    click_link(qtbot, window.view, f"tick:{fail_over}")
    # The sync brings a new step, above the ticked one.
    (library / "db.md").write_text("# Database\n\n## Steps\n\n1. Page the DBA (NEW)\n"
                                   "2. Stop the writers\n3. Fail over to the replica\n")
    qtbot.waitUntil(lambda: window.message_bar.action_button.isVisible(), timeout=20000)
    assert window.message_bar.action_button.text() == "Show the new version"
    assert "NEW" not in window.view.toPlainText()  # the page did not change under the reader
    window.message_bar.action_button.click()
    qtbot.waitUntil(lambda: "NEW" in window.view.toPlainText(), timeout=10000)
    lines = [line.replace("\xa0", " ").strip() for line in window.view.toPlainText().splitlines()]
    assert "\u2611 Fail over to the replica" in lines
    assert [line for line in lines if "\u2611" in line] == [
        line for line in lines if "Fail over" in line]  # the new step is not ticked
