"""SearchBox: the lookup's search box, whose keystroke and results reach the screen together.

A search runs in a worker, so its results arrive a few milliseconds after the keystroke; by then
Textual has usually painted the typed character, and the results wait for the next frame (16.7 ms
at 60 fps). The box holds the app's repaints from a change of a non-empty query until its screen
says the results are on the widgets, or HOLD_LIMIT passes, whichever is first: one frame shows
the character and what it found, and typing never waits longer than the limit to be seen.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

from textual.timer import Timer
from textual.widgets import Input

# The longest a typed character waits for its results before it is shown anyway (seconds).
HOLD_LIMIT = 0.05


class SearchBox(Input):
    """An Input that holds repaints from a query change until `results_shown()` (or the limit)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._held: AbstractContextManager[None] | None = None
        self._limit: Timer | None = None

    def watch_value(self, value: str) -> None:
        # Called in the same step that changes the value, so no frame can slip in before it.
        if value.strip() and self._held is None and self.is_mounted:
            self._held = self.app.batch_update()
            self._held.__enter__()
            self._limit = self.set_timer(HOLD_LIMIT, self.results_shown, name="search-hold")

    def results_shown(self) -> None:
        """Let the held frame through: the results of the current query are on the widgets."""
        held, self._held = self._held, None
        if self._limit is not None:
            self._limit.stop()
            self._limit = None
        if held is not None:
            held.__exit__(None, None, None)

    def on_unmount(self) -> None:
        self.results_shown()
