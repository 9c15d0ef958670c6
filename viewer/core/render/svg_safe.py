"""An SVG from a runbook repository, reduced to a picture that refers to nothing outside itself.

An SVG can pull in other files (``<image href="../../secret.png">``,
``<use href="other.svg#x">``, ``url(file:...)`` in styles, ``@import``) and
a renderer would fetch them. The page shows the drawing only: every
reference that is not to a part of the same file (``#id``) or an inlined
``data:`` picture is removed, and files declaring entities (an internal
document type subset, where entity expansion lives) are refused. The plain
public document type Graphviz and older editors write
(``<!DOCTYPE svg PUBLIC "..." "...svg11.dtd">``) declares nothing and is
dropped; its DTD is never fetched.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

SVG_NS = "http://www.w3.org/2000/svg"
# A document type naming only its public and system identifiers: no "[...]" subset.
_PLAIN_DOCTYPE = re.compile(rb"<!DOCTYPE\s+svg(?:\s+(?:PUBLIC|SYSTEM)(?:\s+(?:\"[^\"<>\[\]]*\""
                            rb"|'[^'<>\[\]]*'))+)?\s*>", re.IGNORECASE)
XLINK_NS = "http://www.w3.org/1999/xlink"
_DROPPED = {"script", "foreignObject", "iframe", "audio", "video", "handler", "listener"}
_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)[^)]*\)", re.I)
_IMPORT = re.compile(r"@import[^;]*;?", re.I)
_INLINE_PICTURE = re.compile(r"^\s*data:image/(png|jpe?g|gif|webp|bmp);", re.I)

ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)


class UnsafeSvg(ValueError):
    """An SVG that cannot be made safe; ``str(err)`` says why."""


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _keeps_reference(value: str) -> bool:
    value = value.strip()
    return value.startswith("#") or bool(_INLINE_PICTURE.match(value))


def safe_svg(data: bytes) -> bytes:
    """``data`` with every external reference removed; :class:`UnsafeSvg` when it won't parse."""
    head = data[:4096].lower()
    if b"<!entity" in data.lower():
        raise UnsafeSvg("it declares a document type (entities), which this viewer does not read")
    if b"<!doctype" in head:
        plain = _PLAIN_DOCTYPE.search(data, 0, 4096)
        if plain is None or b"<!doctype" in data[plain.end():].lower():
            raise UnsafeSvg("it declares a document type (entities), which this viewer does "
                            "not read")
        data = data[:plain.start()] + data[plain.end():]
    try:
        root = ET.fromstring(data)
    except (ET.ParseError, ValueError) as err:
        raise UnsafeSvg(f"it is not well-formed XML ({err})") from None
    if _local(root.tag) != "svg":
        raise UnsafeSvg("it is not an SVG drawing")
    stack = [root]
    while stack:
        element = stack.pop()
        for child in list(element):
            name = _local(child.tag) if isinstance(child.tag, str) else ""
            if not name or name in _DROPPED or (
                    name in ("image", "feImage") and not _keeps_reference(_href(child))):
                element.remove(child)
            elif name == "style":
                child.text = _URL.sub("none", _IMPORT.sub("", child.text or ""))
                stack.append(child)
            else:
                stack.append(child)
        for attr in list(element.attrib):
            value = element.attrib[attr]
            local = _local(attr)
            if (local == "href" and not _keeps_reference(value)) or local.startswith("on"):
                del element.attrib[attr]
            elif "url(" in value.lower():
                element.attrib[attr] = _URL.sub("none", value)
    return ET.tostring(root, encoding="utf-8")


def _href(element: ET.Element) -> str:
    return element.get("href") or element.get(f"{{{XLINK_NS}}}href") or ""
