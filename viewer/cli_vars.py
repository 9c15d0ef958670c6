"""The ``vars`` and ``copy`` commands: a runbook's placeholders, and its commands filled in.

``copy`` prints exactly what the window's Copy puts on the clipboard, with
the values given by ``--set`` and ``--alert``; it exits 3, naming them on
stderr, when a placeholder has no value (and prints the command with the
placeholder as written).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_MISSING = 0, 1, 2, 3


def add_commands(commands: argparse._SubParsersAction, parser_class: type) -> None:
    library_help = "library the file is in (default: the file's folder)"
    listing = commands.add_parser("vars", help="list the placeholders of a runbook's commands")
    listing.add_argument("file", type=Path, metavar="FILE")
    listing.add_argument("--library", type=Path, metavar="DIR", dest="vars_library",
                         help=library_help)
    listing.add_argument("--json", action="store_true",
                         help="print a JSON list of {name, kind, occurrences: [{block, line, "
                              "column, text}], description, default}")
    copy = commands.add_parser(
        "copy", help="print a code block's commands with the placeholders filled in, exactly "
                     "as Copy would (exit 3: a placeholder has no value)")
    copy.add_argument("target", metavar="FILE[#anchor]")
    copy.add_argument("--block", type=int, metavar="N",
                      help="the Nth code block of the section (of the page without #anchor); "
                           "default: the first")
    copy.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                      dest="values", help="a variable's value (repeatable)")
    copy.add_argument("--alert", metavar="TEXT",
                      help="a pasted alert notification whose labels fill variables; "
                           "'-' reads it from stdin")
    copy.add_argument("--library", type=Path, metavar="DIR", dest="vars_library",
                      help=library_help)


def _fail(message: str, code: int = EXIT_FAILURE) -> int:
    print(f"runbook-viewer: {message}", file=sys.stderr)
    return code


def _document(file: Path, library_dir: Path | None):  # type: ignore[no-untyped-def]
    """The rendered runbook, or a message saying why there is none."""
    from viewer.core.document import Problem
    from viewer.core.library import Library
    from viewer.core.rendering import render_path

    if not file.exists():
        return None, f"{file} does not exist"
    if file.is_dir():
        return None, f"{file} is a folder; give a runbook file"
    library = None
    if library_dir is not None:
        if not library_dir.is_dir():
            return None, f"library {library_dir} is not a folder"
        library = Library(library_dir)
        if not library.contains(file.absolute()):
            return None, f"{file} is not inside the library {library.root}"
    result = render_path(file, library)
    if isinstance(result, Problem):
        return None, result.message
    return result, ""


def cmd_vars(args: argparse.Namespace) -> int:
    document, problem = _document(args.file, args.vars_library)
    if document is None:
        return _fail(problem)
    rows = [{"name": v.name, "kind": v.kinds[0] if v.kinds else "declared",
             "kinds": v.kinds or ["declared"],
             "occurrences": [{"block": p.block or None, "line": p.line, "column": p.column,
                              "text": p.raw} for p in v.placements],
             "description": v.description, "default": v.default, "label": v.label,
             "secret": v.secret} for v in document.variables]
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return EXIT_OK
    if not rows:
        print(f"{args.file}: no placeholders in its commands.")
    for row in rows:
        places = ", ".join(
            (f"block {o['block']} line {o['line']}" if o["block"] else "inline")
            for o in row["occurrences"][:6])
        more = f" (+{len(row['occurrences']) - 6} more)" if len(row["occurrences"]) > 6 else ""
        extra = f"  default {row['default']!r}" if row["default"] else ""
        print(f"{row['name']}  [{'/'.join(row['kinds'])}]  {places}{more}{extra}")
        if row["description"]:
            print(f"    {row['description']}")
    return EXIT_OK


def cmd_copy(args: argparse.Namespace) -> int:
    from viewer.core.variables.catalog import alert_labels, blocks_in_section, filled_block
    from viewer.core.variables.values import values_from_pairs

    target: str = args.target
    path, anchor = Path(target), ""
    if not path.exists() and "#" in target:
        file, _, anchor = target.rpartition("#")
        path = Path(file)
    document, problem = _document(path, args.vars_library)
    if document is None:
        return _fail(problem)
    try:
        values = values_from_pairs(args.values)
    except ValueError as err:
        return _fail(str(err), EXIT_USAGE)
    if args.alert is not None:
        pasted = sys.stdin.read() if args.alert == "-" else args.alert
        labels = alert_labels(pasted)
        if not labels:
            return _fail("--alert: no alert labels found in that text", EXIT_USAGE)
        values.take_labels(labels)
    if not document.code_blocks:
        return _fail(f"{path} has no code blocks")
    if anchor and anchor not in document.anchors:
        return _fail(f"{path} has no section #{anchor}")
    candidates = (blocks_in_section(document, anchor) if anchor
                  else [b.index for b in document.code_blocks])
    if not candidates:
        return _fail(f"section #{anchor} of {path} has no code block")
    number = args.block or 1
    if not 1 <= number <= len(candidates):
        where = f"section #{anchor}" if anchor else str(path)
        return _fail(f"{where} has {len(candidates)} code block"
                     f"{'s' if len(candidates) != 1 else ''}, not {number}", EXIT_USAGE)
    filled = filled_block(document, candidates[number - 1], values)
    print(filled.text)
    if filled.missing:
        names = ", ".join(filled.missing)
        print(f"runbook-viewer: no value for {names}; give it with --set NAME=VALUE "
              "(printed as written)", file=sys.stderr)
        return EXIT_MISSING
    return EXIT_OK
