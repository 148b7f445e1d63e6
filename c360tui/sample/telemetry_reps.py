"""How the simulated reps behave: key presses into the real app, with human gaps between them.

Each role's session is a coroutine that drives a running C360App through a Textual Pilot, the
same way a rep at a keyboard would: typing a caller's phone, email or name, opening the match,
reading, sometimes asking why or flagging a doubtful value, then acting. The app writes every
event itself; this module only presses keys and moves the simulated clock between them. What each
role does in a session, and the habits that set the roles apart, are in `telemetry_roles`.
"""

from __future__ import annotations

import asyncio
import csv
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.worker import WorkerCancelled

if TYPE_CHECKING:
    from textual.events import Key
    from textual.pilot import Pilot
    from textual.widget import Widget

    from c360tui.core.decision_model import DecisionView, SignalView
    from c360tui.sample.telemetry_sim import SimClock

# Trust states a careful rep doubts: more "why", more flags, more overrides.
DOUBTFUL = frozenset({"stale", "conflicted", "unverified"})


@dataclass(frozen=True, slots=True)
class Caller:
    """Someone who phones support: what the agent can type to find them, and their last name."""

    phone: str | None
    email: str | None
    name: str
    last_name: str


def fold(text: str) -> str:
    """Lower case without accents: what a rep types for a name they heard."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def load_callers(sample_dir: Path) -> list[Caller]:
    """Ticket requesters from the sample support export, as callers an agent can look up."""
    from c360tui.core.normalize import normalize_phone

    callers: list[Caller] = []
    with (sample_dir / "support_tickets.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            first = (row.get("requester_first_name") or "").strip()
            last = (row.get("requester_last_name") or "").strip()
            if not first or not last:
                continue
            raw_phone = (row.get("requester_phone") or "").strip()
            phone = normalize_phone(raw_phone, "US") if raw_phone else None
            if phone is not None and phone.startswith("+1"):
                phone = phone[2:]  # a US caller's number is typed as ten digits
            email = (row.get("requester_email") or "").strip() or None
            callers.append(Caller(phone, email, f"{first} {last}", last))
    return callers


# Key names of the printable characters reps type, and the characters of named keys.
CHAR_KEYS = {
    "@": "at",
    ".": "full_stop",
    "-": "minus",
    "+": "plus",
    "_": "underscore",
    "'": "apostrophe",
    " ": "space",
    "!": "exclamation_mark",
}
KEY_CHARS = {"space": " ", "tab": "\t", "enter": "\r", "escape": "\x1b", "exclamation_mark": "!"}


def key_event(key: str) -> Key:
    """The Key event a terminal sends for `key` (a key name or one printable character)."""
    from textual.events import Key

    if len(key) == 1:
        return Key(key if key.isalnum() else CHAR_KEYS[key], key)
    return Key(key, KEY_CHARS.get(key))


class Rep:
    """One simulated rep at the keyboard of a running app: keys, pauses and the clock."""

    def __init__(
        self, pilot: Pilot[Any], clock: SimClock, rng: random.Random, habit: float = 0.7
    ) -> None:
        self.pilot = pilot
        self.app = pilot.app
        self.clock = clock
        self.rng = rng
        self.habit = habit  # how reliably this rep follows their role's habit (0 to 1)

    async def settle(self) -> None:
        """Wait until every queued message is handled and no worker runs (bounded).

        Deterministic and quick, unlike waiting for the CPU to go idle: each round asks every
        widget of the current screen to run a callback after what it has queued.
        """
        quiet = 0
        for _ in range(400):
            await self._drain_screen()
            try:
                await self.app.workers.wait_for_complete()
            except WorkerCancelled:
                continue  # a newer search replaced an older one: wait again
            busy = any(worker.is_running for worker in self.app.workers)
            quiet = 0 if busy else quiet + 1
            if quiet >= 3:
                return
            await asyncio.sleep(0)

    async def _drain_screen(self) -> None:
        """Return once the app and every widget on screen processed what was queued before."""
        pending = 0
        done = asyncio.Event()

        def one_done() -> None:
            nonlocal pending
            pending -= 1
            if pending == 0:
                done.set()

        for node in [self.app, *self.app.screen.walk_children(with_self=True)]:
            if node.call_later(one_done):
                pending += 1
        if pending:
            await asyncio.wait_for(done.wait(), timeout=30)

    async def press(self, key: str, think: float = 0.4) -> None:
        """Wait `think` simulated seconds (a little jitter), press `key`, let the app settle."""
        self.clock.advance(think * self.rng.uniform(0.7, 1.3))
        self.app.post_message(key_event(key))
        await self.settle()

    def wait(self, low: float, high: float) -> None:
        """Let simulated time pass (reading, talking, dialling) without pressing anything."""
        self.clock.advance(self.rng.uniform(low, high))

    async def type_text(self, text: str) -> None:
        """Type like a person: bursts of a few keys, 0.1-0.3 s apart; the app searches as it goes.

        The app only gets to search between bursts, as when a fast typist outruns the search.
        """
        keys = [char for char in text if char.isalnum() or char in CHAR_KEYS]
        while keys:
            size = self.rng.randint(2, 6)
            burst, keys = keys[:size], keys[size:]
            for char in burst:
                self.clock.advance(self.rng.uniform(0.1, 0.3))
                self.app.post_message(key_event(char))
            await self.settle()
            self.clock.advance(self.rng.uniform(0.2, 0.8))

    async def tab_to(self, wanted: Callable[[object], bool], limit: int = 40) -> bool:
        """Press tab until the focused widget is the wanted one; False if it never comes."""
        for _ in range(limit):
            if wanted(self.app.focused):
                return True
            await self.press("tab", 0.25)
        return wanted(self.app.focused)

    async def click(self, widget: Widget, think: float = 1.0) -> bool:
        """Click a widget with the mouse if it is on screen; False if it is not on screen.

        True does not mean the widget got the click (a child label may have); callers check
        what they wanted (the focus, an opened section).
        """
        region = widget.region
        if not region or not self.app.screen.region.contains_region(region):
            return False
        self.clock.advance(think * self.rng.uniform(0.7, 1.3))
        await self.pilot.click(widget)
        await self.settle()
        return True

    # ------------------------------------------------------------ on a decision view
    def decision(self) -> DecisionView | None:
        from c360tui.tui.screens.decision_host import DecisionHostScreen

        screen = self.app.screen
        return screen.current_decision() if isinstance(screen, DecisionHostScreen) else None

    async def focus_signal(self, signal_id: str) -> bool:
        """Put the focus on a signal's row: a click when it is on screen, else tab to it."""
        from c360tui.tui.widgets.decision_view import SignalRow

        def is_row(widget: object) -> bool:
            return isinstance(widget, SignalRow) and widget.signal.id == signal_id

        if is_row(self.app.focused):
            return True
        rows = [row for row in self.app.screen.query(SignalRow) if is_row(row)]
        for _ in range(50):  # the panel fills after a refresh: wait for it (at most 1 s, real)
            if rows:
                break
            await asyncio.sleep(0.02)
            await self.settle()
            rows = [row for row in self.app.screen.query(SignalRow) if is_row(row)]
        if rows and not rows[0].region and "more-signals" in self.sections():
            await self.expand("more-signals")  # it is below the fold: open "More signals" first
        if rows and not self.app.screen.region.contains_region(rows[0].region):
            rows[0].scroll_visible(animate=False)  # scroll down to it, as a person would
            await self.settle()
        if rows and await self.click(rows[0]) and is_row(self.app.focused):
            return True
        return await self.tab_to(is_row, limit=12)

    async def ask_why(self, signal: SignalView) -> None:
        """Focus a signal, press w, read where it came from, close the modal."""
        if await self.focus_signal(signal.id):
            await self.press("w", 1.0)
            await self.press("escape", self.rng.uniform(4, 15))

    async def flag(self, signal: SignalView) -> None:
        if await self.focus_signal(signal.id):
            await self.press("exclamation_mark", 1.5)

    async def expand(self, section: str) -> bool:
        """Tab to a detail section's title and open it with enter."""
        from textual.widgets._collapsible import CollapsibleTitle

        def is_title(widget: object) -> bool:
            return (
                isinstance(widget, CollapsibleTitle)
                and getattr(widget.parent, "id", None) == f"section-{section}"
            )

        titles = [title for title in self.app.screen.query(CollapsibleTitle) if is_title(title)]
        if not titles:
            return False
        if not await self.click(titles[0]):
            if not await self.tab_to(is_title):
                return False
            await self.press("enter", 0.5)
        self.wait(3, 12)
        return True

    def sections(self) -> list[str]:
        """The detail sections the shown view has (ids without the `section-` prefix)."""
        from textual.widgets import Collapsible

        return [
            (c.id or "").removeprefix("section-")
            for c in self.app.screen.query(Collapsible)
            if c.id and c.collapsed
        ]

    async def look_around(self, decision: DecisionView, curiosity: float) -> bool:
        """Read the view: maybe open a section, ask why about a doubtful signal, flag one.

        Returns True when the rep ran into a value they doubted (that makes overriding likelier).
        """
        rng = self.rng
        doubtful = [s for s in decision.signals if s.trust in DOUBTFUL and not s.flagged]
        sections = self.sections()
        if sections and rng.random() < curiosity:
            await self.expand(rng.choice(sections))
        if doubtful and rng.random() < 0.55:
            signal = rng.choice(doubtful)
            await self.ask_why(signal)
            if signal.trust in {"stale", "conflicted"} and rng.random() < 0.3:
                await self.flag(signal)
        elif rng.random() < curiosity / 3:
            await self.ask_why(rng.choice(decision.signals[:3]))
        if rng.random() < 0.04:
            await self.press("i", 2.0)
            await self.press("escape", rng.uniform(5, 20))
        return bool(doubtful)

    def choose_action(
        self, decision: DecisionView, doubted: bool, override: float, doubt_override: float
    ) -> str:
        """The key to press: the recommended action, or (sometimes) another one."""
        recommended = next((a for a in decision.actions if a.recommended), decision.actions[0])
        others = [a for a in decision.actions if a.id != recommended.id]
        chance = doubt_override if doubted else override
        if others and self.rng.random() < chance:
            return self.rng.choice(others).key
        return recommended.key
