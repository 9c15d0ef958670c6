"""File > Export…: the break-glass copy from the window, the pins chosen by default.

The runbooks are rendered off the UI thread with progress shown; the file
is written whole or not at all, and the dialog says where it went.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from viewer.export.selection import filtered_runbooks, pinned_runbooks

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow


class ExportDialog(QDialog):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.setWindowTitle("Export a Break-Glass Copy")
        self.pins = QRadioButton("&Pinned runbooks")
        self.all = QRadioButton("&Every runbook of the library")
        self.tagged = QRadioButton("Runbooks &tagged")
        self.tag = QComboBox()
        self.pins.setChecked(True)
        self.format = QComboBox()
        self.format.addItem("HTML: one file that opens in any browser", "html")
        self.format.addItem("PDF: for printing", "pdf")
        self.format.currentIndexChanged.connect(self._format_changed)
        self.path = QLineEdit(str(Path.home() / "runbooks-break-glass.html"))
        browse = QPushButton("&Choose…")
        browse.clicked.connect(self._choose)
        where = QHBoxLayout()
        where.addWidget(self.path)
        where.addWidget(browse)
        tag_row = QHBoxLayout()
        tag_row.addWidget(self.tagged)
        tag_row.addWidget(self.tag, 1)
        form = QFormLayout()
        form.addRow("Format:", self.format)
        form.addRow("Save as:", _row(where))
        self.note = QLabel("Exported copies are not kept up to date: the cover says when "
                           "this one was made.")
        self.note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton("E&xport", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._export)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.pins, self.all):
            layout.addWidget(widget)
        layout.addLayout(tag_row)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self._fill_tags()

    def _fill_tags(self) -> None:
        """The library's tags, read in the background (a scan of every runbook's row)."""
        self.tagged.setEnabled(False)
        self.tag.setEnabled(False)
        keeper = self.window.keeper
        index = keeper.index if keeper is not None else None
        if index is not None:
            self.window.tasks.run("export-tags", index.facets,
                                  lambda facets: self._show_tags(facets[1]),
                                  lambda _error: None)  # an index being rebuilt: no tags yet

    def _show_tags(self, tags: list[str]) -> None:
        try:
            self.tag.addItems(tags)
            self.tagged.setEnabled(bool(tags))
            self.tag.setEnabled(bool(tags))
        except RuntimeError:  # the dialog was closed meanwhile
            pass

    def _format_changed(self) -> None:
        suffix = ".pdf" if self.format.currentData() == "pdf" else ".html"
        self.path.setText(str(Path(self.path.text()).with_suffix(suffix)))

    def _choose(self) -> None:
        pdf = self.format.currentData() == "pdf"
        name, _ = QFileDialog.getSaveFileName(
            self, "Export to", self.path.text(),
            "PDF (*.pdf)" if pdf else "HTML (*.html *.htm)")
        if name:
            self.path.setText(name)

    def selection(self) -> tuple[Callable[[], list[str]] | None, str]:
        """What to export, worked out in the background (walking or querying the library
        is not the UI thread's job), or None and why nothing can be."""
        library = self.window.library
        if self.all.isChecked():
            return lambda: list(library.iter_runbooks()), ""
        if self.tagged.isChecked():
            index = self.window.keeper.index if self.window.keeper is not None else None
            if index is None:
                return None, "The library is still being indexed; try again in a moment."
            query = f"tag:{self.tag.currentText()}"
            return lambda: filtered_runbooks(index, query), ""
        store = self.window.pins.store
        pins = [] if store is None else pinned_runbooks(library, store.pins(library.root))
        if not pins:
            return None, "Nothing is pinned yet: pin runbooks (Ctrl+D) or choose another set."
        return lambda: pins, ""

    def _export(self) -> None:
        from viewer.core.words import plural

        select, problem = self.selection()
        if select is None:
            self.note.setText(problem)
            return
        target = Path(self.path.text()).expanduser()
        fmt = self.format.currentData()
        library = self.window.library
        progress = QProgressDialog("Rendering the runbooks…", "", 0, 0, self)
        progress.setCancelButton(None)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        self.export_button.setEnabled(False)

        def work():  # type: ignore[no-untyped-def]
            from viewer.export.book import make_book
            from viewer.export.html_file import book_html

            book = make_book(library, select(), for_print=fmt == "pdf")
            return book, (book_html(book) if fmt == "html" else "")

        def done(result) -> None:  # type: ignore[no-untyped-def]
            from viewer.cli_export import write_whole

            book, text = result
            progress.close()
            self.export_button.setEnabled(True)
            try:
                if fmt == "pdf":
                    from viewer.ui.pdf_export import write_pdf

                    write_whole(target, lambda tmp: write_pdf(book, tmp))
                else:
                    write_whole(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))
            except OSError as err:
                self.note.setText(f"It could not be written to {target}: "
                                  f"{err.strerror or err}. Nothing was saved.")
                return
            self.window.status_label.setText(
                f"Exported {plural(len(book.chapters), 'runbook')} to {target}")
            self.accept()

        def failed(error: BaseException) -> None:
            progress.close()
            self.export_button.setEnabled(True)
            self.note.setText(f"The export failed: {error}. Nothing was saved.")

        self.window.tasks.run("export", work, done, failed)


def _row(layout: QHBoxLayout) -> QWidget:
    holder = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    holder.setLayout(layout)
    return holder
