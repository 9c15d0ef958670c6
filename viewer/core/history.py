"""Back/forward navigation between runbook locations, like a browser's history."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Location:
    path: str  # library rel path
    anchor: str = ""
    scroll: int = 0  # vertical scroll position when the user left it


class History:
    """A browser-style history: visiting a new place drops the forward list."""

    def __init__(self, limit: int = 200) -> None:
        self._back: list[Location] = []
        self._forward: list[Location] = []
        self.current: Location | None = None
        self._limit = limit

    def visit(self, location: Location) -> None:
        if self.current is not None and self.current == location:
            return
        if self.current is not None:
            self._back.append(self.current)
            del self._back[: -self._limit]
        self._forward.clear()
        self.current = location

    def remember_scroll(self, scroll: int) -> None:
        if self.current is not None:
            self.current = replace(self.current, scroll=scroll)

    def can_go_back(self) -> bool:
        return bool(self._back)

    def can_go_forward(self) -> bool:
        return bool(self._forward)

    def back(self) -> Location | None:
        return self._step(self._back, self._forward)

    def forward(self) -> Location | None:
        return self._step(self._forward, self._back)

    def _step(self, source: list[Location], other: list[Location]) -> Location | None:
        """Move to the newest place in ``source``, keeping the current one in ``other``."""
        if not source or self.current is None:
            return None
        other.append(self.current)
        self.current = source.pop()
        return self.current
