"""The checker's rules: stable IDs, names, default severities and what each one means.

An ID never changes meaning once released: CI configurations, suppression
comments and SARIF viewers refer to it. The table here is also what
``check --list-rules`` prints and what the SARIF output describes.
"""

from __future__ import annotations

from dataclasses import dataclass

SEVERITIES = ("error", "warning", "notice")  # most to least serious


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    severity: str  # the default; runbook-viewer.toml may change it
    summary: str  # one sentence: what is wrong and why it matters at 3 a.m.


RULES: tuple[Rule, ...] = (
    Rule("RV001", "unclosed-code-fence", "error",
         "A code fence is never closed, so the rest of the page is shown as code."),
    Rule("RV002", "missing-file", "error",
         "A relative link or picture names a file that is not in the library."),
    Rule("RV003", "missing-anchor", "error",
         "A link names a section that its page does not have (renamed or never there)."),
    Rule("RV004", "unresolved-reference", "error",
         "A Sphinx :ref: or :doc: names a label or page the library does not have."),
    Rule("RV005", "alert-sections-missing", "warning",
         "An alert runbook lacks one of Meaning, Impact, Diagnosis, Mitigation."),
    Rule("RV006", "no-symptoms-found", "warning",
         "The page has a Symptoms section, yet no symptom can be read from it for the sidebar."),
    Rule("RV007", "required-field-missing", "error",
         "A field the library's runbook-viewer.toml requires (owner, severity...) is not set."),
    Rule("RV008", "undeclared-placeholder", "warning",
         "A command uses a placeholder the page's variables: list does not declare."),
    Rule("RV009", "unexplained-placeholder", "notice",
         "A command uses a placeholder that nothing on the page explains."),
    Rule("RV010", "todo-in-steps", "error",
         "A Mitigation or Steps section still says TODO, TBD or FIXME."),
    Rule("RV011", "review-overdue", "warning",
         "The page's review date has passed."),
    Rule("RV012", "malformed-review-date", "error",
         "A review date or interval cannot be read as a date (YYYY-MM-DD) or a duration."),
    Rule("RV013", "alert-without-runbook-url", "warning",
         "An alerting rule has no runbook_url annotation."),
    Rule("RV014", "runbook-url-not-found", "error",
         "An alerting rule's runbook_url points to no page of the library."),
    Rule("RV015", "empty-runbook", "warning",
         "The page is a stub: a title and next to nothing else."),
    Rule("RV016", "page-not-laid-out", "error",
         "The page cannot be read or laid out, so the app shows it as plain text or not at all."),
)

BY_ID = {rule.id: rule for rule in RULES}
BY_NAME = {rule.name: rule for rule in RULES}


def rule_named(text: str) -> Rule | None:
    """The rule ``text`` names, by ID (``RV003``, any case) or by name (``missing-anchor``)."""
    text = text.strip()
    return BY_ID.get(text.upper()) or BY_NAME.get(text.lower())
