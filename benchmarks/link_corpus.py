"""Real alerts' runbook links against the synced copy: how many open the right page.

Give one source as it would be configured (a clone URL and, for a published
site, its address) with a folder holding the repository as a sync leaves it,
and a file of runbook URLs, one per line, as alert rules carry them in their
``runbook_url`` annotation. For each URL: is a page found, is it the page of
that alert (its file or title names the alert the URL names), and does the
URL's #fragment land on a heading of that page.

    python -m benchmarks.link_corpus NAME CLONE_URL FOLDER URLS_FILE [--site URL] [--branch B]

Runs in a throw-away user folder: nothing of the user's is touched.
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
import time
from pathlib import Path

from viewer.core.document import Document
from viewer.core.library import Library
from viewer.core.open_request import closest_anchor
from viewer.core.rendering import render_file


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("name")
    parser.add_argument("clone_url")
    parser.add_argument("folder", type=Path)
    parser.add_argument("urls", type=Path)
    parser.add_argument("--site", action="append", default=[])
    parser.add_argument("--branch", default="main")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            os.environ[var] = os.path.join(home, var)
        run(args)


def run(args: argparse.Namespace) -> None:
    from viewer.sync.snapshots import SourceCache
    from viewer.sync.sources import Source, SourceList
    from viewer.sync.union import build_union
    from viewer.sync.web_links import Located, locate

    cache = SourceCache(args.name)
    cache.dir.mkdir(parents=True, exist_ok=True)
    os.symlink(args.folder.resolve(), cache.current_link)
    listing = SourceList([Source(args.name, args.clone_url, branch=args.branch,
                                 site_urls=args.site)], show_bundled=False)
    library = Library(build_union(listing))
    urls = [u.strip() for u in args.urls.read_text().splitlines() if u.strip()]
    found = right = with_fragment = fragment_landed = 0
    misses: list[str] = []
    started = time.perf_counter()
    for url in urls:
        result = locate(url, listing, library)
        if not isinstance(result, Located):
            misses.append(f"  not found: {url}: {result.message}")
            continue
        found += 1
        named = _alert_of(url)
        doc = render_file(library, result.library_path)
        title = doc.title if isinstance(doc, Document) else ""
        if named and (named in _fold(result.path) or named in _fold(title)
                      or named in _fold(result.anchor)):
            right += 1
        elif named:
            misses.append(f"  other page: {url} -> {result.library_path}")
        if result.anchor:
            with_fragment += 1
            if isinstance(doc, Document) and _lands(doc, result.anchor):
                fragment_landed += 1
            else:
                misses.append(f"  fragment lost: {url}")
    seconds = time.perf_counter() - started
    print(f"{args.name}: {len(urls)} runbook URLs; {found} open a page, {right} the page of "
          f"their alert; {fragment_landed}/{with_fragment} fragments land on their heading or "
          "alert; "
          f"{seconds * 1000 / max(len(urls), 1):.1f} ms per URL (with rendering)")
    for line in misses[:15]:
        print(line)


def _lands(doc: Document, fragment: str) -> bool:
    """As the window does: a heading the fragment names, else the fragment's last word
    (8 letters or more) where the page mentions it."""
    if closest_anchor(doc, fragment):
        return True
    word = fragment.rsplit("-", 1)[-1]
    return len(word) >= 8 and word.lower() in re.sub(r"<[^>]+>", "", doc.body_html).lower()


def _alert_of(url: str) -> str:
    """The alert name a runbook URL carries: its last path segment, or its #fragment."""
    path, _, fragment = url.partition("#")
    last = path.rstrip("/").rsplit("/", 1)[-1]
    last = re.sub(r"\.(md|html?)$", "", last)
    if last.lower() in ("runbook", "readme", "index") and fragment:
        return _fold(fragment.removeprefix("alert-name-"))
    return _fold(last)


def _fold(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


if __name__ == "__main__":
    main()
