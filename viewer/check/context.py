"""What checking one library needs once, shared by every page: settings, owners, labels."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from viewer.check.rules import BY_ID, rule_named
from viewer.core.library import Library
from viewer.core.library_config import LibraryConfig
from viewer.core.owners import OwnersTable
from viewer.core.rst_targets import LabelTarget


@dataclass
class CheckContext:
    library: Library
    config: LibraryConfig
    today: dt.date
    enabled: frozenset[str]  # rule IDs that run
    labels: dict[str, LabelTarget] = field(default_factory=dict)
    owners: OwnersTable | None = None

    def __post_init__(self) -> None:
        if self.owners is None:
            self.owners = OwnersTable(self.library)
        named = ((rule_named(name), level) for name, level in self.config.check.severity.items())
        self._levels = {rule.id: level for rule, level in named if rule is not None}

    def severity(self, rule_id: str) -> str:
        """The rule's severity in this library: its runbook-viewer.toml's, else the default."""
        return self._levels.get(rule_id) or BY_ID[rule_id].severity
