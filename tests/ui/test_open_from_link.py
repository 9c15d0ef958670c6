"""An alert's link opens the offline copy: a second launch hands its request to the window."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, MakeLibrary
from viewer.core.config import Settings
from viewer.core.library import Library
from viewer.core.open_request import OpenRequest
from viewer.sync.sources import SourceList, new_source, save_sources
from viewer.sync.union import build_union
from viewer.ui.instance_server import InstanceServer
from viewer.ui.main_window import MainWindow

pytestmark = pytest.mark.gui

RUNBOOKS = {
    "alerts/EtcdMembersDown.md": "# EtcdMembersDown\n\n## Meaning\n\nMembers are down.\n\n"
                                 + "filler paragraph\n\n" * 80 + "## Mitigation\n\nRestart.\n",
    "README.md": "# Team runbooks\n",
}


def _second_launch(qtbot, *args: str, stdin: str = "") -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """``runbook-viewer ARGS`` as the desktop or a terminal would start it, while this
    process's window keeps answering; its exit code and what it printed on stderr."""
    launch = subprocess.Popen([sys.executable, "-m", "viewer", *args], cwd=REPO, text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE,
                              env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert launch.stdin is not None
    launch.stdin.write(stdin)
    launch.stdin.close()
    try:
        qtbot.waitUntil(lambda: launch.poll() is not None, timeout=30000)
    finally:
        if launch.poll() is None:  # it opened a window of its own instead
            launch.kill()
    assert launch.stdout is not None and launch.stderr is not None
    with launch.stdout, launch.stderr:
        err = launch.stderr.read()
    return launch.wait(), err


def _window_with_server(qtbot, library: Library) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(library, Settings(), start="README.md")
    qtbot.addWidget(window)
    server = InstanceServer(window)
    assert server.listen()
    server.requested.connect(window.opener.handle)
    window.show()
    qtbot.waitUntil(lambda: window.history.current is not None, timeout=10000)
    return window


def test_a_second_launch_hands_its_page_to_the_running_window(
        qtbot, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    window = _window_with_server(qtbot, Library(make_library(RUNBOOKS)))
    started = time.perf_counter()
    code, err = _second_launch(qtbot, "open", "runbook-viewer://open?path=alerts/"
                                              "EtcdMembersDown.md#mitigation")
    assert code == 0, err
    assert time.perf_counter() - started < 30  # it handed over and exited, no second window
    qtbot.waitUntil(lambda: window.history.current.path == "alerts/EtcdMembersDown.md",
                    timeout=10000)
    qtbot.waitUntil(lambda: window.view.verticalScrollBar().value() > 0, timeout=5000)
    assert window.history.current.anchor == "mitigation"


def test_a_forge_link_opens_the_synced_copy_and_a_stray_one_offers_a_search(
        qtbot, make_library: MakeLibrary, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = make_library(RUNBOOKS)
    source, _ = new_source("ops", str(folder))
    source.site_urls = ["https://runbooks.example.com/"]
    listing = SourceList([source], show_bundled=False)
    save_sources(listing)
    window = _window_with_server(qtbot, Library(build_union(listing)))
    code, err = _second_launch(qtbot, "open",
                               "https://runbooks.example.com/alerts/etcdmembersdown/")
    assert code == 0, err
    qtbot.waitUntil(lambda: window.history.current.path == "ops/alerts/EtcdMembersDown.md",
                    timeout=10000)
    window.opener.handle(OpenRequest(url="https://github.com/acme/x/blob/main/NodeDown.md"))
    assert "not in your runbooks" in window.message_bar.text
    assert "ops (https://runbooks.example.com/)" in window.message_bar.text
    assert window.message_bar.action_button.text() == "Search for NodeDown"
    window.message_bar.action_button.click()
    qtbot.waitUntil(lambda: window.search_panel is not None
                    and window.search_panel.field.text() == "NodeDown", timeout=5000)


def test_an_alert_name_opens_what_pasting_it_would(
        qtbot, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    window = _window_with_server(qtbot, Library(make_library(RUNBOOKS)))
    qtbot.waitUntil(lambda: window.keeper is not None and window.keeper.ready, timeout=30000)
    payload = ('{"alerts": [{"status": "firing", "labels": {"alertname": "EtcdMembersDown",'
               ' "job": "etcd"}, "annotations": {}}]}')
    code, err = _second_launch(qtbot, "open", "--alert-json", "-", stdin=payload)
    assert code == 0, err
    qtbot.waitUntil(lambda: window.history.current.path == "alerts/EtcdMembersDown.md",
                    timeout=15000)


def test_handing_a_link_over_does_not_load_qt(qtbot, make_library: MakeLibrary,  # type: ignore[no-untyped-def]
                                              tmp_path: Path) -> None:
    window = _window_with_server(qtbot, Library(make_library(RUNBOOKS)))
    probe = tmp_path / "probe.py"
    probe.write_text("import sys\nfrom viewer.cli import main\ncode = main(sys.argv[1:])\n"
                     "sys.stderr.write(f'exit {code}; Qt loaded: '\n"
                     "                 f'{any(m.startswith(\"PySide6\") for m in sys.modules)}')\n")
    launch = subprocess.Popen([sys.executable, str(probe), "open", "alerts/EtcdMembersDown.md"],
                              cwd=REPO,
                              stderr=subprocess.PIPE, text=True)
    qtbot.waitUntil(lambda: launch.poll() is not None, timeout=30000)
    assert launch.stderr is not None
    with launch.stderr:
        assert launch.stderr.read().endswith("exit 0; Qt loaded: False")
    qtbot.waitUntil(lambda: window.history.current.path == "alerts/EtcdMembersDown.md",
                    timeout=10000)


def test_a_missing_page_asked_for_at_start_stays_said_after_the_start_page_shows(
        qtbot, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(Library(make_library(RUNBOOKS)), Settings(), start="README.md")
    qtbot.addWidget(window)
    window.show()
    # As `runbook-viewer open PATH` starting a window: the request is handled while the
    # start page is still being read.
    window.when_built(lambda: window.opener.handle(OpenRequest(path="alerts/NodeDown.md")))
    qtbot.waitUntil(lambda: window.document is not None, timeout=10000)
    qtbot.wait(50)
    assert window.history.current.path == "README.md"
    assert "alerts/NodeDown.md is not in the library shown" in window.message_bar.text
    assert window.message_bar.action_button.text() == "Search for NodeDown"
    window.opener.handle(OpenRequest(path="source/manual/NodeDown.html.md.erb"))
    assert window.message_bar.action_button.text() == "Search for NodeDown"  # not "….html.md"
    # A message from before the reader moves on goes with the page it was about.
    with qtbot.waitSignal(window.page_shown, timeout=10000):
        window.open("alerts/EtcdMembersDown.md")
    assert window.message_bar.text == ""


def _pasted(qtbot, window: MainWindow, text: str):  # type: ignore[no-untyped-def]
    """The symptom sidebar once ``text`` is pasted in it and a page has opened."""
    window.triage.ensure()
    qtbot.waitUntil(lambda: window.triage.panel.tree.topLevelItemCount() > 0, timeout=20000)
    panel = window.triage.panel
    with qtbot.waitSignal(window.page_shown, timeout=10000):
        panel.filter.setText(text)
    return panel


def test_a_pasted_alert_unknown_by_name_opens_the_runbook_its_link_names(
        qtbot, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    """A team's alert named otherwise than its runbook: its runbook_url still leads there."""
    folder = make_library({**RUNBOOKS, "etcd/quorum.md": "# Quorum loss\n\n## Steps\n\n"
                                                         "Restore a member.\n"})
    source, _ = new_source("ops", str(folder))
    source.site_urls = ["https://runbooks.example.com/"]
    listing = SourceList([source], show_bundled=False)
    save_sources(listing)
    window = _window_with_server(qtbot, Library(build_union(listing)))
    panel = _pasted(qtbot, window, "[FIRING:1] EtcdQuorumAtRisk (etcd-0 critical)\n"
                                   "generatorURL: https://prometheus.example.com/graph?g0.expr=up\n"
                                   "runbook_url: https://runbooks.example.com/etcd/quorum/#steps\n")
    assert (window.history.current.path, window.history.current.anchor) == (
        "ops/etcd/quorum.md", "steps")
    assert panel.alerts.item(0).text() == "EtcdQuorumAtRisk → ops/etcd/quorum.md (its runbook link)"
    assert "opened the runbook its link names" in panel.status.text()


def test_a_pasted_alerts_runbook_link_opens_the_one_page_named_so_with_no_source(
        qtbot, make_library: MakeLibrary, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A folder opened as it is (no source, so no published address): the link's last part
    names the page. A dashboard's address in the same paste names nothing."""
    window = MainWindow(Library(make_library({
        **RUNBOOKS, "source/operator-reconcile.html.md.erb": "# Reconcile\n\n## Steps\n\nLogs.\n",
        "graph.md": "# Graph\n"})), Settings(), start="README.md")
    qtbot.addWidget(window)
    window.show()
    panel = _pasted(qtbot, window, "[FIRING:1] OperatorReconcileErrors (monitoring)\n"
                                   "generatorURL: https://prometheus.example.com/graph?g0.expr=up\n"
                                   "runbook_url: https://runbooks.example.org/operator-reconcile"
                                   ".html#steps\n")
    assert (window.history.current.path, window.history.current.anchor) == (
        "source/operator-reconcile.html.md.erb", "steps")
    # Editing the pasted text asks again at each key; the library is not looked through again.
    import viewer.core.links as links

    looked = []
    monkeypatch.setattr(links, "only_page_named",
                        lambda *args: looked.append(args) or ("graph.md", ""))
    panel.filter.setText(panel.filter.text() + " ")
    qtbot.waitUntil(lambda: panel.alerts.count() > 0
                    and "runbook link" in panel.alerts.item(0).text(), timeout=5000)
    assert looked == [] and "operator-reconcile" in panel.alerts.item(0).text()
    panel.filter.setText("[FIRING:1] SomethingElseEntirely (monitoring)\n"
                         "generatorURL: https://prometheus.example.com/graph?g0.expr=up\n")
    qtbot.wait(500)
    assert panel.alerts.count() == 0 or "runbook link" not in panel.alerts.item(0).text()
    assert window.history.current.path == "source/operator-reconcile.html.md.erb"
