"""GitBook's block tags, read as GitBook shows them, before the Markdown parser sees them.

GitBook keeps its blocks in Liquid-style tags on lines of their own. Shown as
tags, a ``{% hint style="danger" %}`` loses what makes it a warning, which is
the line an engineer must not miss. Each is read as GitBook lays it out:

* ``hint``: a callout box of its style (info, success, warning, danger);
* ``tab``: a box titled as the tab (``tabs`` itself leaves no trace);
* ``code title="x"``: the title as a caption over the code it wraps;
* ``embed url="..."``: a link to the address, never fetched;
* ``content-ref``: nothing (the link it wraps is shown as written).

Other tags are left to the generic Liquid reading (a small marked token).
"""

from __future__ import annotations

import re

from viewer.core.render.boxes import OpenBoxes, markdown_escaped

_TAG = re.compile(r"^\s*\{%-?\s*(\w+(?:-\w+)*)\s*(.*?)\s*-?%\}\s*$")
_ARG = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_HINT_KINDS = {"info": "info", "success": "success", "warning": "warning", "danger": "danger"}
_DROPPED = {"tabs", "endtabs", "endcode", "content-ref", "endcontent-ref"}
_WEB = re.compile(r"^https?://[^\s<>\"]+$")


def gitbook_line(line: str, boxes: OpenBoxes) -> str | None:
    """The Markdown for a line holding one GitBook block tag; None when it holds none.

    ``boxes`` counts the boxes open, shared with the other callouts of the page: a
    closing tag with none open leaves nothing.
    """
    match = _TAG.match(line)
    if match is None:
        return None
    name = match.group(1).lower()
    args = {key.lower(): double if double is not None else single
            for key, double, single in _ARG.findall(match.group(2))}
    if name == "hint":
        return boxes.opened(_HINT_KINDS.get(args.get("style", "").lower(), "info"))
    if name == "tab":
        return boxes.opened("example", args.get("title", ""))
    if name in ("endhint", "endtab"):
        return boxes.ended()
    if name in _DROPPED:
        return ""
    if name == "code":
        title = " ".join(args.get("title", "").split())
        return f"*{markdown_escaped(title)}*\n\n" if title else ""
    if name == "embed":
        url = args.get("url", "")
        return f"<{url}>\n" if _WEB.match(url) else ""
    return None

