"""PySide6 reads no module's source at import once the window's package is loaded."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest


def test_a_module_imported_after_the_window_package_is_not_read_for_pyside(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import inspect

    import viewer.ui  # noqa: F401

    read: list[str] = []
    original = inspect.getsource
    monkeypatch.setattr(inspect, "getsource",
                        lambda obj: read.append(getattr(obj, "__name__", "?")) or original(obj))
    (tmp_path / "freshly_written.py").write_text("import PySide6\nVALUE = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    module = __import__("freshly_written")  # an import statement: PySide6 hooks only those
    assert module.VALUE == 1
    assert "freshly_written" not in read  # PySide6 6.x read it whole, looking for "PySide6"
    feature = sys.modules.get("shibokensupport.feature")
    assert feature is not None and feature.pyside_feature_dict.get("freshly_written") == -1
