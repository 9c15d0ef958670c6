"""Placeholders in runbook commands: found once per page, filled from values the reader gives.

``names`` folds the spellings of one variable together; ``declared`` reads
front matter ``variables:``; ``scan`` finds placeholders in code blocks and
spans; ``catalog`` lists a page's variables and where each is written;
``values`` holds what the reader typed or an alert gave, and fills the
command that is copied. Marking them in a page's HTML is the renderer's job
(``viewer.core.render.placeholders``).
"""
