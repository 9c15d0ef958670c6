"""Variables a runbook declares in its front matter, under ``variables:``.

Either a mapping (``namespace: {description: ..., default: ...}`` or
``namespace: "the service's namespace"``) or a list of mappings with
``name``. Each may give ``description``, ``default``, ``choices``,
``secret: true``, ``from_label`` (an alert label) and ``aliases``. Anything
else is ignored: a runbook's front matter is never trusted to be well formed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from viewer.core.variables.names import fold

FIELD = "variables"
_MAX_DECLARED = 200
_MAX_TEXT = 500


@dataclass(frozen=True)
class Declaration:
    name: str  # folded
    shown: str  # as the author wrote it
    description: str = ""
    default: str = ""
    choices: tuple[str, ...] = ()
    secret: bool = False
    from_label: str = ""  # folded label name
    aliases: tuple[str, ...] = field(default_factory=tuple)  # folded


def _text(value: Any) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    return str(value).strip()[:_MAX_TEXT]


def _one(name: Any, spec: Any) -> Declaration | None:
    shown = _text(name)
    if not shown or not fold(shown):
        return None
    if not isinstance(spec, dict):
        return Declaration(fold(shown), shown, description=_text(spec))
    choices = spec.get("choices")
    aliases = spec.get("aliases")
    return Declaration(
        fold(shown), shown,
        description=_text(spec.get("description")),
        default=_text(spec.get("default")),
        choices=tuple(_text(c) for c in choices[:50] if _text(c))
        if isinstance(choices, list) else (),
        secret=spec.get("secret") is True or _text(spec.get("secret")).lower() == "true",
        from_label=fold(_text(spec.get("from_label"))),
        aliases=tuple(fold(_text(a)) for a in aliases[:20] if fold(_text(a)))
        if isinstance(aliases, list) else (),
    )


def declarations(metadata: dict[str, Any]) -> dict[str, Declaration]:
    """The declared variables by folded name, and by each folded alias."""
    raw = metadata.get(FIELD)
    pairs: list[tuple[Any, Any]] = []
    if isinstance(raw, dict):
        pairs = list(raw.items())
    elif isinstance(raw, list):
        pairs = [(item.get("name"), item) for item in raw if isinstance(item, dict)]
    found: dict[str, Declaration] = {}
    for name, spec in pairs[:_MAX_DECLARED]:
        declaration = _one(name, spec)
        if declaration is None:
            continue
        for key in (declaration.name, *declaration.aliases):
            found.setdefault(key, declaration)
    return found
