"""Variables in the window: typed once, filled everywhere, taken from an alert, kept secret."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QGuiApplication, QHelpEvent
from PySide6.QtWidgets import QToolTip

from tests.conftest import MakeLibrary
from tests.ui.conftest import click_link, link_position

pytestmark = pytest.mark.gui

RUNBOOKS = {
    "db.md": "# Database\n\n## Fix\n\n```bash\nkubectl -n <namespace> rollout restart "
             "deploy/db\n```\n",
    "cache.md": "# Cache\n\n```bash\nkubectl logs -n \"$NAMESPACE\" <pod>\n```\n",
}


def _type_value(qtbot, window, name: str, text: str) -> None:  # type: ignore[no-untyped-def]
    field = window.variables.panel.fields[name]
    field.setFocus()
    qtbot.keyClicks(field, text)
    # The page is shown again once typing settles.
    qtbot.waitUntil(lambda: text in window.view.toPlainText(), timeout=5000)


def test_a_value_typed_once_fills_the_next_runbook_and_its_copy(
        qtbot, open_window, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    window = open_window(make_library(RUNBOOKS), start="db.md")
    assert [v.name for v in window.variables.panel.variables] == ["namespace"]
    _type_value(qtbot, window, "namespace", "payments")
    window.open("cache.md")
    qtbot.waitUntil(lambda: window.document.path == "cache.md", timeout=10000)
    assert window.variables.panel.fields["namespace"].text() == "payments"
    assert 'kubectl logs -n "payments" <pod>' in window.view.toPlainText()
    click_link(qtbot, window.view, "copy:0")
    assert QGuiApplication.clipboard().text() == 'kubectl logs -n "payments" <pod>'
    assert "left as written: pod" in window.status_label.text()


def test_a_pasted_alert_fills_the_panel_and_the_page(
        qtbot, open_window, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    alert_runbook = ("# DbDown\n\n## Meaning\n\nThe orders database is down.\n\n"
                     "## Impact\n\nOrders fail.\n\n## Mitigation\n\n"
                     "```bash\nkubectl -n <namespace> delete pod <pod>\n```\n")
    library = make_library({**RUNBOOKS, "alerts/DbDown.md": alert_runbook})
    window = open_window(library, start="db.md")
    qtbot.waitUntil(lambda: window.triage_panel is not None and window.keeper is not None
                    and window.keeper.ready, timeout=20000)
    qtbot.waitUntil(lambda: window.triage_panel.tree.topLevelItemCount() > 0, timeout=20000)
    window.focus_symptoms()
    window.triage_panel.filter.setText("[FIRING:1] DbDown (namespace=orders pod=db-0)")
    qtbot.waitUntil(lambda: window.document.path == "alerts/DbDown.md", timeout=10000)
    panel = window.variables.panel
    qtbot.waitUntil(lambda: panel.fields.get("pod") is not None
                    and panel.fields["pod"].text() == "db-0", timeout=5000)
    assert panel.fields["namespace"].text() == "orders"
    assert "kubectl -n orders delete pod db-0" in window.view.toPlainText()
    window.page_actions.copy_code_block(0)
    assert QGuiApplication.clipboard().text() == "kubectl -n orders delete pod db-0"
    panel.reset_all()
    qtbot.waitUntil(lambda: "<pod>" in window.view.toPlainText(), timeout=5000)


def test_clicking_a_placeholder_puts_the_cursor_in_its_field(
        qtbot, open_window, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    window = open_window(make_library(RUNBOOKS), start="cache.md")
    click_link(qtbot, window.view, "var:pod")
    qtbot.waitUntil(lambda: window.variables.panel.fields["pod"].hasFocus(), timeout=3000)


def test_hovering_a_filled_value_says_where_it_came_from_as_plain_text(
        qtbot, open_window, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    library = make_library({**RUNBOOKS,
                            "odd.md": '# Odd\n\n<span title="<b>bold</b>">hover me</span>\n'})
    window = open_window(library, start="db.md")
    _type_value(qtbot, window, "namespace", "payments")
    view = window.view

    def tip_at(href_or_text: str) -> str:
        from PySide6.QtGui import QTextCursor

        position = (link_position(view, href_or_text) if ":" in href_or_text
                    else view.toPlainText().index(href_or_text) + 2)
        cursor = QTextCursor(view.document())
        cursor.setPosition(position)
        rect = view.cursorRect(cursor)
        point = QPoint(rect.center().x() + 1, rect.center().y())
        event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
        QGuiApplication.sendEvent(view.viewport(), event)
        return QToolTip.text()

    assert "namespace (typed)" in tip_at("var:namespace")
    window.open("odd.md")
    qtbot.waitUntil(lambda: window.document.path == "odd.md", timeout=10000)
    assert "&lt;b&gt;bold&lt;/b&gt;" in tip_at("hover me")  # shown as text, not laid out


def test_a_secret_value_is_masked_and_written_nowhere(
        qtbot, open_window, make_library: MakeLibrary,
        isolated_user_dirs: Path) -> None:  # type: ignore[no-untyped-def]
    secret = "hunter2-Zq9Xk7-token"
    library = make_library({"api.md": "---\nvariables:\n  token:\n    secret: true\n---\n"
                                      "# API\n\n```bash\ncurl -H \"Authorization: Bearer "
                                      "<token>\" https://api.example/health\n```\n"})
    window = open_window(library, start="api.md")
    field = window.variables.panel.fields["token"]
    assert field.echoMode() == field.EchoMode.Password
    field.setFocus()
    qtbot.keyClicks(field, secret)
    qtbot.waitUntil(lambda: "\u2022" * 8 in window.view.toPlainText(), timeout=5000)
    assert secret not in window.view.toPlainText()
    window.page_actions.copy_code_block(0)
    assert secret in QGuiApplication.clipboard().text()  # the command still works
    window.toggle_pin()
    window.close()
    written = [p for p in [*isolated_user_dirs.rglob("*"), *library.rglob("*")] if p.is_file()]
    assert written, "the session wrote its settings somewhere"
    assert not [p for p in written if secret.encode() in p.read_bytes()]
    QGuiApplication.clipboard().clear()


def test_keys_reach_the_variables(qtbot, open_window,  # type: ignore[no-untyped-def]
                                  make_library: MakeLibrary) -> None:
    window = open_window(make_library(RUNBOOKS), start="cache.md")
    window.view.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_V,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: window.variables.panel.fields["namespace"].hasFocus(), timeout=3000)


def test_a_long_placeholder_name_leaves_its_field_usable_in_a_narrow_panel(
        qtbot) -> None:  # type: ignore[no-untyped-def]
    from viewer.core.variables.catalog import Variable
    from viewer.core.variables.values import VariableValues
    from viewer.ui.variables_panel import VariablesPanel

    panel = VariablesPanel(VariableValues())
    qtbot.addWidget(panel)
    long_name = "changelog_summary_message_for_the_release_train"
    panel.set_variables([Variable(long_name, f"<{long_name}>", long_name),
                         Variable("pod", "<pod>", "pod")])
    panel.resize(260, 300)
    panel.show()
    qtbot.waitExposed(panel)

    def right_edge(widget) -> int:  # type: ignore[no-untyped-def]
        return widget.mapTo(panel, QPoint(widget.width(), 0)).x()

    for name in (long_name, "pod"):
        field = panel.fields[name]
        assert field.width() >= 120, "the field is squeezed by its name"
        assert right_edge(field) <= panel.width(), "the field runs off the panel"
        hint = panel._sources[name]
        assert right_edge(hint) <= panel.width(), "'no value yet' is cut off"
    shown = panel._grid.itemAtPosition(0, 0).widget()
    assert long_name in shown.toolTip()  # the whole name, where the label is shortened
