"""The window's actions, with their keyboard shortcuts, and the menus and toolbar showing them.

Every feature's keys are declared here in one place, so that a clash is
seen when a shortcut is added.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QToolBar

from viewer.ui.theme import MODES

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow


def add_action(window: MainWindow, text: str, slot, shortcut=None,  # type: ignore[no-untyped-def]
               tip: str = "") -> QAction:
    """An action on ``window`` whose tooltip names its keys; ``shortcut`` may be a list."""
    action = QAction(text, window)
    if shortcut is not None:
        if isinstance(shortcut, list):
            action.setShortcuts(shortcut)
        else:
            action.setShortcut(QKeySequence(shortcut))
    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    action.setToolTip(f"{tip or text} ({keys})" if keys else tip or text)
    action.triggered.connect(slot)
    window.addAction(action)
    return action


def build_actions(w: MainWindow) -> None:
    """Create the window's ``*_action`` attributes, its menus and its toolbar."""
    keys = QKeySequence.StandardKey
    w.open_library_action = add_action(w, "&Open Library Folder…", w.choose_library, keys.Open)
    w.bundled_action = add_action(w, "Open &Bundled Runbooks", w.open_bundled_docs)
    w.reload_action = add_action(w, "&Reload Page", w.reload, keys.Refresh)
    w.export_action = add_action(w, "&Export Break-Glass Copy…", w.export_copy, "Ctrl+Shift+E",
                                 "Your pins (or more) as one HTML or PDF file that opens "
                                 "anywhere")
    # Ctrl+Q everywhere: the platform's own Quit keys are none on some (Windows, offscreen),
    # and it must work whatever has the focus (a search box, a dock, a dialog's field).
    quit_keys = [*QKeySequence.keyBindings(keys.Quit), QKeySequence("Ctrl+Q")]
    w.quit_action = add_action(w, "&Quit", w.close, list(dict.fromkeys(quit_keys)))
    w.quit_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
    w.back_action = add_action(w, "&Back", w.go_back, keys.Back)
    w.forward_action = add_action(w, "&Forward", w.go_forward, keys.Forward)
    w.find_action = add_action(w, "&Find in Page…", lambda: w.find_bar.open_bar(), keys.Find)
    w.find_next_action = add_action(w, "Find &Next", w.find_next, keys.FindNext)
    w.find_previous_action = add_action(w, "Find &Previous", w.find_previous,
                                        keys.FindPrevious)
    w.copy_code_action = add_action(w, "Copy &Code Block", w.page_actions.copy_code_at_cursor,
                                    "Ctrl+Shift+C",
                                    "Copy the code block at the cursor or first in view")
    w.zoom_in_action = add_action(w, "Zoom &In", lambda: w.set_zoom(w.view.zoom + 1),
                                  [QKeySequence(keys.ZoomIn), QKeySequence("Ctrl+=")])
    w.zoom_out_action = add_action(w, "Zoom &Out", lambda: w.set_zoom(w.view.zoom - 1),
                                   keys.ZoomOut)
    w.zoom_reset_action = add_action(w, "&Actual Size", lambda: w.set_zoom(0), "Ctrl+0")
    w.theme_toggle_action = add_action(w, "Toggle &Dark Theme", w.toggle_theme, "Ctrl+Shift+D")
    w.focus_library_action = add_action(w, "Go to &Library", w.focus_library, "Ctrl+Shift+L")
    w.search_action = add_action(w, "&Search Runbooks…", w.focus_search, "Ctrl+K",
                                 "Search every runbook")
    w.symptoms_action = add_action(w, "S&ymptoms…", w.focus_symptoms, "Ctrl+Shift+S",
                                   "Start from what you see")
    w.quick_open_action = add_action(w, "&Quick Open…", w.search.show_quick_open, "Ctrl+P",
                                     "Open a runbook by title or path")
    w.pin_action = add_action(w, "&Pin or Unpin This Page", w.toggle_pin, "Ctrl+D",
                              "Pin the page you are reading (at its section)")
    for number in range(1, 10):
        add_action(w, f"Open Pin {number}", lambda _c=False, n=number: w.pins.open_number(n),
                   f"Alt+{number}")
    w.focus_outline_action = add_action(w, "Go to O&utline", w.focus_outline, "Ctrl+Shift+O")
    w.variables_action = add_action(w, "Fill &Variables…", lambda: w.variables.focus(),
                                    "Ctrl+Shift+V",
                                    "Type the values the page's commands need")
    w.incident_action = add_action(w, "&Start Incident…", lambda: w.incidents.start(),
                                   "Ctrl+Shift+I",
                                   "Keep a timeline of the steps you tick, the commands you copy")
    w.note_action = add_action(w, "Add &Note…", lambda: w.incidents.note(), "Ctrl+Shift+N",
                               "Add a note to the incident's timeline")
    w.handover_action = add_action(w, "&Hand Over…", lambda: w.incidents.hand_over(),
                                   tip="The incident as Markdown, Slack messages or JSON")
    w.resolve_action = add_action(w, "&Resolve Incident", lambda: w.incidents.end())
    w.past_incidents_action = add_action(w, "&Past Incidents…", lambda: w.incidents.show_past())
    w.guide_action = add_action(w, "&User Guide", w.open_user_guide, keys.HelpContents)
    w.about_action = add_action(w, "&About", w.show_about)
    _build_menus(w)
    _build_toolbar(w)


def _build_menus(w: MainWindow) -> None:
    menu = w.menuBar()
    file_menu = menu.addMenu("&File")
    for action in (w.open_library_action, w.bundled_action, w.reload_action, w.export_action):
        file_menu.addAction(action)
    file_menu.addSeparator()
    file_menu.addAction(w.quit_action)
    edit_menu = menu.addMenu("&Edit")
    for action in (w.search_action, w.find_action, w.find_next_action,
                   w.find_previous_action, w.copy_code_action):
        edit_menu.addAction(action)
    view_menu = menu.addMenu("&View")
    for action in (w.zoom_in_action, w.zoom_out_action, w.zoom_reset_action):
        view_menu.addAction(action)
    view_menu.addSeparator()
    theme_menu = view_menu.addMenu("&Theme")
    w.theme_group = QActionGroup(w)
    w.theme_actions = {}
    for mode in MODES:
        action = QAction(mode.capitalize() if mode != "system" else "Follow System", w,
                         checkable=True)
        action.triggered.connect(lambda _checked=False, m=mode: w.apply_theme(m))
        w.theme_group.addAction(action)
        theme_menu.addAction(action)
        w.theme_actions[mode] = action
    theme_menu.addAction(w.theme_toggle_action)
    view_menu.addSeparator()
    view_menu.addAction(w.library_dock.toggleViewAction())
    view_menu.addAction(w.outline_dock.toggleViewAction())
    view_menu.addAction(w.variables_dock.toggleViewAction())
    go_menu = menu.addMenu("&Go")
    for action in (w.symptoms_action, w.quick_open_action, w.pin_action,
                   w.back_action, w.forward_action,
                   w.focus_library_action, w.focus_outline_action, w.variables_action):
        go_menu.addAction(action)
    incident_menu = menu.addMenu("&Incident")
    for action in (w.incident_action, w.note_action, w.handover_action, w.resolve_action):
        incident_menu.addAction(action)
    incident_menu.addSeparator()
    incident_menu.addAction(w.past_incidents_action)
    incident_menu.addAction(w.timeline_dock.toggleViewAction())
    help_menu = menu.addMenu("&Help")
    help_menu.addAction(w.guide_action)
    help_menu.addAction(w.about_action)


def _build_toolbar(w: MainWindow) -> None:
    toolbar = QToolBar("Navigation", w)
    toolbar.setObjectName("navigation")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    for action in (w.back_action, w.forward_action):
        toolbar.addAction(action)
    toolbar.addSeparator()
    for action in (w.symptoms_action, w.search_action, w.quick_open_action, w.find_action,
                   w.incident_action, w.zoom_out_action, w.zoom_in_action,
                   w.theme_toggle_action):
        toolbar.addAction(action)
    # Short words on the toolbar; the menus keep the full names and their keys.
    for action, text in ((w.search_action, "Search"), (w.symptoms_action, "Symptoms"),
                         (w.quick_open_action, "Open…"), (w.back_action, "\u2190 Back"),
                         (w.forward_action, "Forward \u2192"), (w.find_action, "Find"),
                         (w.zoom_in_action, "A+"), (w.zoom_out_action, "A\u2212"),
                         (w.theme_toggle_action, "Light/Dark"),
                         (w.incident_action, "Incident…")):
        action.setText(text)
    w.addToolBar(toolbar)
