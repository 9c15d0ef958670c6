"""The labels of the index's front-matter lines ("Tags\\x1fdns"), and blanking them out.

Shared by what writes the index (``sections``) and what reads it (ranking,
landing) without the reading side loading the Document model and the
symptom extractor.
"""

from __future__ import annotations

import re

LABEL_END = "\x1f"  # ends the label of each front-matter line ("Symptoms\x1f...")
_LABELS = re.compile(rf"^[^{LABEL_END}\n]*{LABEL_END}", re.MULTILINE)


def unlabelled(meta: str) -> str:
    """``meta`` as the index searches it: each line's label blanked out, offsets kept.

    The labels are there to show a hit found by its front matter ("Tags:
    dns"); searched, they would make every runbook match "tags".
    """
    return _LABELS.sub(lambda label: " " * len(label.group()), meta)
