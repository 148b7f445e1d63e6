"""LeadApp: the c360 app opened straight on the team-lead dashboard (`c360 lead`).

It is the one C360App (keys, help, stylesheet) with the dashboard as its first screen. It needs
no profile store and records no telemetry of its own: the files it reads are never written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from textual.screen import Screen

from c360tui.telemetry.writer import NullWriter
from c360tui.tui.app import C360App
from c360tui.tui.screens.lead import LeadScreen


class LeadApp(C360App):
    """The dashboard over `paths`; escape from sessions and replay comes back to it."""

    # Textual loads a screen's CSS_PATH only for pushed screens, not for the default screen.
    CSS_PATH = ["c360.tcss", "lead.tcss"]  # type: ignore[assignment]  # noqa: RUF012

    def __init__(
        self, paths: Sequence[Path], now: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        super().__init__(None, None, NullWriter(), now, telemetry_path=paths[0] if paths else None)
        self.lead_paths = list(paths)

    def get_default_screen(self) -> Screen[Any]:
        return LeadScreen(self.lead_paths)
