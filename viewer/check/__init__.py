"""The authors' checker: what makes a runbook fail its reader, found before it is merged.

It reads pages with the app's own parsers, slugs, symptom and variable
detection, so a page the checker passes is a page the app shows as meant.
Qt-free; it may use the sync layer's mapping of web addresses to pages.
"""

FORMATS = ("text", "json", "github", "sarif", "junit")  # what ``check --format`` writes
