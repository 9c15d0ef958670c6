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

    def severity(self, rule_id: str) -> str:
        """The rule's severity in this library: its runbook-viewer.toml's, else the default."""
        for name, level in self.config.check.severity.items():
            rule = rule_named(name)
            if rule is not None and rule.id == rule_id:
                return level
        return BY_ID[rule_id].severity
