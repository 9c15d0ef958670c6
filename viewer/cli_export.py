"""The ``export`` command: the runbooks that matter, as one HTML or PDF file.

The pins by default; ``--all``, ``--tag``, ``--severity`` or paths choose
others. Progress goes to stderr on a terminal; the file is written whole
or not at all (a temporary file renamed into place), so a full disk never
leaves half an export that looks complete.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


def add_commands(commands: argparse._SubParsersAction, parser_class: type) -> None:
    export = commands.add_parser(
        "export", help="write runbooks to one HTML or PDF file that opens anywhere "
                       "(break-glass copy; default: your pins)")
    export.add_argument("paths", nargs="*", metavar="PATH",
                        help="runbooks to export (files, or paths as search prints them)")
    chosen = export.add_mutually_exclusive_group()
    chosen.add_argument("--pins", action="store_true", help="the pinned runbooks (default)")
    chosen.add_argument("--all", action="store_true", help="every runbook of the library")
    chosen.add_argument("--tag", metavar="T", help="the runbooks tagged T")
    chosen.add_argument("--severity", metavar="S", help="the runbooks of severity S")
    export.add_argument("--library", type=Path, metavar="DIR", default=argparse.SUPPRESS,
                        help="folder of runbooks (default: the library the window shows)")
    export.add_argument("--format", choices=("html", "pdf"),
                        help="html or pdf (default: from the output file's name, else html)")
    export.add_argument("-o", "--output", type=Path, metavar="FILE", required=True,
                        help="the file to write")
    export.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        dest="values", help="fill a placeholder in every command "
                                            "(repeatable); others stay visible as placeholders")


def _fail(message: str, code: int = EXIT_FAILURE) -> int:
    print(f"runbook-viewer: {message}", file=sys.stderr)
    return code


def cmd_export(args: argparse.Namespace, library_of, read_index) -> int:  # type: ignore[no-untyped-def]
    from viewer.core.variables.values import values_from_pairs

    try:
        values = values_from_pairs(args.values)
    except ValueError as err:
        return _fail(str(err), EXIT_USAGE)
    fmt = args.format or ("pdf" if args.output.suffix.lower() == ".pdf" else "html")
    if args.output.is_dir():
        return _fail(f"{args.output} is a folder; give a file name", EXIT_USAGE)
    library, problem = library_of(args)
    if problem:
        return _fail(problem)
    paths, problem = _chosen(args, library, read_index)
    if problem:
        return _fail(problem)
    progress = None
    if sys.stderr.isatty():
        def progress(done: int, total: int) -> None:
            print(f"\rExporting… {done}/{total}", end="", file=sys.stderr, flush=True)
    from viewer.export.book import make_book

    book = make_book(library, paths, values=values if values else None, progress=progress,
                     for_print=fmt == "pdf")
    if progress is not None:
        print(file=sys.stderr)
    try:
        if fmt == "pdf":
            from viewer.ui.pdf_export import write_pdf

            write_whole(args.output, lambda tmp: write_pdf(book, tmp))
        else:
            from viewer.export.html_file import book_html

            text = book_html(book)
            write_whole(args.output, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    except OSError as err:
        return _fail(f"cannot write {args.output}: {err.strerror or err}")
    size = args.output.stat().st_size
    from viewer.core.words import plural

    print(f"Exported {plural(len(paths), 'runbook')} to {args.output} "
          f"({size / 1024 / 1024:.1f} MB).", file=sys.stderr)
    return EXIT_OK


def write_whole(target: Path, write) -> None:  # type: ignore[no-untyped-def]
    """Write a file through ``write(temporary path)``, then rename it into place: a full
    disk or a crash leaves the old file, never half a new one."""
    folder = target.absolute().parent
    handle, name = tempfile.mkstemp(prefix=".export-", dir=folder)
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as any file the user saves, not mkstemp's 0600
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _chosen(args: argparse.Namespace, library, read_index):  # type: ignore[no-untyped-def]
    """The library paths to export, in order, or a message saying why there are none."""
    from viewer.core.open_request import library_page
    from viewer.export.selection import filtered_runbooks, pinned_runbooks

    if args.paths:
        found = []
        for given in args.paths:
            target = str(Path(given).absolute()) if Path(given).is_file() else given
            rel = library_page(library, target)
            if rel is None:
                return [], f"{given} is not a runbook in {library.root}"
            found.append(rel)
        return list(dict.fromkeys(found)), ""
    if args.all:
        return list(library.iter_runbooks()), ""
    if args.tag or args.severity:
        query = f"tag:{args.tag}" if args.tag else f"severity:{args.severity}"
        paths, problem = read_index(args, lambda index: filtered_runbooks(index, query))
        if problem:
            return [], problem
        return (paths, "") if paths else ([], f"no runbook matches {query}")
    from viewer.core.pins import PinStore

    store = PinStore()
    try:
        pins = pinned_runbooks(library, store.pins(library.root))
    finally:
        store.close()
    if not pins:
        return [], ("nothing is pinned in this library: pin runbooks first, or export "
                    "--all, --tag T, --severity S or PATHs")
    return pins, ""
