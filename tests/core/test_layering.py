"""The core and sync layers never load Qt, so every feature works without a display."""

import ast
import os
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


def test_a_search_with_nothing_changed_loads_only_the_index(tmp_path: Path) -> None:
    """``runbook-viewer search`` is run from a terminal mid-incident: it imports the index
    and its ranking, not the parsers, the symptom extractor, the sync, the settings or the
    other commands' tables, and compiles no pattern for Chinese or Japanese text it does
    not meet (20-30 ms); and a file edited since the last search is still found."""
    library = tmp_path / "lib"
    (library / "db").mkdir(parents=True)
    runbook = library / "db" / "pool.md"
    runbook.write_text("# Pool\n\n## Mitigation\n\nRestart the pooler.\n", encoding="utf-8")
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_STATE_HOME=str(tmp_path / "state"))
    build = [sys.executable, "-m", "viewer", "index", "--library", str(library)]
    subprocess.run(build, cwd=REPO, env=env, check=True, capture_output=True)
    runbook.write_text(runbook.read_text(encoding="utf-8") + "\nzanzibar flush\n",
                       encoding="utf-8")
    os.utime(runbook, ns=(1, 1))  # a different mtime, whatever the clock's resolution
    heavy = ("markdown_it", "docutils", "pygments", "dulwich", "viewer.core.rendering",
             "viewer.core.triage.extract", "viewer.core.document", "viewer.sync",
             "viewer.core.config", "viewer.cli_check", "viewer.cli_export", "logging")
    search = ("import sys; sys.argv = ['runbook-viewer', 'search', sys.argv[1], '--library', "
              f"{str(library)!r}]; from viewer.cli import main; code = main(); print('LOADED', "
              f"','.join(sorted(m for m in sys.modules if m.startswith({heavy!r})))); "
              "from viewer.core import cjk; "
              "print('CJK patterns' if cjk._patterns.cache_info().currsize else '')")

    def run(query: str) -> tuple[str, str]:
        out = subprocess.run([sys.executable, "-c", search, query], cwd=REPO, env=env,
                             capture_output=True, text=True, check=True).stdout
        found, _, loaded = out.rpartition("LOADED")
        return found, loaded.strip()

    found, _ = run("zanzibar")  # the edited file is parsed again (parsers load, as they must)
    assert "db/pool.md" in found
    found, loaded = run("pooler")  # nothing changed since
    assert "db/pool.md" in found
    assert loaded == ""


def test_reading_commands_load_no_git_keyring_watcher_or_qt(tmp_path: Path) -> None:
    """``search``, ``triage`` and ``render`` are what a terminal asks mid-incident: none of
    them needs git, the keyring, the file watcher or Qt, whose imports cost more than the
    answer."""
    library = tmp_path / "lib"
    library.mkdir()
    (library / "pool.md").write_text("# Pool\n\n## Symptoms\n\n- too many connections\n",
                                     encoding="utf-8")
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_STATE_HOME=str(tmp_path / "state"))
    probe = ("import sys, io, contextlib; sys.argv = ['runbook-viewer', *sys.argv[1:]]; "
             "from viewer.cli import main\n"
             "with contextlib.redirect_stdout(io.StringIO()): main()\n"
             "print(','.join(sorted({m.split('.')[0] for m in sys.modules} & "
             "{'dulwich', 'keyring', 'watchdog', 'PySide6', 'shiboken6'})))")
    for command in (["search", "pool", "--library", str(library)],
                    ["triage", "--library", str(library)],
                    ["triage", "--alert", "PoolExhausted", "--library", str(library)],
                    ["render", str(library / "pool.md")]):
        result = subprocess.run([sys.executable, "-c", probe, *command], cwd=REPO, env=env,
                                capture_output=True, text=True)
        assert result.stdout.strip() == "", f"{command[0]} loaded {result.stdout.strip()}"
