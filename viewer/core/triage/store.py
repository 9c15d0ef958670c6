"""What the symptom sidebar reads, and the store it reads it from.

The search index stores the scenarios and symptoms it extracts while
indexing; the sidebar (:mod:`viewer.core.triage.tree`) reads them through
:class:`SymptomStore`, so triage never imports the index and the two
packages depend one way only (search -> triage).
"""

from __future__ import annotations

from typing import NamedTuple, Protocol

OTHER = "Other"  # the category of a symptom no category's words describe


class ScenarioRow(NamedTuple):
    """One stored scenario, as the symptom sidebar reads it."""

    file_id: int
    ordinal: int
    path: str
    document_title: str
    title: str
    anchor: str
    severity: str
    alert: str
    symptoms: list[str]
    branches: list[list[str]]


class SymptomRow(NamedTuple):
    """One distinct symptom, as the sidebar's first two levels read it."""

    key: str
    text: str  # in full (the tooltip, the JSON)
    label: str  # short (the sidebar)
    category: str
    count: int  # scenarios that list it
    alerts: tuple[str, ...]  # the alert names of those scenarios
    folders: tuple[str, ...]  # where their runbooks are: the library's own grouping


class SymptomStore(Protocol):
    """The queries the sidebar asks (the search index answers them)."""

    def symptom_overview(self) -> list[SymptomRow]: ...

    def scenario_rows(self, keys: list[str] | None = None) -> list[ScenarioRow]: ...

    def tick_counts(self, keys: list[str], limit: int = 200) -> list[tuple[ScenarioRow, int]]: ...

    def alert_rows(self, names: list[str]) -> dict[str, list[ScenarioRow]]: ...

    def alert_names(self) -> dict[str, str]: ...
