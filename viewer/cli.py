"""The command line: open the window, render a runbook to HTML, run the self-test.

Every failure a user can cause (a bad argument, a missing or unreadable
file) is one clear line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from viewer import __version__

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not the usage dump
        self.exit(EXIT_USAGE, f"runbook-viewer: {message} (see runbook-viewer --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="runbook-viewer",
                     description="Offline viewer for on-call runbooks.")
    parser.add_argument("--version", action="version", version=f"runbook-viewer {__version__}")
    parser.add_argument("--library", type=Path, metavar="DIR",
                        help="folder of runbooks to show (default: the configured library, "
                             "else the bundled docs)")
    parser.add_argument("--self-test", action="store_true",
                        help="open the window offscreen on the default runbook, print the time "
                             "to first paint and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    render = commands.add_parser("render", help="print the HTML of one runbook, as the window "
                                                "shows it")
    render.add_argument("file", type=Path, metavar="FILE")
    render.add_argument("--library", type=Path, metavar="DIR", dest="render_library",
                        help="library that links resolve in (default: the file's folder)")
    render.add_argument("--theme", choices=("light", "dark"), default="light")
    return parser


def _check_dir(path: Path, what: str) -> str:
    if not path.exists():
        return f"{what} {path} does not exist"
    if not path.is_dir():
        return f"{what} {path} is not a folder"
    return ""


def cmd_render(args: argparse.Namespace) -> int:
    from viewer.core.document import Problem
    from viewer.core.library import Library
    from viewer.core.render.page import page_html
    from viewer.core.rendering import render_path

    file: Path = args.file
    if not file.exists():
        return _fail(f"{file} does not exist")
    if file.is_dir():
        return _fail(f"{file} is a folder; give a runbook file")
    library = None
    if args.render_library is not None:
        problem = _check_dir(args.render_library, "library")
        if problem:
            return _fail(problem)
        library = Library(args.render_library)
        if not library.contains(file.absolute()):
            return _fail(f"{file} is not inside the library {library.root}")
    result = render_path(file, library)
    if isinstance(result, Problem):
        return _fail(result.message)
    sys.stdout.write(page_html(result, args.theme))
    return EXIT_OK


def _fail(message: str) -> int:
    print(f"runbook-viewer: {message}", file=sys.stderr)
    return EXIT_FAILURE


def main(argv: list[str] | None = None) -> int:
    started = time.perf_counter()
    args = build_parser().parse_args(argv)
    try:
        if args.command == "render":
            return cmd_render(args)
        if args.library is not None:
            problem = _check_dir(args.library, "library")
            if problem:
                return _fail(problem)
        from viewer.ui.app import run_window

        return run_window(args.library, self_test=args.self_test, started=started)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
