"""The alerting rules' side: every alert has a ``runbook_url``, and it leads to a page.

Prometheus rule files (``groups:`` at the top, or a PrometheusRule's
``spec.groups``, several documents per file allowed) are read as YAML node
graphs, within a budget, so each finding has the alert's line. A web address
is mapped to a page the way the window opens links (``sync.web_links``), with
the repository and sites the library's runbook-viewer.toml names.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from viewer.check.context import CheckContext
from viewer.check.findings import Finding
from viewer.check.suppress import read_suppressions
from viewer.core.library import OutsideLibrary
from viewer.core.textio import UnreadableFile, read_regular_file
from viewer.core.yaml_budget import YamlTooLarge, compose_all_bounded

MAX_RULE_FILE_BYTES = 8 * 1024 * 1024
MAX_RULE_NODES = 1_000_000
_RUNBOOK_KEYS = ("runbook_url", "runbook", "runbook_link")
_TEMPLATED = ("{{", "%(", "${", "$externalURL")


def rule_files(patterns: list[str], base: Path) -> list[Path]:
    """The files ``patterns`` (globs, ``**`` allowed) name, from ``base``; sorted, unique."""
    found: set[Path] = set()
    for pattern in patterns:
        full = pattern if os.path.isabs(pattern) else str(base / pattern)
        found.update(Path(p) for p in glob.glob(full, recursive=True) if os.path.isfile(p))
    return sorted(found)


def check_rule_file(ctx: CheckContext, path: Path, shown_as: str,
                    mapper: Callable[[str], str]) -> list[Finding]:
    """Findings for one rule file; ``shown_as`` is the path the findings name, ``mapper``
    the :func:`runbook_url_mapper` of the check."""
    try:
        data = _read(ctx, path)
        text = data.decode("utf-8")
        documents = compose_all_bounded(text, max_nodes=MAX_RULE_NODES)
    except (OSError, UnreadableFile, OutsideLibrary, UnicodeDecodeError) as err:
        return [Finding(shown_as, 1, 1, "RV016", ctx.severity("RV016"),
                        f"The rule file cannot be read: {err}")]
    except (yaml.YAMLError, YamlTooLarge) as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        return [Finding(shown_as, line, 1, "RV016", ctx.severity("RV016"),
                        f"The rule file is not YAML that can be read: "
                        f"{str(err).splitlines()[0]}")]
    suppressions = read_suppressions(text)
    findings = []
    for alert, name_node, notes in _alerts(documents):
        line, column = name_node.start_mark.line + 1, name_node.start_mark.column + 1
        url_node = next((v for k, v in notes if k in _RUNBOOK_KEYS), None)
        if url_node is None:
            rule, message = "RV013", f"The alert {alert} has no runbook_url annotation."
        else:
            url = str(url_node.value).strip()
            why = mapper(url)
            if not why:
                continue
            rule, message = "RV014", f"The alert {alert}'s runbook_url {url} {why}"
            line, column = url_node.start_mark.line + 1, url_node.start_mark.column + 1
        if rule in ctx.enabled and suppressions.allows(rule, line):
            findings.append(Finding(shown_as, line, column, rule, ctx.severity(rule), message))
    return findings


def _read(ctx: CheckContext, path: Path) -> bytes:
    """A rule file in the library through its gate; one the user named elsewhere directly."""
    try:
        rel = ctx.library.rel_path(path)
    except ValueError:
        return read_regular_file(path, max_bytes=MAX_RULE_FILE_BYTES)[0]
    return ctx.library.read_bytes(rel, max_bytes=MAX_RULE_FILE_BYTES)[0]


def _alerts(documents: list[yaml.Node]) -> Iterator[tuple[str, yaml.Node, list]]:
    """(alert name, its name's node, [(annotation key, value node)]) for each alerting rule."""
    seen: set[int] = set()
    stack = list(documents)
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            keys = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
            alert = keys.get("alert")
            if isinstance(alert, yaml.ScalarNode) and "expr" in keys:
                notes = keys.get("annotations")
                pairs = [(k.value, v) for k, v in notes.value
                         if isinstance(k, yaml.ScalarNode) and isinstance(v, yaml.ScalarNode)] \
                    if isinstance(notes, yaml.MappingNode) else []
                yield str(alert.value), alert, pairs
                continue
            stack.extend(reversed([v for _k, v in node.value]))
    return


def runbook_url_mapper(ctx: CheckContext) -> Callable[[str], str]:
    """A function: runbook_url -> "" when it leads to a page (or is not ours to judge),
    else the end of a sentence saying why not. Built once per check."""
    from viewer.sync.sources import Source, SourceList
    from viewer.sync.web_links import Located, locate, repository_of

    publishing = ctx.config.publishing
    library = ctx.library
    listing = SourceList([Source("library", publishing.repository or str(library.root),
                                 kind="git" if publishing.repository else "folder",
                                 branch=publishing.branch, site_urls=list(publishing.sites))])
    repo = repository_of(publishing.repository) if publishing.repository else None
    hosts = {_host(site) for site in publishing.sites} | ({repo[0]} if repo else set())

    def mapped(url: str) -> str:
        if any(t in url for t in _TEMPLATED):
            return ""  # filled in by the rule's templating: nothing to check here
        if "://" not in url:
            path = unquote(urlsplit(url).path)
            try:
                found = library.resolve(path.lstrip("/")).is_file()
            except OutsideLibrary:
                return "points outside the library."
            return "" if found else f"names {path}, which is not in the library."
        if _host(url) not in hosts:
            return ""  # another library's page (or the toml names no address for this one)
        found = locate(url, listing, library, bases={"library": ""})
        return "" if isinstance(found, Located) else "maps to no page of this library."

    return mapped


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")
