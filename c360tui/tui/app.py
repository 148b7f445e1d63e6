"""C360App: the Textual app every role's screen runs in; the one factory the CLI and tests use.

Everything that varies is injected: the store path and specs directory (or a ready Backend), the
telemetry sink, and the clock. Nothing heavy is imported here: the store and the decision code
load inside workers the first time a screen asks for data, so the launcher paints quickly.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from c360tui.tui.tracking import Tracker

if TYPE_CHECKING:
    from textual.command import Provider

    from c360tui.telemetry.writer import Recorder
    from c360tui.tui.backend import Backend
    from c360tui.tui.screens.help import HelpEntry

# The view spec each role's screen shows.
ROLE_VIEWS = {"support": "support_close_case", "sdr": "sdr_call_now", "csm": "csm_at_risk"}
START_SCREENS = ("launcher", "support", "sdr", "csm")
# The stylesheets of a start on a queue: Textual loads a screen's CSS_PATH only when the screen is
# pushed, not for the first screen. The launcher and the support lookup need c360.tcss alone.
QUEUE_START_CSS: list[str | PurePath] = ["c360.tcss", "decision.tcss"]


def _c360_commands() -> type[Provider]:
    """The palette's provider, imported when the palette first opens (not on the way to paint)."""
    from c360tui.tui.commands import C360Commands

    return C360Commands


class C360App(App[None]):
    """The c360 terminal app: a launcher and one screen per role-decision."""

    TITLE = "c360"
    CSS_PATH = "c360.tcss"
    COMMANDS = App.COMMANDS | {_c360_commands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Quit c360"),
        Binding(
            "escape", "go_back", "Back", id="app.back", tooltip="Go back to the previous screen"
        ),
        Binding(
            "question_mark,f1",
            "help",
            "Help",
            key_display="?",
            id="app.help",
            tooltip="Keys of this screen",
        ),
    ]

    def __init__(
        self,
        store_path: Path | None,
        specs_dir: Path | None,
        telemetry: Recorder | None,
        now: Callable[[], datetime],
        *,
        backend: Backend | None = None,
        start: str = "launcher",
        telemetry_path: Path | None = None,
    ) -> None:
        super().__init__(css_path=QUEUE_START_CSS if start in ("sdr", "csm") else None)
        if start not in START_SCREENS:
            raise ValueError(f"start must be one of {', '.join(START_SCREENS)}, not {start!r}")
        self.store_path = store_path
        self.specs_dir = specs_dir
        self.telemetry_path = telemetry_path
        self.now = now
        self.start = start
        self.tracker = Tracker(telemetry)
        self._backend = backend
        self._backend_lock = threading.Lock()

    @property
    def backend(self) -> Backend:
        """The data backend, created on first use (from a worker thread, off the start-up path)."""
        with self._backend_lock:
            if self._backend is None:
                from c360tui.tui.store_backend import StoreBackend

                if self.store_path is None or self.specs_dir is None:
                    raise ValueError("C360App needs a backend or both store_path and specs_dir")
                self._backend = StoreBackend(self.store_path, self.specs_dir)
            return self._backend

    def locations(self) -> dict[str, str]:
        """Where the files are, for the launcher."""
        return {
            "data": str(self.store_path) if self.store_path else "(in memory)",
            "telemetry": str(self.telemetry_path) if self.telemetry_path else "(off)",
            "specs": str(self.specs_dir) if self.specs_dir else "(built in)",
        }

    def get_default_screen(self) -> Screen[Any]:
        if self.start == "launcher":
            from c360tui.tui.screens.launcher import LauncherScreen

            return LauncherScreen(self.locations())
        return self.make_role_screen(self.start)

    def make_role_screen(self, role: str) -> Screen[Any]:
        """A fresh screen for one role (imported on demand to keep start-up light)."""
        view = ROLE_VIEWS[role]
        if role == "support":
            from c360tui.tui.screens.support import SupportScreen

            return SupportScreen(view)
        if role == "sdr":
            from c360tui.tui.screens.sdr import SdrScreen

            return SdrScreen(view, role)
        from c360tui.tui.screens.csm import CsmScreen

        return CsmScreen(view, role)

    def open_role(self, role: str) -> None:
        """Open a role's screen on top of the current one (escape comes back)."""
        if role in ROLE_VIEWS:
            self.push_screen(self.make_role_screen(role))
            return
        from c360tui.tui.screens.lead import LeadScreen

        self.push_screen(LeadScreen())

    def on_mount(self) -> None:
        # After the first paint: the event models load then, not on the way to the screen.
        self.call_after_refresh(self.tracker.session_started, self.size.width, self.size.height)

    def on_unmount(self) -> None:
        self.tracker.session_ended()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide "back" where there is nothing to go back to."""
        if action == "go_back":
            return len(self.screen_stack) > 1
        return True

    def action_go_back(self) -> None:
        if len(self.screen_stack) > 1:
            self.pop_screen()

    def action_help(self) -> None:
        from c360tui.tui.screens.help import HelpScreen

        screen = self.screen
        if isinstance(screen, HelpScreen):
            return
        entries: list[HelpEntry] = []
        extra = getattr(screen, "help_extra", None)
        if extra is not None:
            entries += [
                (key, description, "an action of this view") for key, description in extra()
            ]
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            entries.append(
                (
                    self.get_key_display(binding),
                    binding.description,
                    active.tooltip or binding.tooltip,
                )
            )
        title = screen.title or self.title
        self.tracker.screen_opened("help")
        self.push_screen(HelpScreen(str(title), entries))
