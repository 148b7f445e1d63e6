"""Command palette (ctrl+p): open a role's screen, or run an action of the current screen.

Titles start with a verb ("open: ...", "action: ..."); the screen-specific commands come from the
screen's `palette_commands()` so the palette always matches what is on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from c360tui.tui.screens.launcher import ROLES

if TYPE_CHECKING:
    from c360tui.tui.app import C360App


class C360Commands(Provider):
    """Screens and the current screen's actions."""

    def _commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        app = cast("C360App", self.app)
        commands: list[tuple[str, str, Callable[[], Any]]] = [
            (f"open: {entry.name}", entry.decision, partial(app.open_role, entry.role))
            for entry in ROLES
        ]
        commands.append(("help: keys of this screen", "?", app.action_help))
        palette = getattr(self.screen, "palette_commands", None)
        if palette is not None:
            commands = list(palette()) + commands
        return commands

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, text=title, help=help_text)
