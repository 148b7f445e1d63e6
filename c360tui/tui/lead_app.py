"""LeadApp: the c360 app opened straight on the team-lead screens (`c360 lead`, `c360 replay`).

It is the one C360App (keys, help, stylesheet) with the dashboard, or the sessions list, as its
first screen, and optionally one session's replay over that list. It needs no profile store and
records no telemetry of its own: the files it reads are never written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from textual.screen import Screen

from c360tui.telemetry.writer import NullWriter
from c360tui.tui.app import C360App
from c360tui.tui.screens.lead import LeadScreen

if TYPE_CHECKING:
    from c360tui.metrics.replay import SessionSummary


class LeadApp(C360App):
    """The dashboard (or the sessions list) over `paths`; escape from what opens on it comes back.

    With `session`, that session's replay opens over the first screen at once.
    """

    # Textual loads a screen's CSS_PATH only for pushed screens, not for the default screen.
    CSS_PATH = ["c360.tcss", "lead.tcss"]  # type: ignore[assignment]  # noqa: RUF012

    def __init__(
        self,
        paths: Sequence[Path],
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        *,
        first: Literal["dashboard", "sessions"] = "dashboard",
        session: SessionSummary | None = None,
    ) -> None:
        super().__init__(None, None, NullWriter(), now, telemetry_path=paths[0] if paths else None)
        self.lead_paths = list(paths)
        self.first = first
        self.session = session

    def get_default_screen(self) -> Screen[Any]:
        if self.first == "sessions":
            from c360tui.tui.screens.sessions import SessionsScreen

            return SessionsScreen(self.lead_paths)
        return LeadScreen(self.lead_paths)

    def on_mount(self) -> None:
        if self.session is not None:
            from c360tui.tui.screens.replay import ReplayScreen

            self.push_screen(ReplayScreen(self.lead_paths, self.session))
