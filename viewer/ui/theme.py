"""Light and dark: follow the system by default, or the user's choice."""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

MODES = ("system", "light", "dark")


def system_is_dark(quick: bool = False) -> bool:
    """The system's colour scheme; ``quick``: as its palette shows it.

    Asking for the scheme itself returns a ``Qt.ColorScheme``, and PySide6 builds
    the whole ``Qt`` namespace the first time (35-50 ms): the window's first
    paint asks the palette, which the platform sets from the same scheme, and
    asks again once it is built.
    """
    if not quick:
        from PySide6.QtCore import Qt

        hints = QGuiApplication.styleHints()
        scheme = hints.colorScheme() if hasattr(hints, "colorScheme") else None
        if scheme == Qt.ColorScheme.Dark:
            return True
        if scheme == Qt.ColorScheme.Light:
            return False
    return QGuiApplication.palette().window().color().lightness() < 128


def effective_theme(mode: str, *, quick: bool = False) -> str:
    """``"light"`` or ``"dark"`` for a mode of system/light/dark."""
    if mode in ("light", "dark"):
        return mode
    return "dark" if system_is_dark(quick) else "light"


def _dark_palette() -> QPalette:
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#161b22", QPalette.ColorRole.WindowText: "#e6edf3",
        QPalette.ColorRole.Base: "#0d1117", QPalette.ColorRole.AlternateBase: "#161b22",
        QPalette.ColorRole.Text: "#e6edf3", QPalette.ColorRole.Button: "#21262d",
        QPalette.ColorRole.ButtonText: "#e6edf3", QPalette.ColorRole.Highlight: "#1f6feb",
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.ToolTipBase: "#21262d",
        QPalette.ColorRole.ToolTipText: "#e6edf3", QPalette.ColorRole.Link: "#4493f8",
        QPalette.ColorRole.PlaceholderText: "#9198a1", QPalette.ColorRole.BrightText: "#ffffff",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText,
                 QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6e7681"))
    return palette


_native: tuple[str, QPalette] | None = None  # the platform's own style and palette


def apply_widget_theme(app: QApplication, theme: str) -> None:
    """Give the widgets around the page the same light or dark look.

    Light keeps the platform's native style; dark switches to Fusion, the one
    style that follows a custom palette everywhere.
    """
    global _native
    if _native is None:
        if theme != "dark":
            # The platform's look is on already: re-polishing every widget costs 30 ms, and
            # asking for the style (to restore it later) makes PySide6 build its Qt enums.
            return
        _native = (app.style().name(), QPalette(app.palette()))  # before leaving it
    style, palette = ("fusion", _dark_palette()) if theme == "dark" else _native
    if app.style().name().lower() != style.lower():  # re-creating a style re-polishes all
        app.setStyle(style)
    app.setPalette(palette)


_SEVERITY_COLOURS = {1: "#c62828", 2: "#ef6c00", 3: "#f9a825", 4: "#607d8b"}


def severity_colour(severity: str) -> QColor | None:
    """The colour of a severity badge (P1/SEV1/Critical red ... P4/Low grey); None if unknown."""
    from viewer.core.triage.tree import severity_rank

    rank = severity_rank(severity)
    return QColor(_SEVERITY_COLOURS[max(1, rank)]) if rank <= 4 else None
