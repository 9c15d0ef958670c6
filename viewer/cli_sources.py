"""The ``sources`` and ``sync`` commands: manage git sources and bring their copies up to date.

They share ``sources.json``, the keyring and the cache with the window. Every
line printed goes through :func:`viewer.sync.credentials.scrub`.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime

from viewer.core.words import plural
from viewer.sync.credentials import CredentialStore, scrub
from viewer.sync.snapshots import SourceCache
from viewer.sync.sources import (
    TOKEN_AS_USER,
    SourceError,
    load_sources,
    new_source,
    save_sources,
    take_token_usernames,
)
from viewer.sync.union import BUNDLED_NAME, build_union
from viewer.sync.web_links import web_addresses

EXIT_OK, EXIT_FAILURE = 0, 1


def _fail(message: str) -> int:
    print(f"runbook-viewer: {scrub(message)}", file=sys.stderr)
    return EXIT_FAILURE


def _when(seconds: float) -> str | None:
    return datetime.fromtimestamp(seconds).astimezone().isoformat(timespec="seconds") \
        if seconds else None


def _store(listing) -> str:  # type: ignore[no-untyped-def]
    """Save the list and bring the library folder in line; "" or why not."""
    try:
        save_sources(listing)
        build_union(listing)
    except OSError as err:
        return str(err.strerror or err)
    return ""


def _load_settled(credentials: CredentialStore):  # type: ignore[no-untyped-def]
    """The saved sources, with any token an older version kept as a user name moved out."""
    listing, problem = load_sources()
    if problem:
        print(f"runbook-viewer: {problem}", file=sys.stderr)
    if taken := take_token_usernames(listing):
        for name, token in taken.items():
            credentials.set(name, token)
        if trouble := _store(listing):
            print(f"runbook-viewer: the list of sources could not be saved: {trouble}",
                  file=sys.stderr)
    return listing


def cmd_sources(args: argparse.Namespace) -> int:
    from viewer.sync.engine import (  # dulwich: only for the commands that sync
        forget_source,
        removed_message,
    )

    credentials = CredentialStore()
    listing = _load_settled(credentials)
    if args.sources_command == "list":
        rows = []
        for source in listing.sources:
            status = SourceCache(source.name).status()
            rows.append({"name": source.name, "url": source.display_url(), "kind": source.kind,
                         "branch": source.branch if source.is_git else None,
                         "subdir": source.subdir, "username": source.username,
                         "last_sync": _when(status.last_sync), "commit": status.commit or None,
                         "last_error": status.last_error or None, "files": status.files,
                         "web": web_addresses(source)})
        if args.json:
            print(scrub(json.dumps(rows, indent=2)))
        elif not rows:
            print("No sources yet. Add one with: runbook-viewer sources add NAME URL")
        for row in rows if not args.json else []:
            where = f"{row['url']} ({row['branch']})" if row["branch"] else row["url"]
            state = ("a folder on this computer, shown as it is" if row["kind"] == "folder"
                     else f"synced {row['last_sync']}, commit {row['commit'][:10]}"
                     if row["commit"] else "not synced yet")
            print(scrub(f"{row['name']}: {where}; {state}"))
            if row["last_error"]:
                print(scrub(f"  last error: {row['last_error']}"))
            if row["web"]:
                print(scrub(f"  links open here from: {', '.join(row['web'])}"))
        return EXIT_OK
    if args.sources_command == "add":
        if listing.get(args.name) is not None or args.name == BUNDLED_NAME:
            return _fail(f"there is already a source called {args.name!r}")
        try:
            source, secret = new_source(args.name, args.url, branch=args.branch,
                                        subdir=args.subdir, username=args.username,
                                        key_file=args.key_file)
        except SourceError as err:
            return _fail(str(err))
        if args.password_stdin:
            secret = sys.stdin.readline().rstrip("\r\n") or secret
        if secret and not source.username and source.auth != TOKEN_AS_USER:
            return _fail("a password needs a --username to go with it")
        listing.sources.append(source)
        problem = _store(listing)
        if problem:
            return _fail(f"the source could not be saved: {problem}")
        where = credentials.set(source.name, secret) if secret else ""
        print(f"Added {source.name}: {source.display_url()}"
              + (f" ({source.branch})" if source.is_git else " (a local folder)") + ".")
        if where:
            print(where, file=sys.stderr if not credentials.persistent else sys.stdout)
        if source.is_git:
            print(f"Fetch it with: runbook-viewer sync {source.name!r}")
        return EXIT_OK
    source = listing.get(args.name)
    if source is None:
        return _fail(f"there is no source called {args.name!r}")
    if args.sources_command == "site":
        return _set_sites(listing, source, args)
    listing.sources.remove(source)
    problem = _store(listing)
    if problem:
        return _fail(f"the source could not be removed: {problem}")
    forget_source(source.name, credentials)
    print(removed_message(source))
    return EXIT_OK


def _set_sites(listing, source, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    if not args.urls and not args.clear:
        for address in web_addresses(source):
            print(address)
        return EXIT_OK
    bad = [u for u in args.urls if not u.lower().startswith(("https://", "http://"))]
    if bad:
        return _fail(f"{bad[0]} is not a web address (https://...)")
    kept = [] if args.clear else source.site_urls
    source.site_urls = list(dict.fromkeys([*kept, *(u.strip() for u in args.urls)]))
    problem = _store(listing)
    if problem:
        return _fail(f"the source could not be saved: {problem}")
    shown = ", ".join(source.site_urls) or "none"
    print(f"{source.name}: links to {shown} open here." if source.site_urls
          else f"{source.name}: no site addresses.")
    return EXIT_OK


def cmd_sync(args: argparse.Namespace) -> int:
    from viewer.sync.engine import (  # dulwich: only for the commands that sync
        SyncOutcome,
        secret_need,
        sync_source,
    )

    credentials = CredentialStore()
    listing = _load_settled(credentials)
    chosen = [s for s in listing.sources if args.name in (None, s.name)]
    if args.name and not chosen:
        return _fail(f"there is no source called {args.name!r}")
    if not chosen:
        print("No sources to sync. Add one with: runbook-viewer sources add NAME URL")
        return EXIT_OK
    try:
        build_union(listing)
    except OSError as err:
        return _fail(f"the library folder could not be prepared: {err.strerror or err}")
    interactive = sys.stderr.isatty() and not args.json

    def progress(text: str) -> None:
        if interactive:
            print(f"\r\x1b[K{scrub(text)[:100]}", end="", file=sys.stderr, flush=True)

    outcomes = []
    for source in chosen:
        need = secret_need(source) if source.is_git else None
        secret = credentials.get(source.name) if need else ""
        if need and not secret:
            why = ("this computer has no secure keyring to keep it between runs; the window "
                   "asks for it" if not credentials.persistent
                   else "add the source again with --password-stdin")
            outcomes.append(SyncOutcome(source.name, False, error=(
                f"{source.name}: no {need.what} is stored ({why}).")))
            continue
        outcomes.append(sync_source(source, credentials, progress=progress, secret=secret))
        if interactive:
            print("\r\x1b[K", end="", file=sys.stderr)
    if args.json:
        print(scrub(json.dumps([o.__dict__ for o in outcomes], indent=2)))
    else:
        for outcome in outcomes:
            if outcome.ok:
                what = "updated" if outcome.changed else "already up to date"
                print(f"{outcome.name}: {what}, commit {outcome.commit[:10] or '-'}, "
                      f"{plural(outcome.files, 'file')} ({outcome.seconds:.1f} s)")
                if outcome.notice:
                    print(f"runbook-viewer: {scrub(outcome.notice)}", file=sys.stderr)
    for outcome in outcomes:
        if not outcome.ok:
            print(f"runbook-viewer: {scrub(outcome.error)}", file=sys.stderr)
    return EXIT_OK if all(o.ok for o in outcomes) else EXIT_FAILURE
