"""One run of the checker over a library: which pages, which rules, every finding in order."""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from viewer.check.alert_rules import check_rule_file, rule_files, runbook_url_mapper
from viewer.check.context import CheckContext
from viewer.check.findings import Finding
from viewer.check.page_rules import (
    PageResult,
    check_page,
    has_anchor,
    missing_anchor,
)
from viewer.check.rules import RULES, rule_named
from viewer.core.document import Problem
from viewer.core.library import Library, OutsideLibrary, is_runbook_name
from viewer.core.library_config import LibraryConfig
from viewer.core.links import landing_anchors
from viewer.core.rendering import render_file
from viewer.core.rst_targets import LabelIndex
from viewer.core.workers import default_workers, map_in_workers

PARALLEL_FROM = 200  # pages; below this, starting worker processes costs more than it saves
_CONTEXT: CheckContext | None = None  # in each process that checks pages


def _setup_checker(root: str, config: LibraryConfig, enabled: frozenset[str], today: dt.date,
                   labels: dict) -> None:
    global _CONTEXT
    _CONTEXT = CheckContext(Library(root), config, today, enabled, labels)


def _check_one(rel: str) -> PageResult:
    assert _CONTEXT is not None
    return check_page(_CONTEXT, rel)


class CheckUsageError(ValueError):
    """The command asks for something that cannot be done (unknown rule, path outside)."""


@dataclass
class CheckReport:
    findings: list[Finding] = field(default_factory=list)
    pages: int = 0
    rule_files: int = 0
    seconds: float = 0.0

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)


def enabled_rules(config: LibraryConfig, only: list[str] | None) -> frozenset[str]:
    """The rule IDs that run: ``only`` (from --rules) else all, less what the config disables."""
    chosen = set()
    for name in only or [r.id for r in RULES]:
        rule = rule_named(name)
        if rule is None:
            raise CheckUsageError(f"there is no rule {name!r} (see check --list-rules)")
        chosen.add(rule.id)
    for name in config.check.disable:
        rule = rule_named(name)
        if rule is None:
            raise CheckUsageError(f"runbook-viewer.toml disables {name!r}, which is not a rule")
        chosen.discard(rule.id)
    for name in config.check.severity:
        if rule_named(name) is None:
            raise CheckUsageError(f"runbook-viewer.toml sets the severity of {name!r}, "
                                  "which is not a rule")
    return frozenset(chosen)


def pages_to_check(library: Library, paths: list[Path], exclude: tuple[str, ...]) -> list[str]:
    """Library paths of the runbooks named by ``paths`` (files or folders), else all of them."""
    if not paths:
        selected = list(library.iter_runbooks())
    else:
        selected = []
        for path in paths:
            try:
                rel = library.rel_path(path.absolute())
            except ValueError:
                raise CheckUsageError(f"{path} is not inside the library {library.root}") from None
            rel = "" if rel == "." else rel
            try:
                real = library.resolve(rel) if rel else library.root
            except OutsideLibrary as err:
                raise CheckUsageError(str(err)) from None
            if real.is_dir():
                prefix = f"{rel}/" if rel else ""
                selected += [p for p in library.iter_runbooks() if p.startswith(prefix)]
            elif real.is_file() and is_runbook_name(real.name):
                selected.append(rel)
            elif not real.exists():
                raise CheckUsageError(f"{path} does not exist")
            else:
                raise CheckUsageError(f"{path} is not a runbook (Markdown, reST or text)")
    excluded = [re.compile(fnmatch.translate(g)) for g in exclude]
    return sorted({p for p in selected if not any(x.match(p) for x in excluded)})


def run_check(library: Library, config: LibraryConfig, *, paths: list[Path] | None = None,
              only: list[str] | None = None, alert_globs: list[str] | None = None,
              today: dt.date | None = None, workers: int | None = None,
              progress: Callable[[int, int], None] | None = None) -> CheckReport:
    """Check the pages and rule files; raises :class:`CheckUsageError` for a bad request."""
    started = time.perf_counter()
    enabled = enabled_rules(config, only)
    pages = pages_to_check(library, paths or [], config.check.exclude)
    labels = LabelIndex(library).refresh() if any(p.endswith((".rst", ".rest"))
                                                   for p in pages) else {}
    ctx = CheckContext(library, config, today or dt.date.today(), enabled, labels)
    report = CheckReport(pages=len(pages))
    results: dict[str, PageResult] = {}
    checked = map_in_workers(_check_one, [(rel,) for rel in pages],
                             workers=workers or default_workers(), parallel_from=PARALLEL_FROM,
                             setup=_setup_checker,
                             setup_args=(str(library.root), config, enabled, ctx.today, labels))
    for done, (rel, result) in enumerate(zip(pages, checked, strict=True), 1):
        results[rel] = result
        report.findings += result.findings
        if progress is not None:
            progress(done, len(pages))
    report.findings += _cross_links(ctx, results)
    from_config = rule_files(list(config.check.alerts), library.root)
    from_command = rule_files(list(alert_globs or []), Path.cwd())
    files = sorted(set(from_config) | set(from_command))
    if files:
        mapper = runbook_url_mapper(ctx)
        for path in files:
            report.findings += check_rule_file(ctx, path, _shown(path, library), mapper)
        report.rule_files = len(files)
    report.findings.sort()
    report.seconds = time.perf_counter() - started
    return report


def _cross_links(ctx: CheckContext, results: dict[str, PageResult]) -> list[Finding]:
    """Links to another page's section, settled now that every checked page's anchors are in."""
    if "RV003" not in ctx.enabled:
        return []
    others: dict[str, PageResult | None] = {}
    findings = []
    for result in results.values():
        for link in result.cross_links:
            target = results.get(link.path)
            if target is None:
                if link.path not in others:
                    others[link.path] = _anchors_only(ctx, link.path)
                target = others[link.path]
            if target is None or has_anchor(target.anchors, target.headings, link.fragment):
                continue
            if result.allows is not None and not result.allows.allows("RV003", link.line):
                continue
            findings.append(Finding(result.path, link.line, link.column, "RV003",
                                    ctx.severity("RV003"),
                                    missing_anchor(link.href, link.fragment, target.headings)))
    return findings


def _anchors_only(ctx: CheckContext, rel: str) -> PageResult | None:
    document = render_file(ctx.library, rel, labels=ctx.labels)
    if isinstance(document, Problem):
        return None
    result = PageResult(rel)
    result.anchors, result.headings = landing_anchors(document)
    return result


def _shown(path: Path, library: Library) -> str:
    try:
        return library.rel_path(path)
    except ValueError:
        try:
            return path.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return path.as_posix()
