"""The symptom sidebar in the real window: filter, ticks, alerts, guided triage, live updates."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidgetItem, QTreeWidgetItemIterator

from tests.conftest import MakeLibrary
from viewer.ui.main_window import MainWindow
from viewer.ui.search_panel import HIT_ROLE
from viewer.ui.theme import severity_colour
from viewer.ui.triage_panel import KIND_ROLE, TARGET_ROLE

FILES = {
    "README.md": "# Team runbooks\n",
    "db.md": "---\nseverity: SEV1\n---\n# Postgres pool exhausted\n\n## Symptoms\n\n"
             "- Too many connections\n- Requests time out\n\n"
             "## Step 1: Count sessions\n\nRun the query.\n\n## Step 2: Kill idle ones\n",
    "cache.md": "# Redis full\n\n**Symptoms:** Requests time out, cache miss rate over 20%\n\n"
                "## If memory is full\n\nRaise maxmemory.\n",
    "alerts/KubeJobFailed.md": "# KubeJobFailed\n\n## Meaning\n\nA job failed.\n\n"
                               "## Mitigation\n\n### Re-run it\n",
    "triage.yaml": "question: What do you see?\nanswers:\n"
                   "  - answer: Slow requests\n    question: Database busy?\n    answers:\n"
                   "      - answer: Yes\n        open: db.md#step-1-count-sessions\n",
}


def filled(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    # The panel is built once the first page is on screen, then filled from the index.
    qtbot.waitUntil(lambda: window.triage_panel is not None
                    and window.triage_panel.tree.topLevelItemCount() > 0, timeout=20000)


def items(window: MainWindow, kind: str, visible_only: bool = False) -> list[QTreeWidgetItem]:
    found = []
    iterator = QTreeWidgetItemIterator(window.triage_panel.tree)
    while iterator.value():
        item = iterator.value()
        hidden = item.isHidden() or (item.parent() is not None and item.parent().isHidden())
        if item.data(0, KIND_ROLE) == kind and not (visible_only and hidden):
            found.append(item)
        iterator += 1
    return found


def typed(qtbot, window: MainWindow, text: str):  # type: ignore[no-untyped-def]
    """The panel once ``text`` is typed in its filter, as a user would."""
    filled(qtbot, window)
    panel = window.triage_panel
    window.focus_symptoms()
    qtbot.keyClicks(panel.filter, text)
    return panel


def symptom(window: MainWindow, text: str) -> QTreeWidgetItem:
    return next(i for i in items(window, "symptom") if i.text(0) == text)


def opened(window: MainWindow, text: str) -> QTreeWidgetItem:
    """A symptom item, expanded as a user would, so its scenarios are read."""
    item = symptom(window, text)
    item.setExpanded(True)
    return item


def test_filter_narrows_and_a_click_opens_the_scenario_at_its_anchor(
        qtbot, open_window, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    window = open_window(make_library(FILES))
    filled(qtbot, window)
    panel = window.triage_panel
    assert {i.text(0) for i in items(window, "symptom")} >= {
        "Too many connections", "Requests time out", "cache miss rate over 20%",
        "KubeJobFailed: A job failed"}
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(panel.filter, "connections")
    assert [i.text(0) for i in items(window, "symptom", visible_only=True)] == [
        "Too many connections"]
    scenario = opened(window, "Too many connections").child(0)
    assert scenario.text(0) == "[SEV1] Postgres pool exhausted"
    assert scenario.foreground(0).color().name() == "#c62828"
    branch = scenario.child(1)
    assert branch.text(0) == "Step 2: Kill idle ones"
    with qtbot.waitSignal(window.page_shown, timeout=10000):
        panel._activated(branch)
    assert (window.history.current.path, window.history.current.anchor) == (
        "db.md", "step-2-kill-idle-ones")
    assert branch.data(0, TARGET_ROLE) == ("db.md", "step-2-kill-idle-ones")


@pytest.mark.parametrize("big", [False, True], ids=["small library", "big library"])
def test_ticking_symptoms_ranks_the_scenarios(qtbot, open_window,  # type: ignore[no-untyped-def]
                                             make_library: MakeLibrary, monkeypatch,
                                             big: bool) -> None:
    if big:  # symptoms thousands of runbooks list: ranked in the background
        from viewer.ui import triage_panel

        monkeypatch.setattr(triage_panel, "READ_HERE_UP_TO", 0)
    window = open_window(make_library(FILES))
    filled(qtbot, window)
    panel = window.triage_panel
    assert panel.ranked_box.isHidden()

    def ranked_now() -> list[str]:
        return [panel.ranked.item(i).text() for i in range(panel.ranked.count())]

    symptom(window, "Requests time out").setCheckState(0, Qt.CheckState.Checked)
    assert panel.ranked_label.text().startswith("Ranking") == big  # said while it counts
    qtbot.waitUntil(lambda: len(ranked_now()) == 2, timeout=10000)
    assert all(r.startswith("1 of 1") for r in ranked_now())
    symptom(window, "Too many connections").setCheckState(0, Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: bool(ranked_now()) and ranked_now()[0].startswith("2 of 2"),
                    timeout=10000)
    ranked = ranked_now()
    assert ranked[0] == "2 of 2 · Postgres pool exhausted [SEV1]"
    assert ranked[1] == "1 of 2 · Redis full"
    with qtbot.waitSignal(window.page_shown, timeout=10000):
        panel._ranked_activated(panel.ranked.item(1))
    assert window.history.current.path == "cache.md"
    panel.clear_ticks()
    assert panel.ticked() == set() and panel.ranked_box.isHidden()


def test_a_pasted_alert_opens_its_runbook(qtbot, open_window,  # type: ignore[no-untyped-def]
                                          make_library: MakeLibrary) -> None:
    window = open_window(make_library(FILES))
    filled(qtbot, window)
    with qtbot.waitSignal(window.page_shown, timeout=10000):
        window.triage_panel.filter.setText(
            "[FIRING:1] KubeJobFailed batch/nightly-export severity=warning")
    assert window.history.current.path == "alerts/KubeJobFailed.md"
    assert "opened its runbook" in window.triage_panel.status.text()


def test_editing_a_pasted_alert_does_not_open_its_runbook_again_at_each_key(
        qtbot, open_window, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    window = open_window(make_library(FILES))
    filled(qtbot, window)
    panel = window.triage_panel
    with qtbot.waitSignal(window.page_shown, timeout=10000):
        panel.filter.setText("[FIRING:1] KubeJobFailed batch/nightly-export")
    opened: list[str] = []
    window.page_shown.connect(opened.append)
    qtbot.keyClicks(panel.filter, " in prod")  # a big runbook took a render per key
    qtbot.wait(300)
    assert opened == [] and window.history.current.path == "alerts/KubeJobFailed.md"
    # Once the reader has moved on, the same alert pasted again opens it again.
    with qtbot.waitSignal(window.page_shown, timeout=10000):
        window.open("db.md")
    with qtbot.waitSignal(window.page_shown, timeout=10000):
        panel.filter.setText("[FIRING:1] KubeJobFailed batch/weekly-export")
    assert window.history.current.path == "alerts/KubeJobFailed.md"


def test_a_pasted_log_line_opens_the_section_of_its_error_code(
        qtbot, open_window, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    files = {**FILES, "ledger.md": (
        "# Ledger\n\n## Errors\n\n### err-ledger-entry-too-old\n\nThe ledger rejects an "
        "entry older than its retention window.\n\n### err-ledger-duplicate-key\n\nThe "
        "ledger rejects a key it already holds.\n")}
    window = open_window(make_library(files))
    filled(qtbot, window)
    with qtbot.waitSignal(window.page_shown, timeout=10000):
        window.triage_panel.filter.setText(
            'level=error msg="write failed" err="entry rejected (err-ledger-entry-too-old)"')
    assert (window.history.current.path, window.history.current.anchor) == (
        "ledger.md", "err-ledger-entry-too-old")
    # Long words typed that name no alert or error code still filter the symptoms.
    window.triage_panel.filter.setText("requests time out for every customer in the EU region")
    assert "No symptom" in window.triage_panel.status.text() or \
        "closest" in window.triage_panel.status.text()


def test_guided_triage_walks_to_a_runbook(qtbot, open_window,  # type: ignore[no-untyped-def]
                                          make_library: MakeLibrary) -> None:
    window = open_window(make_library(FILES))
    filled(qtbot, window)
    panel = window.triage_panel
    assert panel.start_button.isVisibleTo(panel)
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    assert panel.walk_question.text() == "What do you see?"
    first = panel.walk_answers.itemAt(0).widget()
    qtbot.mouseClick(first, Qt.MouseButton.LeftButton)
    assert panel.walk_question.text() == "Database busy?"
    with qtbot.waitSignal(window.page_shown, timeout=10000):
        qtbot.mouseClick(panel.walk_answers.itemAt(0).widget(), Qt.MouseButton.LeftButton)
    assert (window.history.current.path, window.history.current.anchor) == (
        "db.md", "step-1-count-sessions")


def test_a_broken_triage_file_is_named_and_the_tree_still_shows(
        qtbot, open_window, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    window = open_window(make_library({**FILES, "triage.yaml": "question: x\nanswers: 3\n"}))
    filled(qtbot, window)
    panel = window.triage_panel
    assert panel.note.text().startswith("triage.yaml, line 2:")
    assert not panel.start_button.isVisibleTo(panel)
    assert items(window, "symptom")


def test_the_sidebar_follows_edits_and_keeps_ticks_and_expansion(
        qtbot, open_window, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    root = make_library(FILES)
    window = open_window(root)
    filled(qtbot, window)
    symptom(window, "Too many connections").setCheckState(0, Qt.CheckState.Checked)
    opened(window, "Requests time out")
    (root / "new.md").write_text("# Disk full\n\n**Symptoms:** Disk usage over 90%\n")
    qtbot.waitUntil(lambda: any(i.text(0) == "Disk usage over 90%"
                                for i in items(window, "symptom")), timeout=15000)
    assert symptom(window, "Too many connections").checkState(0) == Qt.CheckState.Checked
    assert symptom(window, "Requests time out").isExpanded()
    assert symptom(window, "Requests time out").childCount() == 2  # read again
    assert window.triage_panel.ranked.count() == 1
    # Worked out again with the change, and kept: the next start reads it back.
    assert window.keeper.index.symptom_overview_kept()


def test_typing_more_than_a_symptom_says_shows_the_closest_and_enter_opens_it(
        qtbot, open_window, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    window = open_window(make_library(FILES))
    panel = typed(qtbot, window, "cache misses over 20% on checkout")
    assert [i.text(0) for i in items(window, "symptom", visible_only=True)] == [
        "cache miss rate over 20%"]
    assert "closest" in panel.status.text() and "4 of 5 words" in panel.status.text()
    with qtbot.waitSignal(window.page_shown, timeout=10000):
        qtbot.keyClick(panel.filter, Qt.Key.Key_Return)
    assert window.history.current.path == "cache.md"


def test_a_filter_matching_no_symptom_sends_enter_to_full_text_search(
        qtbot, open_window, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    window = open_window(make_library(FILES))
    panel = typed(qtbot, window, "maxmemory")
    assert items(window, "symptom", visible_only=True) == []
    assert "Enter searches every runbook" in panel.status.text()
    qtbot.keyClick(panel.filter, Qt.Key.Key_Return)
    search = window.search_panel
    assert search.field.text() == "maxmemory" and search.field.hasFocus()
    qtbot.waitUntil(lambda: search.results.count() > 0, timeout=10000)
    assert "Redis full" in search.results.item(0).data(HIT_ROLE).title


def test_a_filter_leaving_few_symptoms_shows_their_scenarios(
        qtbot, open_window, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    window = open_window(make_library(FILES))
    typed(qtbot, window, "time out")
    shown = symptom(window, "Requests time out")
    assert shown.isExpanded()
    assert sorted(shown.child(i).text(0) for i in range(shown.childCount())) == [
        "Redis full", "[SEV1] Postgres pool exhausted"]


def test_down_from_the_filter_reaches_the_first_runbook_and_enter_opens_it(
        qtbot, open_window, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    window = open_window(make_library(FILES))
    window.show()
    panel = typed(qtbot, window, "too many connections")
    qtbot.keyClick(panel.filter, Qt.Key.Key_Down)
    assert panel.tree.hasFocus()
    assert panel.tree.currentItem().text(0) == "[SEV1] Postgres pool exhausted"
    with qtbot.waitSignal(window.page_shown, timeout=10000):
        qtbot.keyClick(panel.tree, Qt.Key.Key_Return)
    assert window.history.current.path == "db.md"


def test_a_scenario_named_with_its_severity_does_not_repeat_it(
        qtbot, open_window, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    window = open_window(make_library({
        "README.md": "# Team runbooks\n",
        "gw.md": "# Gateway\n\n## SEV2: Gateway errors\n\n**Symptoms:** 503s at the edge\n"}))
    filled(qtbot, window)
    scenario = opened(window, "503s at the edge").child(0)
    assert scenario.text(0) == "SEV2: Gateway errors — Gateway"
    assert scenario.foreground(0).color() == severity_colour("SEV2")  # still its colour


TWO_ALERTS = ("[FIRING:2] (prod)\n*Labels:*\n - alertname = KubeJobFailed\n - namespace = batch\n"
              "*Labels:*\n - alertname = etcdNoLeader\n - job = etcd\n")


def test_a_notification_with_two_alerts_lists_both(qtbot, open_window,  # type: ignore[no-untyped-def]
                                                   make_library: MakeLibrary) -> None:
    files = dict(FILES)
    files["alerts/etcdNoLeader.md"] = ("# etcdNoLeader\n\n## Meaning\n\nThe etcd cluster has no "
                                       "leader.\n\n## Mitigation\n\nRestart a member.\n")
    window = open_window(make_library(files))
    filled(qtbot, window)
    panel = window.triage_panel
    panel.filter.setText(TWO_ALERTS)  # a paste
    listed = [panel.alerts.item(i).text() for i in range(panel.alerts.count())]
    assert panel.alerts.isVisible() and len(listed) == 2
    assert listed == ["KubeJobFailed → alerts/KubeJobFailed.md",
                      "etcdNoLeader → alerts/etcdNoLeader.md"]
    assert "namespace=batch" in panel.alerts.item(0).toolTip()
    with qtbot.waitSignal(window.page_shown, timeout=10000):
        qtbot.mouseClick(panel.alerts.viewport(), Qt.MouseButton.LeftButton,
                         pos=panel.alerts.visualItemRect(panel.alerts.item(1)).center())
    assert window.document.path == "alerts/etcdNoLeader.md"


def test_an_alert_with_a_runbook_in_two_languages_lists_each_by_its_path(
        qtbot, open_window, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    """Both pages may carry the same title; the paths tell the languages apart, and the
    one in the language of the pasted alert opens."""
    window = open_window(make_library({
        "README.md": "# Team runbooks\n",
        "en/QueueStalled.md": "---\ntitle: Queue stalled\n---\n\n## Meaning\n\nNo message "
                              "was consumed for ten minutes.\n\n## Mitigation\n\nRestart.\n",
        "zh/QueueStalled.md": "---\ntitle: Queue stalled\n---\n\n## 含义\n\n十分钟内没有消费"
                              "任何消息。\n\n## 缓解\n\n重启消费者。\n"}))
    filled(qtbot, window)
    panel = window.triage_panel
    with qtbot.waitSignal(window.page_shown, timeout=10000):
        panel.filter.setText("[FIRING:1] QueueStalled (队列停止消费 namespace=prod)")
    listed = [panel.alerts.item(i).text() for i in range(panel.alerts.count())]
    assert listed == ["QueueStalled → zh/QueueStalled.md", "QueueStalled → en/QueueStalled.md"]
    assert window.document.path == "zh/QueueStalled.md"


def test_a_pasted_alert_without_a_runbook_suggests_and_enter_searches_its_name(
        qtbot, open_window, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    window = open_window(make_library(FILES))
    filled(qtbot, window)
    panel = window.triage_panel
    shown = window.document.path
    panel.filter.setText("[FIRING:1] KubeJobFailedTwice (namespace=batch)")
    first = panel.alerts.item(0).text()
    assert first == "No runbook for KubeJobFailedTwice; closest: KubeJobFailed"
    assert window.document.path == shown  # a near name is never opened by itself
    panel.filter.setFocus()
    qtbot.keyClick(panel.filter, Qt.Key.Key_Return)
    assert window.search_panel.field.text() == "KubeJobFailedTwice"


def test_a_symptom_shows_its_short_label_and_the_whole_sentence_as_tooltip(
        qtbot, open_window, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    files = dict(FILES)
    files["alerts/SouthboundStale.md"] = (
        "# SouthboundStale\n\n## Meaning\n\nThis alert is triggered when northd or southbound "
        "database processes are not answering within the expected interval.\n\n## Impact\n\n"
        "Networking changes stall.\n")
    window = open_window(make_library(files))
    filled(qtbot, window)
    item = next(i for i in items(window, "symptom") if i.text(0).startswith("SouthboundStale"))
    assert item.text(0) == "SouthboundStale: Northd or southbound database processes…"
    assert "within the expected interval" in item.toolTip(0)


def test_an_overdue_runbook_is_marked_among_a_symptoms_scenarios_not_hidden(
        qtbot, open_window, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    files = dict(FILES)
    files["db.md"] = files["db.md"].replace("severity: SEV1\n",
                                            "severity: SEV1\nreview_by: 2020-01-01\n")
    window = open_window(make_library(files))
    filled(qtbot, window)
    item = opened(window, "Requests time out")
    scenarios = {item.child(i).data(0, TARGET_ROLE)[0]: item.child(i)
                 for i in range(item.childCount())}
    assert set(scenarios) == {"db.md", "cache.md"}, "an overdue runbook is still listed"
    qtbot.waitUntil(lambda: "review overdue" in scenarios["db.md"].text(0), timeout=10000)
    assert "review overdue" not in scenarios["cache.md"].text(0)


def test_the_sidebar_shows_what_the_index_held_while_it_checks_the_files(
        qtbot, open_window, make_library: MakeLibrary,  # type: ignore[no-untyped-def]
        monkeypatch) -> None:
    import threading

    from viewer.core.library import Library
    from viewer.core.search import open_index
    from viewer.core.search.refresh import refresh_index
    from viewer.ui import index_keeper

    root = make_library(FILES)
    library = Library(root)
    last_session = open_index(library)
    refresh_index(last_session, library)
    last_session.close()
    checking = threading.Event()

    def slow_check(*args, **kwargs):  # type: ignore[no-untyped-def]
        checking.wait(10)  # a big library's walk, held until the sidebar is seen
        return refresh_index(*args, **kwargs)

    monkeypatch.setattr(index_keeper, "refresh_index", slow_check)
    window = open_window(root)
    try:
        filled(qtbot, window)
        assert not window.keeper.ready  # the check is still running
        assert symptom(window, "Too many connections") is not None
    finally:
        checking.set()
    qtbot.waitUntil(lambda: window.keeper.ready, timeout=15000)


def test_a_symptom_many_runbooks_list_is_read_in_the_background_and_shows_the_first(
        qtbot, open_window, make_library: MakeLibrary,  # type: ignore[no-untyped-def]
        monkeypatch) -> None:
    from viewer.ui import triage_panel

    monkeypatch.setattr(triage_panel, "SHOWN_PER_SYMPTOM", 2)
    monkeypatch.setattr(triage_panel, "READ_HERE_UP_TO", 0)  # as a big library's symptom
    files = {f"svc{n}.md": f"# Service {n}\n\n## Lagging\n\n**Symptoms:** consumer lag over "
                           f"10 minutes\n" for n in range(4)}
    files["svc0.md"] = files["svc0.md"].replace("# Service 0", "---\nseverity: SEV1\n---\n"
                                                "# Service 0")
    window = open_window(make_library(files))
    filled(qtbot, window)
    item = symptom(window, "consumer lag over 10 minutes")
    item.setExpanded(True)
    assert item.childCount() == 1 and item.child(0).text(0).startswith("Reading")
    qtbot.waitUntil(lambda: item.childCount() == 3, timeout=10000)
    kinds = [item.child(i).data(0, KIND_ROLE) for i in range(3)]
    assert kinds == ["scenario", "scenario", "more"]
    assert item.child(0).data(0, TARGET_ROLE)[0] == "svc0.md"  # the most severe first
    assert item.child(2).text(0).startswith("… and 2 more")
    # Opening that line searches every runbook for the symptom.
    window.triage_panel._activated(item.child(2))
    qtbot.waitUntil(lambda: window.search_panel is not None and window.search_panel.field.text()
                    == '"consumer lag over 10 minutes"', timeout=5000)
    with qtbot.waitSignal(window.page_shown, timeout=10000):
        window.triage_panel._activated(item.child(1))
    assert window.history.current.path.startswith("svc")


def test_the_count_under_the_sidebar_says_one_category_not_one_categories(
        qtbot, open_window, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    window = open_window(make_library({
        "tls.md": "# TLS\n\n## Symptoms\n\n- Certificate expired on the gateway\n"
                  "- Handshake failures from clients\n"}))
    filled(qtbot, window)
    assert window.triage_panel.status.text() == "2 symptoms in 1 category"
