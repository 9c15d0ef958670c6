"""The command line's first step: a search goes to the search helper before anything loads.

``runbook-viewer`` and ``python -m viewer`` start here. A search answered by
the helper (``viewer.search_helper``) costs this process Python's start and a
socket; everything else continues in ``viewer.cli``, which owns the grammar.
"""

from __future__ import annotations

import sys

HELPER_COMMAND = "_search-helper"  # the hidden command word a helper is started with
WINDOW = "(window)"  # the command of a command line that names none: open the window


def command_word(words: list[str]) -> str | None:
    """The command ``words`` name (``WINDOW`` for none), or None when help is asked for."""
    if "-h" in words or "--help" in words:
        return words[0] if words and not words[0].startswith("-") else None
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word == "--library":
            skip = True
        elif not word.startswith("-"):
            return word
    return WINDOW


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    if command_word(words) == "search":
        from viewer import search_helper

        if search_helper.enabled():
            try:
                answer = search_helper.ask(words)
            except KeyboardInterrupt:  # Ctrl+C while a busy helper works: as the search's own
                return 130
            if answer is not None:
                exit_code, out, err = answer
                try:
                    sys.stdout.write(out)
                    sys.stderr.write(err)
                    sys.stdout.flush()
                except BrokenPipeError:  # `| head`: the reader has what it wanted
                    pass
                return exit_code
    from viewer.cli import main as run_command

    return run_command(words)
