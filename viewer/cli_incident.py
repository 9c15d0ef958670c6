"""The ``incident`` command: start, note, tick, list, export and end incidents.

It shares the active incident with the window (see ``core.incident.store``):
a note added here shows in the window's timeline, and the other way round.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2
FORMATS = ("md", "json", "slack")


def add_commands(commands: argparse._SubParsersAction, parser_class: type) -> None:
    incident = commands.add_parser("incident", help="keep an incident's timeline; hand it over")
    actions = incident.add_subparsers(dest="incident_command", metavar="ACTION", required=True,
                                      parser_class=parser_class)
    start = actions.add_parser("start", help="start an incident (it becomes the active one)")
    start.add_argument("title", metavar="TITLE")
    start.add_argument("--alert", metavar="TEXT",
                       help="the alert notification ('-' reads stdin); its labels fill variables")
    note = actions.add_parser("note", help="add a note to the active incident's timeline")
    note.add_argument("text", metavar="TEXT")
    note.add_argument("--at", metavar="TIME",
                      help="when it happened: HH:MM today (local time) or 2026-12-07T03:10Z")
    tick = actions.add_parser("tick", help="mark a runbook section's step done (or --undo)")
    tick.add_argument("target", metavar="PATH#anchor",
                      help="relative to the library, as search --json prints it")
    tick.add_argument("--undo", action="store_true", help="mark it not done")
    tick.add_argument("--library", type=Path, metavar="DIR", default=argparse.SUPPRESS,
                      help="folder of runbooks (default: the library the window shows)")
    listing = actions.add_parser("list", help="incidents, newest first")
    listing.add_argument("--json", action="store_true", help="print JSON")
    export = actions.add_parser("export", help="the hand-over of an incident (default: active)")
    export.add_argument("id", nargs="?", metavar="ID")
    export.add_argument("--format", choices=FORMATS, default="md")
    export.add_argument("-o", "--output", type=Path, metavar="FILE",
                        help="write it to FILE instead of printing it")
    actions.add_parser("end", help="mark the active incident resolved")


def _fail(message: str, code: int = EXIT_FAILURE) -> int:
    print(f"runbook-viewer: {message}", file=sys.stderr)
    return code


def cmd_incident(args: argparse.Namespace, library_of) -> int:  # type: ignore[no-untyped-def]
    from viewer.core.incident import export, store
    from viewer.core.incident.log import parse_when
    from viewer.core.incident.session import Incident

    command = args.incident_command
    if command == "list":
        found = store.incidents()
        active = store.active_id()
        if args.json:
            print(json.dumps([{"id": s.id, "title": s.title, "started": s.started,
                               "ended": s.ended or None, "events": s.events,
                               "active": s.id == active} for s in found], indent=2,
                             ensure_ascii=False))
        elif not found:
            print("No incidents yet (runbook-viewer incident start TITLE).")
        for summary in found if not args.json else []:
            state = "active" if summary.id == active else (
                f"resolved {summary.ended}" if summary.ended else "open")
            print(f"{summary.id}  {summary.title}  (started {summary.started}, {state})")
        return EXIT_OK
    if command == "start":
        if store.active_id():
            return _fail(f"incident {store.active_id()} is active; end it first "
                         "(runbook-viewer incident end)")
        alert = sys.stdin.read() if args.alert == "-" else (args.alert or "")
        from viewer.core.variables.catalog import alert_labels

        incident_id = store.start(args.title, alert, alert_labels(alert) if alert else {})
        print(f"Started incident {incident_id}: {args.title}")
        return EXIT_OK
    if command == "export":
        incident_id = args.id or store.active_id()
        if not incident_id:
            return _fail("no incident is active; name one (runbook-viewer incident list)")
        try:
            timeline = Incident(incident_id).timeline()
        except ValueError as err:
            return _fail(str(err), EXIT_USAGE)
        if not timeline.started:
            return _fail(f"there is no incident {incident_id}")
        if args.format == "md":
            text = export.markdown(timeline)
        elif args.format == "json":
            text = export.as_json(timeline)
        else:
            text = "\n\n----\n\n".join(export.slack(timeline)) + "\n"
        if args.output is None:
            sys.stdout.write(text)
            return EXIT_OK
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as err:
            return _fail(f"could not write {args.output}: {err.strerror or err}")
        print(f"Wrote {args.output}")
        return EXIT_OK
    incident = Incident.active()
    if incident is None:
        return _fail("no incident is active (runbook-viewer incident start TITLE)")
    if command == "end":
        store.end(incident.id)
        print(f"Incident {incident.id} resolved.")
        return EXIT_OK
    if command == "note":
        when = parse_when(args.at) if args.at else None
        if args.at and when is None:
            return _fail(f"--at {args.at!r}: give HH:MM or an ISO time", EXIT_USAGE)
        incident.note(args.text, when)
        print("Noted.")
        return EXIT_OK
    return _tick(args, incident, library_of)


def _tick(args: argparse.Namespace, incident, library_of) -> int:  # type: ignore[no-untyped-def]
    from viewer.core.document import Document
    from viewer.core.incident.steps import Step, StepNamer
    from viewer.core.pins import split_target
    from viewer.core.rendering import render_file

    library, problem = library_of(args)
    if problem:
        return _fail(problem)
    path, anchor = split_target(args.target)
    document = render_file(library, path)
    if not isinstance(document, Document):
        return _fail(document.message)
    step = next((s for s in document.steps if s.kind == "heading" and s.anchor == anchor), None)
    if step is None:
        heading = next((h for h in document.headings if h.anchor == anchor), None)
        if heading is None:
            return _fail(f"{path} has no section #{anchor}" if anchor else
                         "give the section to tick: PATH#anchor")
        # A section that is not a numbered step: known by its heading path all the same.
        trail = [h.text for h in document.headings[:document.headings.index(heading)]
                 if h.level < heading.level]
        step = Step(StepNamer().name(trail, heading.text), "heading", heading.text, anchor)
    incident.tick(path, step, ticked=not args.undo)
    print(f"{'Not done' if args.undo else 'Done'}: {step.text} ({path}#{anchor})")
    return EXIT_OK
