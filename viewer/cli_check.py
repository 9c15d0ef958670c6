"""The ``check`` and ``info`` commands: the authors' checker for CI, and one page's facts.

``check`` exits 0 when nothing at or above ``--fail-on`` was found, 1 when
something was, 2 for a usage or configuration error (a bad option, a broken
runbook-viewer.toml), so a CI job fails for the right reason.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
_RANK = {"error": 0, "warning": 1, "notice": 2}


def add_commands(commands: argparse._SubParsersAction, parser_class: type) -> None:
    from viewer.check import FORMATS  # the package alone: no parser is loaded for --help

    check = commands.add_parser(
        "check", help="check runbooks for what fails a reader in an outage (for CI)",
        description="Check runbooks with the app's own parsers: broken links and anchors, "
                    "unclosed fences, missing alert sections, TODOs in mitigations, overdue "
                    "reviews, alert rules without a runbook. Exit 0: clean; 1: findings at or "
                    "above --fail-on; 2: usage or configuration error.")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                       help="runbooks or folders to check (default: the whole library)")
    check.add_argument("--library", type=Path, metavar="DIR", dest="check_library",
                       help="the library's root, where runbook-viewer.toml is and links "
                            "resolve (default: the current folder)")
    check.add_argument("--format", choices=FORMATS, default="text",
                       help="text (file:line:col: severity RULE message), json, github "
                            "(Actions annotations), sarif (2.1.0) or junit")
    check.add_argument("--fail-on", choices=("error", "warning", "notice", "never"),
                       default="error", help="exit 1 when a finding is this severe or more "
                                             "(default: error)")
    check.add_argument("--rules", metavar="R1,R2",
                       help="only these rules, by ID or name (default: all)")
    check.add_argument("--alerts", action="append", default=[], metavar="GLOB",
                       help="Prometheus rule files to check for runbook_url (repeatable; "
                            "** allowed)")
    check.add_argument("--output", "-o", type=Path, metavar="FILE",
                       help="write the report to FILE instead of standard output")
    check.add_argument("--list-rules", action="store_true",
                       help="print the rules, their IDs and severities, and exit")
    info = commands.add_parser(
        "info", help="a runbook's owners, review dates, last change, freshness, symptoms "
                     "and variables")
    info.add_argument("path", metavar="PATH",
                      help="a runbook file, or its path in the library as search prints it")
    info.add_argument("--library", type=Path, metavar="DIR", dest="info_library",
                      help="the library it is in (default: the library the window shows, "
                           "else the file's folder)")
    info.add_argument("--json", action="store_true", help="print JSON")


def _fail(message: str, code: int) -> int:
    print(f"runbook-viewer: {message}", file=sys.stderr)
    return code


def cmd_check(args: argparse.Namespace) -> int:
    from viewer.check.formats import render
    from viewer.check.rules import RULES
    from viewer.check.run import CheckUsageError, run_check
    from viewer.core.library import Library
    from viewer.core.library_config import LibraryConfigError, load_library_config

    if args.list_rules:
        for rule in RULES:
            print(f"{rule.id}  {rule.name:<26} {rule.severity:<8} {rule.summary}")
        return EXIT_OK
    root = args.check_library or Path.cwd()
    if not root.is_dir():
        return _fail(f"library {root} is not a folder", EXIT_USAGE)
    library = Library(root)
    try:
        config = load_library_config(library)
        only = [r for r in (args.rules or "").replace(" ", ",").split(",") if r] or None
        progress = None
        if sys.stderr.isatty():
            def progress(done: int, total: int) -> None:
                if total >= 200 and (done % 50 == 0 or done == total):
                    print(f"\rChecking… {done}/{total}", end="", file=sys.stderr, flush=True)
        report = run_check(library, config, paths=args.paths, only=only,
                           alert_globs=args.alerts, progress=progress)
        if progress is not None and report.pages >= 200:
            print(file=sys.stderr)
    except (LibraryConfigError, CheckUsageError) as err:
        return _fail(str(err), EXIT_USAGE)
    text = render(report, args.format)
    if args.output is not None:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as err:
            return _fail(f"cannot write {args.output}: {err.strerror or err}", EXIT_USAGE)
    else:
        sys.stdout.write(text)
    from viewer.core.words import plural

    counts = ", ".join(plural(report.count(s), s) for s in ("error", "warning", "notice"))
    rules = f" and {plural(report.rule_files, 'rule file')}" if report.rule_files else ""
    print(f"{counts} in {plural(report.pages, 'page')}{rules} ({report.seconds:.1f} s).",
          file=sys.stderr)
    if args.fail_on == "never":
        return EXIT_OK
    worst = min((_RANK[f.severity] for f in report.findings), default=99)
    return EXIT_FINDINGS if worst <= _RANK[args.fail_on] else EXIT_OK


def cmd_info(args: argparse.Namespace, library_of) -> int:  # type: ignore[no-untyped-def]
    from viewer.page_facts import page_facts

    library, rel, problem = _locate(args, library_of)
    if problem:
        return _fail(problem, EXIT_FINDINGS)
    facts = page_facts(library, rel)
    if facts.problem:
        return _fail(facts.problem, EXIT_FINDINGS)
    if args.json:
        print(json.dumps(facts.as_json(), indent=2, ensure_ascii=False))
        return EXIT_OK
    for label, value in facts.lines():
        print(f"{label + ':':<14}{value}")
    return EXIT_OK


def _locate(args: argparse.Namespace, library_of):  # type: ignore[no-untyped-def]
    """(library, rel path, problem) for ``info PATH``: a file on disk or a library path."""
    from viewer.core.library import Library
    from viewer.core.open_request import library_page

    given = Path(args.path)
    if args.info_library is not None:
        if not args.info_library.is_dir():
            return None, "", f"library {args.info_library} is not a folder"
        library = Library(args.info_library)
    elif given.is_file():
        shown, _ = library_of(argparse.Namespace(library=None))
        library = shown if shown is not None and shown.contains(given.absolute()) \
            else Library(given.absolute().parent)
    else:
        library, problem = library_of(argparse.Namespace(library=None))
        if problem:
            return None, "", problem
    target = str(given.absolute()) if given.is_file() else args.path
    rel = library_page(library, target)
    if rel is None:
        return None, "", f"{args.path} is not a runbook in {library.root}"
    return library, rel, ""
