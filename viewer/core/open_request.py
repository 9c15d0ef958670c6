"""What a launch asks the window to open: a page, a web address, or an alert.

The same request comes from the command line (``runbook-viewer open X``), a
``runbook-viewer://open?...`` link handed over by the desktop, a second launch
forwarding to the running window, and an Alertmanager JSON payload. This
module turns each of those into one :class:`OpenRequest` and back into the
JSON line a second launch sends; it opens nothing and never touches the
network. It also finds the heading a web link's fragment meant, since sites
and forges spell anchors a little differently from the app.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from viewer.core.document import Document
from viewer.core.library import Library, OutsideLibrary, is_runbook_name
from viewer.core.links import landing_anchors
from viewer.core.slugs import github_slug

SCHEME = "runbook-viewer"
MAX_REQUEST_BYTES = 256 * 1024  # an Alertmanager payload of many alerts fits; no more is read
_WEB = re.compile(r"^https?://", re.IGNORECASE)


class BadRequest(ValueError):
    """A target that cannot be understood; ``str(err)`` says why, for the user."""


@dataclass
class OpenRequest:
    """One thing to open. Empty fields are not asked for; an empty request only raises
    the window (a plain second launch)."""

    path: str = ""  # a page of the library, '/'-separated
    anchor: str = ""
    url: str = ""  # a web address of a runbook (forge or published site)
    alert: str = ""  # an alert name, or the text of a notification
    labels: dict[str, str] = field(default_factory=dict)  # the alert's labels, for variables

    @property
    def is_empty(self) -> bool:
        return not (self.path or self.url or self.alert)

    def to_line(self) -> bytes:
        """The request as one line of JSON, as a second launch sends it."""
        return json.dumps(asdict(self), ensure_ascii=False).encode("utf-8") + b"\n"

    @classmethod
    def from_line(cls, data: bytes) -> OpenRequest:
        """The request a second launch sent; :class:`BadRequest` for anything else."""
        try:
            raw = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as err:
            raise BadRequest(f"not a request: {err}") from None
        if not isinstance(raw, dict):
            raise BadRequest("not a request")
        labels = raw.get("labels") if isinstance(raw.get("labels"), dict) else {}
        return cls(**{k: raw[k] for k in ("path", "anchor", "url", "alert")
                      if isinstance(raw.get(k), str)},
                   labels={str(k): str(v) for k, v in labels.items()})

    def describe(self) -> str:
        """A few words for the status bar and error messages."""
        if self.url:
            return self.url
        if self.path:
            return self.path + (f"#{self.anchor}" if self.anchor else "")
        return f"alert {self.alert}" if self.alert else "the window"


def parse_target(text: str) -> OpenRequest:
    """``runbook-viewer://open?...``, a web URL, or a library path with an optional #anchor."""
    target = text.strip()
    if not target:
        return OpenRequest()
    if target.lower().startswith(f"{SCHEME}:"):
        return _from_scheme_url(target)
    if _WEB.match(target):
        return OpenRequest(url=target)
    if "://" in target:
        raise BadRequest(f"{target} is neither a web address, a {SCHEME}:// link nor a "
                         "path in the library.")
    path, _, anchor = target.partition("#")
    return OpenRequest(path=path.replace("\\", "/"), anchor=unquote(anchor))


def _from_scheme_url(target: str) -> OpenRequest:
    parts = urlsplit(target)
    action = (parts.netloc or parts.path.strip("/")).lower()
    if action not in ("open", ""):
        raise BadRequest(f"{SCHEME}:// links can only open a page, not {action!r}.")
    query = parse_qs(parts.query, keep_blank_values=False)

    def one(name: str) -> str:
        values = query.get(name, [])
        return values[0].strip() if values else ""

    fragment = unquote(parts.fragment)
    if one("url"):
        url = one("url")
        if not _WEB.match(url):
            raise BadRequest(f"{url} is not a web address.")
        return OpenRequest(url=url + (f"#{fragment}" if fragment and "#" not in url else ""))
    if one("path"):
        path, _, anchor = one("path").partition("#")
        return OpenRequest(path=path, anchor=anchor or fragment or one("anchor"))
    if one("alert"):
        return OpenRequest(alert=one("alert"))
    if query:
        raise BadRequest(f"{target} names no page: give path=, url= or alert=.")
    return OpenRequest()


def from_alertmanager_json(text: str) -> OpenRequest:
    """The runbook of the first firing alert in an Alertmanager webhook payload, or in
    ``amtool alert query -o json`` output: its ``runbook_url`` first, then its name."""
    try:
        raw = json.loads(text)
    except ValueError as err:
        raise BadRequest(f"That is not Alertmanager JSON: {err}.") from None
    alerts: list[Any] = raw.get("alerts", []) if isinstance(raw, dict) else raw
    if isinstance(raw, dict) and "labels" in raw and not alerts:
        alerts = [raw]  # one alert on its own
    if not isinstance(alerts, list):
        raise BadRequest("That JSON holds no list of alerts.")
    alerts = [a for a in alerts if isinstance(a, dict) and isinstance(a.get("labels"), dict)]
    if not alerts:
        raise BadRequest("That JSON holds no alert with labels.")
    firing = [a for a in alerts if _is_firing(a)]
    chosen = (firing or alerts)[0]
    labels = {str(k): str(v) for k, v in chosen["labels"].items()}
    annotations = chosen.get("annotations") if isinstance(chosen.get("annotations"), dict) else {}
    url = str(annotations.get("runbook_url") or annotations.get("runbook") or "").strip()
    name = labels.get("alertname", "")
    if not name and not _WEB.match(url):
        raise BadRequest("The first alert has neither a runbook_url nor an alertname.")
    return OpenRequest(url=url if _WEB.match(url) else "", alert=name, labels=labels)


def _is_firing(alert: dict) -> bool:
    status = alert.get("status")
    if isinstance(status, dict):  # amtool: {"state": "active"}
        return status.get("state") in ("active", "firing")
    return status in (None, "firing")


def closest_anchor(document: Document, fragment: str) -> str:
    """The anchor of ``document`` that a link's ``#fragment`` meant ("" for the top).

    Forges and site generators slug headings slightly differently (GitHub's
    ``user-content-`` prefix, MkDocs' and Sphinx's dropped punctuation). Besides its
    headings' ids, a page has the ids its HTML gives (a MyST target, a reST label).
    """
    return anchor_matching(*landing_anchors(document), fragment)


def anchor_matching(anchors: set[str], headings: list[tuple[str, str]], fragment: str) -> str:
    """:func:`closest_anchor` over a page's anchors and (anchor, text) of its headings."""
    fragment = unquote(fragment).strip()
    fragment = fragment.removeprefix("user-content-")
    if not fragment or fragment in anchors:
        return fragment
    wanted = _squash(fragment)
    for anchor, text in headings:
        if wanted and wanted in (_squash(anchor), _squash(github_slug(text))):
            return anchor
    return ""  # a line anchor (#L40) or a heading since renamed: the top of the page


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower(), flags=re.UNICODE)


def library_page(library: Library, path: str) -> str | None:
    """The library's rel path of the runbook ``path`` names, or None.

    ``path`` may be relative to the library, to one of its sources (in the
    union of sources, ``alerts/X.md`` is found under whichever source has it),
    or a file system path of a file inside the library.
    """
    text = path.strip().replace("\\", "/")
    if not text:
        return None
    if os.path.isabs(path.strip()):
        try:
            text = library.rel_path(Path(path.strip()))
        except ValueError:
            return None
    text = text.lstrip("/")
    tops = library.mount_order() if library.is_union else []
    for candidate in [text, *(f"{top}/{text}" for top in tops)]:
        try:
            real = library.resolve(candidate)
        except OutsideLibrary:
            continue
        if real.is_file() and is_runbook_name(real.name):
            return candidate
    return None
