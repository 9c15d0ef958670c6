"""The command line: open the window, render a runbook, index and search a library.

Every failure a user can cause (a bad argument, a missing or unreadable
file) is one clear line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from viewer.launch import HELPER_COMMAND, WINDOW, command_word

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not the usage dump
        self.exit(EXIT_USAGE, f"runbook-viewer: {message} (see runbook-viewer --help)\n")


class _VersionAction(argparse.Action):
    def __call__(self, parser, namespace, values, option_string=None):  # type: ignore[no-untyped-def]
        from viewer.buildinfo import version_line

        print(f"runbook-viewer {version_line()}")  # stdout, as every program's --version
        parser.exit(EXIT_OK)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument table; with ``command`` (one of this module's own, or ``WINDOW``),
    only that command's.

    Building every command's table imports the modules that declare them: a third
    of a search's time, and of the window's start before its first paint.
    """
    parser = _Parser(prog="runbook-viewer",
                     description="Offline viewer for on-call runbooks.")
    parser.add_argument("--version", action=_VersionAction, nargs=0,
                        help="show the version and the commit it was built from")
    parser.add_argument("--library", type=Path, metavar="DIR",
                        help="folder of runbooks to show (default: the configured library, "
                             "else the bundled docs)")
    parser.add_argument("--self-test", action="store_true",
                        help="open the window offscreen on the default runbook, print the time "
                             "to first paint and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    if command == WINDOW:
        return parser
    if command in _OWN_COMMANDS:
        _OWN_COMMANDS[command](commands)
        return parser
    for add in _OWN_COMMANDS.values():
        add(commands)
    from viewer.cli_check import add_commands as add_check_commands
    from viewer.cli_incident import add_commands as add_incident_commands
    from viewer.cli_open import add_commands as add_open_commands
    from viewer.cli_sources_args import add_commands
    from viewer.cli_vars import add_commands as add_variable_commands

    add_commands(commands, _Parser)
    add_variable_commands(commands, _Parser)
    add_incident_commands(commands, _Parser)
    add_open_commands(commands, _Parser)
    add_check_commands(commands, _Parser)
    from viewer.cli_export import add_commands as add_export_commands

    add_export_commands(commands, _Parser)
    return parser


_LIBRARY_HELP = "folder of runbooks (default: the library the window shows)"


def _add_render(commands) -> None:  # type: ignore[no-untyped-def]
    render = commands.add_parser("render", help="print the HTML of one runbook, as the window "
                                                "shows it")
    render.add_argument("file", type=Path, metavar="FILE")
    render.add_argument("--library", type=Path, metavar="DIR", dest="render_library",
                        help="library that links resolve in (default: the file's folder)")
    render.add_argument("--theme", choices=("light", "dark"), default="light")


def _add_index(commands) -> None:  # type: ignore[no-untyped-def]
    index = commands.add_parser("index", help="build or refresh the search index and print "
                                              "counts and time")
    index.add_argument("--library", type=Path, metavar="DIR", default=argparse.SUPPRESS,
                       help=_LIBRARY_HELP)


def _add_search(commands) -> None:  # type: ignore[no-untyped-def]
    search = commands.add_parser(
        "search", help="search the library; put -- before a query that starts with -",
        description="Words must all match; \"exact phrase\", prefix*, OR, -word, "
                    "tag:NAME, severity:SEV1, folder:PATH. Punctuation is matched as typed. "
                    "The first search leaves a helper process that answers the next ones "
                    "faster and leaves after ten idle minutes "
                    "(RUNBOOK_VIEWER_SEARCH_HELPER=off: none).")
    search.add_argument("query", nargs="+", metavar="QUERY")
    search.add_argument("--library", type=Path, metavar="DIR", default=argparse.SUPPRESS,
                        help=_LIBRARY_HELP)
    search.add_argument("--limit", type=_positive, default=10, metavar="N",
                        help="at most N runbooks (default 10)")
    search.add_argument("--json", action="store_true",
                        help="print a JSON list of {path, title, anchor, heading, snippet, "
                             "score, severity, tags}")


def _add_pins(commands) -> None:  # type: ignore[no-untyped-def]
    pins = commands.add_parser("pins", help="list, add or remove pinned runbooks")
    pin_commands = pins.add_subparsers(dest="pins_command", metavar="ACTION", required=True,
                                       parser_class=_Parser)
    pins_list = pin_commands.add_parser("list", help="the pinned runbooks, in order")
    pins_list.add_argument("--json", action="store_true", help="print JSON")
    for action, text in (("add", "pin a runbook, or one section of it"),
                         ("remove", "unpin a runbook or section")):
        sub = pin_commands.add_parser(action, help=text)
        sub.add_argument("target", metavar="PATH[#anchor]",
                         help="relative to the library, as search --json prints it")
    for sub in pin_commands.choices.values():
        sub.add_argument("--library", type=Path, metavar="DIR", default=argparse.SUPPRESS,
                         help=_LIBRARY_HELP)


def _add_triage(commands) -> None:  # type: ignore[no-untyped-def]
    triage = commands.add_parser(
        "triage", help="print the symptom tree, or with --alert the runbooks for a pasted alert")
    triage.add_argument("--library", type=Path, metavar="DIR", default=argparse.SUPPRESS,
                        help=_LIBRARY_HELP)
    triage.add_argument("--alert", metavar="TEXT",
                        help="an alert notification (Alertmanager text or JSON, PagerDuty, "
                             "Opsgenie, Slack) or an alert name, '-' to read it from stdin; "
                             "prints the runbooks for each alert it names (exit 1: none)")
    triage.add_argument("--json", action="store_true", help="print JSON")


_OWN_COMMANDS = {"render": _add_render, "index": _add_index, "search": _add_search,
                 "pins": _add_pins, "triage": _add_triage}


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


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
    result = render_path(file, library, labels=_render_labels(library))
    if isinstance(result, Problem):
        return _fail(result.message)
    sys.stdout.write(page_html(result, args.theme))
    return EXIT_OK


def _render_labels(library):  # type: ignore[no-untyped-def]
    """For a page in a library: the labels (reST's, MyST's) from the library's index when
    current; read only if the page refers to one."""
    if library is None:
        return None
    from viewer.core.search import library_labels

    return library_labels(library, check_disk=True)


def _library(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The library a command works on, or a message saying why there is none."""
    from viewer.core.library import Library

    requested = getattr(args, "library", None)
    if requested is not None:  # neither settings nor sources are needed to know the folder
        problem = _check_dir(requested, "library")
        return (None, problem) if problem else (Library(requested), "")
    from viewer.core.config import load_settings, shown_library

    settings, _ = load_settings()
    from viewer.sync.union import union_library

    union, union_problem = union_library()
    if union_problem:
        print(f"runbook-viewer: {union_problem}", file=sys.stderr)
    folder, problem = shown_library(requested, settings, union)
    if problem:
        print(f"runbook-viewer: {problem}", file=sys.stderr)
    return Library(folder), ""


def _refreshed_index(library, *, show_progress: bool, watched=None):  # type: ignore[no-untyped-def]
    """The library's index, brought up to date; (index, report) or raises OSError/sqlite3.

    ``watched`` (a :class:`~viewer.core.search.change_feed.WatchedLibraries`, in the
    search helper) skips the disk check when the kernel says nothing changed.
    """
    from viewer.core.search import open_index
    from viewer.core.search.refresh import RefreshReport, refresh_index

    index = open_index(library)
    root = str(library.root)
    if watched is not None and watched.fresh(root, index.disk_stamp):
        return index, RefreshReport()
    progress = None
    if show_progress and sys.stderr.isatty():
        def progress(done: int, total: int) -> None:
            if total >= 50:
                print(f"\rIndexing… {done}/{total}", end="", file=sys.stderr, flush=True)
    report = refresh_index(index, library, progress=progress,
                           watch=watched.watch_for(root) if watched is not None else None)
    if progress is not None and report.parsed >= 50:
        print(file=sys.stderr)
    if watched is not None and not report.cancelled:
        watched.checked(root, index.disk_stamp())
    return index, report


def cmd_index(args: argparse.Namespace) -> int:
    import sqlite3

    library, problem = _library(args)
    if problem:
        return _fail(problem)
    try:
        index, report = _refreshed_index(library, show_progress=True)
        documents, sections = index.counts()
    except (OSError, sqlite3.Error) as err:
        return _fail(f"the search index could not be updated: {err}")
    if report.rebuilt_because:
        print(f"Built a new index ({report.rebuilt_because}).")
    print(f"{library.root}: {documents} runbooks, {sections} sections in the index.")
    print(f"{report.summary()}.")
    for problem_line in report.problems[:20]:
        print(f"  not indexed: {problem_line}")
    if len(report.problems) > 20:
        print(f"  … and {len(report.problems) - 20} more")
    print(f"Index file: {index.db_path}")
    return EXIT_OK


def _read_index(args: argparse.Namespace, read, watched=None):  # type: ignore[no-untyped-def]
    """``read(index)`` on the library's index, refreshed first: (result, "") or (None, why).

    An index found damaged in the middle of the read was reset; it is rebuilt
    and read once more, so the user only ever sees a slower answer.
    """
    import sqlite3

    from viewer.core.search.index import IndexUnavailable

    library, problem = _library(args)
    if problem:
        return None, problem
    try:
        index, _ = _refreshed_index(library, show_progress=False, watched=watched)
        try:
            return read(index), ""
        except IndexUnavailable:
            index, _ = _refreshed_index(library, show_progress=False)
            return read(index), ""
    except (OSError, sqlite3.Error, IndexUnavailable) as err:
        return None, f"the index could not be read: {err}"


def _options_after_dashes(args: argparse.Namespace) -> None:
    """``search --json -- --replicas=20 --library DIR``: after the query's ``--`` argparse
    reads ``--library DIR`` as words to search for; they are the option the user meant."""
    words = list(args.query)
    for option, name in (("--library", "library"), ("--limit", "limit")):
        while option in words[:-1]:
            at = words.index(option)
            value = words[at + 1]
            setattr(args, name, Path(value) if name == "library" else int(value)
                    if value.isdigit() else getattr(args, name, None))
            del words[at:at + 2]
    if "--json" in words:
        words.remove("--json")
        args.json = True
    args.query = words


def cmd_search(args: argparse.Namespace, watched=None) -> int:  # type: ignore[no-untyped-def]
    """``watched``: the search helper's change feeds (see :func:`_refreshed_index`)."""
    import json

    _options_after_dashes(args)
    text = " ".join(args.query)
    if not text.strip():
        return _fail("search needs words to look for (an empty query matches nothing)",
                     EXIT_USAGE)
    hits, problem = _read_index(args, lambda index: index.search(text, limit=args.limit),
                                watched)
    if problem:
        return _fail(problem)
    if args.json:
        json.dump([{"path": h.path, "title": h.title, "anchor": h.anchor, "heading": h.heading,
                    "snippet": h.snippet_marked(), "score": h.score, "severity": h.severity,
                    "tags": h.tags} for h in hits], sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return EXIT_OK
    if not hits:
        print(f"No runbook matches {text}.")
        return EXIT_OK
    bold, plain = ("\033[1m", "\033[0m") if sys.stdout.isatty() else ("**", "**")
    for number, hit in enumerate(hits, 1):
        where = f"{hit.path}#{hit.anchor}" if hit.anchor else hit.path
        badge = f" [{hit.severity}]" if hit.severity else ""
        print(f"{number}. {hit.title}{badge}  {where}")
        if hit.heading and hit.heading != hit.title:
            print(f"   {hit.heading}")
        if hit.snippet:
            print(f"   {hit.snippet_marked(bold, plain)}")
    return EXIT_OK


def _target_line(target) -> str:  # type: ignore[no-untyped-def]
    badge = f" [{target.severity}]" if target.severity else ""
    return f"{target.title}{badge}  {target.path}#{target.anchor}"


def cmd_triage(args: argparse.Namespace) -> int:
    import json

    from viewer.core.triage.tree import TriageTree, target_json

    pasted = sys.stdin.read() if args.alert == "-" else args.alert
    if pasted is not None and not pasted.strip():
        return _fail("--alert needs the text of a notification or an alert name",
                     EXIT_USAGE)
    found: list[int] = []

    def read(index):  # type: ignore[no-untyped-def]
        tree = TriageTree.load(index)
        if pasted is not None:
            matches = tree.paste(pasted)
            found.append(sum(len(m.targets) for m in matches))
            if args.json:
                best = list(dict.fromkeys(t for m in matches for t in m.targets))
                return json.dumps({"alerts": [m.as_json() for m in matches],
                                   "targets": [target_json(t) for t in best]},
                                  indent=2, ensure_ascii=False)
            return _paste_lines(matches)
        if args.json:
            return json.dumps(tree.as_json(), indent=2, ensure_ascii=False)
        lines = [] if tree.categories else ["No runbook in the library states its symptoms yet."]
        for category in tree.categories:
            lines.append(category.name)
            for node in category.symptoms:
                lines.append(f"  {node.label}")
                lines += [f"    -> {_target_line(e.target)}" for e in tree.scenarios_for(node.key)]
        return "\n".join(lines)

    output, problem = _read_index(args, read)
    if problem:
        return _fail(problem)
    print(output)
    return EXIT_FAILURE if pasted is not None and not (found and found[0]) else EXIT_OK


def _paste_lines(matches) -> str:  # type: ignore[no-untyped-def]
    """Each pasted alert, its labels, its runbooks or the nearest names; for a terminal."""
    if not matches:
        return "No alert name found in that text."
    lines = []
    for match in matches:
        labels = " ".join(f"{k}={v}" for k, v in match.labels.items())
        lines.append(f"{match.name}" + (f"  ({labels})" if labels else ""))
        lines += [f"  -> {_target_line(t)}" for t in match.targets]
        if not match.targets:
            near = ", ".join(t.alert or t.title for t in match.suggestions)
            lines.append(f"  no runbook for {match.name}" + (f"; closest: {near}" if near else ""))
    return "\n".join(lines)


def cmd_pins(args: argparse.Namespace) -> int:
    import json
    import sqlite3

    from viewer.core.library import OutsideLibrary
    from viewer.core.pins import Pin, PinStore, split_target

    library, problem = _library(args)
    if problem:
        return _fail(problem)
    try:
        store = PinStore()
    except (OSError, sqlite3.Error) as err:
        return _fail(f"your pins cannot be read: {err}")
    if store.problem:
        print(f"runbook-viewer: {store.problem}", file=sys.stderr)
    try:
        if args.pins_command == "list":
            pins = store.pins(library.root)
            if args.json:
                print(json.dumps([{"path": p.path, "anchor": p.anchor or None,
                                   "label": p.label or None,
                                   "missing": not (library.root / p.path).is_file()}
                                  for p in pins], indent=2, ensure_ascii=False))
            elif not pins:
                print("Nothing is pinned in this library yet (runbook-viewer pins add PATH).")
            for pin in pins if not args.json else []:
                gone = "" if (library.root / pin.path).is_file() else "  (missing)"
                print(f"{pin.target}{gone}")
            return EXIT_OK
        path, anchor = split_target(args.target)
        if args.pins_command == "add":
            try:
                real = library.resolve(path)
            except OutsideLibrary as err:
                return _fail(str(err))
            if not path or not real.is_file():
                return _fail(f"{path or args.target} is not a runbook in {library.root}")
            added = store.add(library.root, Pin(path, anchor))
            print(f"Pinned {args.target}." if added else f"{args.target} was pinned already.")
            return EXIT_OK
        if not store.remove(library.root, path, anchor):
            return _fail(f"{args.target} is not pinned in {library.root}")
        print(f"Unpinned {args.target}.")
        return EXIT_OK
    except sqlite3.Error as err:
        return _fail(f"your pins could not be saved: {err}")
    finally:
        store.close()


def _fail(message: str, code: int = EXIT_FAILURE) -> int:
    print(f"runbook-viewer: {message}", file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    started = time.perf_counter()
    words = sys.argv[1:] if argv is None else argv
    command = command_word(words)
    if command == HELPER_COMMAND:
        from viewer.search_helper import serve_command

        return serve_command(words)
    args = build_parser(command).parse_args(words)
    try:
        if args.command == "render":
            return cmd_render(args)
        if args.command == "index":
            return cmd_index(args)
        if args.command == "search":
            exit_code = cmd_search(args)
            from viewer import search_helper

            if search_helper.enabled():
                search_helper.start()  # the next search is answered by it
            return exit_code
        if args.command == "triage":
            return cmd_triage(args)
        if args.command == "pins":
            return cmd_pins(args)
        if args.command == "incident":
            from viewer.cli_incident import cmd_incident

            return cmd_incident(args, _library)
        if args.command in ("vars", "copy"):
            from viewer.cli_vars import cmd_copy, cmd_vars

            return cmd_vars(args) if args.command == "vars" else cmd_copy(args)
        if args.command in ("open", "resolve", "register-url-handler"):
            from viewer.cli_open import cmd_open, cmd_register, cmd_resolve

            if args.command == "open":
                return cmd_open(args, started)
            return cmd_resolve(args, _library) if args.command == "resolve" \
                else cmd_register(args)
        if args.command in ("check", "info"):
            from viewer.cli_check import cmd_check, cmd_info

            return cmd_check(args) if args.command == "check" else cmd_info(args, _library)
        if args.command == "export":
            from viewer.cli_export import cmd_export

            return cmd_export(args, _library, _read_index)
        if args.command in ("sources", "sync"):
            from viewer.cli_sources import cmd_sources, cmd_sync

            return cmd_sources(args) if args.command == "sources" else cmd_sync(args)
        if args.library is not None:
            problem = _check_dir(args.library, "library")
            if problem:
                return _fail(problem)
        from viewer.core.open_request import OpenRequest
        from viewer.handoff import hand_over

        if hand_over(OpenRequest(), own_library=args.library is not None,
                     self_test=args.self_test):
            return EXIT_OK  # the running window came to the front
        from viewer.ui.app import run_window

        return run_window(args.library, self_test=args.self_test, started=started)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
