"""A module's logger that loads :mod:`logging` only when something is logged.

The index's modules log only when something goes wrong (a damaged file, a
refused query), while importing ``logging`` (with ``traceback``,
``string``, ``weakref``...) is a tenth of a command-line search's time.
"""

from __future__ import annotations


class LazyLogger:
    def __init__(self, name: str) -> None:
        self.name = name

    def warning(self, message: str, *args: object) -> None:
        import logging

        logging.getLogger(self.name).warning(message, *args)
