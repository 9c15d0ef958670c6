"""The ``open``, ``resolve`` and ``register-url-handler`` commands: from an alert's link to
the offline copy of its runbook."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


def add_commands(commands: argparse._SubParsersAction, parser_class: type) -> None:
    opener = commands.add_parser(
        "open", help="open a runbook from its web address, a runbook-viewer:// link or a "
                     "path, in the running window if there is one",
        description="TARGET is a web address of a runbook (its page on GitHub, GitLab, "
                    "Gitea, Forgejo or Bitbucket, or on the team's published site), a "
                    "runbook-viewer://open?path=|url=|alert= link, or a path in the library "
                    "with an optional #anchor. Without TARGET the window comes to the front.")
    opener.add_argument("target", nargs="?", default="", metavar="TARGET")
    opener.add_argument("--alert-json", metavar="FILE",
                        help="an Alertmanager webhook payload or 'amtool alert query -o json' "
                             "output ('-': standard input); opens the runbook of its first "
                             "firing alert, by runbook_url, else by alert name")
    opener.add_argument("--library", type=Path, metavar="DIR", default=argparse.SUPPRESS,
                        help="show this folder in a window of its own")
    resolve = commands.add_parser(
        "resolve", help="print which runbook a web address or link opens, without opening it")
    resolve.add_argument("target", metavar="URL")
    resolve.add_argument("--json", action="store_true",
                         help='print {"source", "path", "anchor"}')
    resolve.add_argument("--library", type=Path, metavar="DIR", default=argparse.SUPPRESS,
                         help="folder of runbooks (default: the library the window shows)")
    commands.add_parser("register-url-handler",
                        help="make runbook-viewer:// links open this app (once per user)")


def _fail(message: str, code: int = EXIT_FAILURE) -> int:
    print(f"runbook-viewer: {message}", file=sys.stderr)
    return code


def _request(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from viewer.core.open_request import from_alertmanager_json, parse_target

    if args.alert_json is not None:
        source = sys.stdin if args.alert_json == "-" else None
        try:
            if source is None:
                with open(args.alert_json, encoding="utf-8", errors="replace") as handle:
                    text = handle.read(1024 * 1024)
            else:
                text = source.read(1024 * 1024)
        except OSError as err:
            raise ValueError(f"{args.alert_json} could not be read: {err.strerror}") from None
        return from_alertmanager_json(text)
    return parse_target(args.target)


def cmd_open(args: argparse.Namespace, started: float) -> int:
    from viewer.core.open_request import BadRequest

    try:
        request = _request(args)
    except (BadRequest, ValueError) as err:
        return _fail(str(err), EXIT_USAGE)
    library = getattr(args, "library", None)
    if library is not None and not Path(library).is_dir():
        return _fail(f"library {library} is not a folder")
    from viewer.handoff import hand_over

    if hand_over(request, own_library=library is not None):
        return EXIT_OK
    from viewer.ui.app import run_window  # Qt is loaded only for a window of this launch

    return run_window(library, started=started, request=request)


def cmd_resolve(args: argparse.Namespace, library_of) -> int:  # type: ignore[no-untyped-def]
    from viewer.core.open_request import BadRequest, library_page, parse_target

    try:
        request = parse_target(args.target)
    except BadRequest as err:
        return _fail(str(err), EXIT_USAGE)
    if request.alert or request.is_empty:
        return _fail("resolve takes a web address, a runbook-viewer://open?path=|url= link "
                     "or a path (an alert is matched by: runbook-viewer triage --alert NAME)",
                     EXIT_USAGE)
    library, problem = library_of(args)
    if problem:
        return _fail(problem)
    if request.url:
        from viewer.sync.sources import load_sources
        from viewer.sync.web_links import Located, locate

        found = locate(request.url, load_sources()[0], library)
        if not isinstance(found, Located):
            hint = (f" Search for it: runbook-viewer search {found.search_for}"
                    if found.search_for else "")
            return _fail(f"{request.url} is not in your runbooks. {found.message}{hint}")
        answer = {"source": found.source, "path": found.path, "anchor": found.anchor}
        shown, note = found.library_path, found.note
    else:
        page = library_page(library, request.path)
        if page is None:
            return _fail(f"{request.path} is not in the library {library.root}.")
        source, _, rest = page.partition("/") if library.is_union else ("", "", page)
        answer = {"source": source, "path": rest, "anchor": request.anchor}
        shown, note = page, ""
    if args.json:
        print(json.dumps(answer, ensure_ascii=False))
    else:
        print(shown + (f"#{answer['anchor']}" if answer["anchor"] else ""))
        if note:
            print(note, file=sys.stderr)
    return EXIT_OK


def cmd_register(_args: argparse.Namespace) -> int:
    from viewer.url_handler import RegistrationFailed, register

    try:
        print(register())
    except RegistrationFailed as err:
        return _fail(str(err))
    return EXIT_OK
