"""The arguments of the ``sources`` and ``sync`` commands.

Apart from :mod:`viewer.cli_sources`, which runs them: building the command
line's parser (for every command, a search too) then loads nothing of the
sync layer.
"""

from __future__ import annotations

import argparse


def add_commands(commands: argparse._SubParsersAction, parser_class: type) -> None:
    sources = commands.add_parser("sources", help="add, list or remove runbook sources")
    actions = sources.add_subparsers(dest="sources_command", metavar="ACTION", required=True,
                                     parser_class=parser_class)
    add = actions.add_parser("add", help="add a git repository or a local folder")
    add.add_argument("name", metavar="NAME", help="the folder it shows as in the library")
    add.add_argument("url", metavar="URL",
                     help="https://..., ssh://..., git@host:path, file://... or a folder")
    add.add_argument("--branch", default="main", help="branch to follow (default main)")
    add.add_argument("--subdir", default="", metavar="D",
                     help="show only this folder of the repository")
    add.add_argument("--username", default="", metavar="U")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password or token from standard input (one line); it is "
                          "kept in the system keyring, never in a file")
    add.add_argument("--key-file", default="", metavar="FILE", help="SSH private key")
    listing = actions.add_parser("list", help="sources with their last sync")
    listing.add_argument("--json", action="store_true",
                         help="print a JSON list of {name, url, kind, branch, subdir, username, "
                              "last_sync, commit, last_error, files}")
    remove = actions.add_parser("remove", help="remove a source, its copy and its password")
    remove.add_argument("name", metavar="NAME")
    site = actions.add_parser(
        "site", help="set where a source's pages are published, so links to them open here",
        description="Links to a source's pages on its forge (GitHub, GitLab, Gitea, Forgejo, "
                    "Bitbucket) open the synced copy without this. For a site built from the "
                    "repository (MkDocs, Sphinx, Hugo...), give its address: links under it "
                    "then open the page it was built from.")
    site.add_argument("name", metavar="NAME")
    site.add_argument("urls", nargs="*", metavar="URL",
                      help="e.g. https://runbooks.example.com/ (none: list them)")
    site.add_argument("--clear", action="store_true", help="forget the source's site addresses")
    sync = commands.add_parser("sync", help="bring every source (or one) up to date")
    sync.add_argument("name", nargs="?", metavar="NAME")
    sync.add_argument("--json", action="store_true",
                      help="print a JSON list of {name, ok, changed, commit, files, error, "
                           "seconds}")
