"""The core and sync layers never load Qt, so every feature works without a display."""

import ast
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

_CHECK = """
import importlib, pkgutil, sys
import viewer.core, viewer.sync, viewer.check
for package in (viewer.core, viewer.sync):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(info.name)
import viewer.cli, viewer.cli_sources, viewer.cli_open, viewer.handoff, viewer.url_handler
import viewer.cli_check, viewer.cli_export, viewer.page_facts, viewer.export
for package in (viewer.check, viewer.export):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + '.'):
        importlib.import_module(info.name)
QT = ("PySide6", "shiboken6", "PyQt5", "PyQt6")
loaded = sorted(m for m in sys.modules if m.split(".")[0] in QT)
print(",".join(loaded))
"""


def test_core_sync_and_cli_import_without_qt() -> None:
    result = subprocess.run([sys.executable, "-c", _CHECK], cwd=REPO, capture_output=True,
                            text=True, check=True)
    assert result.stdout.strip() == "", f"Qt modules loaded: {result.stdout.strip()}"


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, at any depth of its code, type-checking imports too."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def _unit(module: str, core: Path) -> str | None:
    """A subpackage of viewer.core counts as one; a module directly in it counts alone."""
    parts = module.split(".")
    if parts[:2] != ["viewer", "core"] or len(parts) < 3:
        return None
    if (core / parts[2]).is_dir():
        return "viewer.core." + parts[2]
    return "viewer.core." + parts[2] if (core / f"{parts[2]}.py").is_file() else None


def _depends(core: Path) -> dict[str, set[str]]:
    """Which unit of viewer.core imports which (see ``_unit``)."""
    edges: dict[str, set[str]] = {}
    for path in core.rglob("*.py"):
        dotted = ".".join(path.relative_to(core.parent.parent).with_suffix("").parts)
        source = _unit(dotted.removesuffix(".__init__"), core)
        for module in _imports(path):
            target = _unit(module, core)
            if source and target and target != source:
                edges.setdefault(source, set()).add(target)
    return edges


def _cycle(edges: dict[str, set[str]]) -> list[str]:
    """One import cycle, as a list of units, or [] when there is none."""
    state: dict[str, int] = {}  # 1: being visited, 2: done
    trail: list[str] = []

    def visit(unit: str) -> list[str]:
        state[unit] = 1
        trail.append(unit)
        for nxt in sorted(edges.get(unit, ())):
            if state.get(nxt) == 1:
                return [*trail[trail.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        trail.pop()
        state[unit] = 2
        return []

    for unit in sorted(edges):
        if unit not in state and (found := visit(unit)):
            return found
    return []


def test_the_core_subpackages_import_one_way_only() -> None:
    # search -> triage -> render and never back: a circle makes every part load every other.
    cycle = _cycle(_depends(REPO / "viewer" / "core"))
    assert cycle == [], " -> ".join(cycle)


def test_a_cycle_is_found_where_there_is_one() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}}) == []


def test_the_command_line_loads_no_parser_until_a_command_needs_one() -> None:
    """Every command, the hand-over to a running window too, builds the same parser: it
    must not pay for markdown-it, docutils, Pygments or the checker's rules."""
    check = ("import sys, viewer.cli; viewer.cli.build_parser(); "
             "heavy = ('markdown_it', 'docutils', 'pygments', 'viewer.check.run', 'dulwich', "
             "'viewer.core.rendering'); "
             "print(','.join(sorted(m for m in sys.modules if m.startswith(heavy))))")
    result = subprocess.run([sys.executable, "-c", check], cwd=REPO, capture_output=True,
                            text=True, check=True)
    assert result.stdout.strip() == ""
