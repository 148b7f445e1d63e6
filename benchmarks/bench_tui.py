"""Screen speed over a large store, each as a ratio to a minimal Textual app measured the same way.

Run: `python -m benchmarks.bench_tui [--db PATH] [--starts N] [--keys N] [--leads N]`

1. Start to first paint: `c360 support --db PATH` (the installed console script, telemetry on)
   against a one-Static Textual app (benchmarks/minimal_apps.py), each a fresh `python script`
   process on a 120x40 pseudo-terminal with Textual's real driver, alternating. The parent is the
   terminal: first paint is when every marker text of the screen (for support: title, search
   box, status line, table header, footer keys) has been written to it (see tui_start.py).
   Median of N starts each; goal <= 1.5x.
2. Keystroke to updated results on screen (support search), and next-lead key to the new
   decision view on screen (SDR queue), against a minimal app that swaps the text of 30 labels on
   a key: p50 and p99 of N keys each, in process, headless at 120x40. Every frame the compositor
   hands to the app is rendered to terminal text as the real driver would (that cost is in the
   time); a key's time ends with the first frame that is drawn from the new state and shows the
   expected text (a result's name, the new lead's name, "turn N"). Each key is sent once a frame
   period has passed since the app's last frame, as a typist's keys (80+ ms apart) land: Textual
   paints on a 60 Hz timer, so a key sent just after a frame waits for the next tick. Goal <= 1.5x.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks.tui_start import Start, shown_text, start_once

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "benchmarks" / "data" / "search_1000000.db"
AS_OF = datetime(2026, 11, 30, 15, tzinfo=UTC)
POLL = 0.0005
# A key goes out this long after the app's last frame (a frame period and a little).
QUIET = 0.02
# Texts that together make the support screen, and the minimal app's one text.
SUPPORT_MARKERS = (
    "Support lookup",
    "Phone, email, name, company or account id",
    "Type to search.",
    "Matched on",
    "esc Clear",
)
MINIMAL_MARKERS = ("hello",)

# ---------------------------------------------------------------------------- start-up


def start_minimal() -> Start:
    argv = [sys.executable, str(ROOT / "benchmarks" / "minimal_apps.py")]
    return start_once(argv, MINIMAL_MARKERS, ROOT, dict(os.environ))


def start_support(db: Path) -> Start:
    c360 = Path(sys.executable).parent / "c360"
    with tempfile.TemporaryDirectory() as scratch:
        telemetry = str(Path(scratch) / "telemetry.db")
        argv = [sys.executable, str(c360), "support", "--db", str(db), "--telemetry", telemetry]
        return start_once(argv, SUPPORT_MARKERS, ROOT, dict(os.environ))


# ---------------------------------------------------------------------------- frames and keys


class Frames:
    """Every frame the app displays, rendered to terminal text when it is displayed.

    `expect(done)` arms a wait: it ends at the first frame after which `done(text)` is true,
    called with the text of every frame since the wait was armed (the state is read when the
    frame is displayed, so a frame drawn before the data arrived cannot end it).
    """

    def __init__(self, app: Any) -> None:
        self.app = app
        self._since: list[str] = []
        self._done: Callable[[str], bool] | None = None
        self._ended: asyncio.Future[float] | None = None
        self.last = 0.0  # when the app last displayed a frame
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            original(screen, renderable)
            self.last = time.perf_counter()
            if renderable is None or self._done is None or self._ended is None:
                return
            self._since.append(shown_text(renderable.render_segments(app.console).encode()))
            if self._done("".join(self._since)) and not self._ended.done():
                self._ended.set_result(time.perf_counter())

        app._display = display

    def expect(self, done: Callable[[str], bool]) -> asyncio.Future[float]:
        self._since = []
        self._done = done
        self._ended = asyncio.get_running_loop().create_future()
        return self._ended


async def _until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the screen never showed the expected change")
        await asyncio.sleep(POLL)


async def hit(frames: Frames, key: str, done: Callable[[str], bool]) -> float:
    """Send one key as the terminal driver does; seconds until a frame shows its effect."""
    from textual import events

    # Not just after a frame: a key sent then waits for the next tick, which the harness's own
    # preparation decided (search keys did, ~14 ms; the minimal app's keys did not, ~9 ms).
    while (wait := frames.last + QUIET - time.perf_counter()) > 0:
        await asyncio.sleep(wait)
    ended = frames.expect(done)
    start = time.perf_counter()
    frames.app.post_message(events.Key(key, key if len(key) == 1 else None))
    return await asyncio.wait_for(ended, timeout=30) - start


async def minimal_keys(count: int) -> list[float]:
    """The minimal app that swaps the text of 30 labels on every key."""
    from benchmarks.minimal_apps import Labels

    samples = []
    app = Labels()
    async with app.run_test(size=(120, 40)) as pilot:
        frames = Frames(app)
        await pilot.pause()
        for n in range(count):
            expected = f"row 29 turn {n + 1}"
            samples.append(await hit(frames, "x", partial(_has, expected)))
            await pilot.pause()
    return samples


def _has(expected: str, text: str) -> bool:
    return expected in text


def _make_app(db: Path, start: str) -> Any:
    from c360tui.telemetry.writer import NullWriter
    from c360tui.tui.app import C360App

    return C360App(db, ROOT / "specs", NullWriter(), lambda: AS_OF, start=start)


async def search_keys(db: Path, count: int, queries: list[str]) -> list[float]:
    """Type each query's last character into the support search; time until a frame shows it."""
    from textual.widgets import DataTable, Input

    from c360tui.tui.screens.support import SupportScreen

    app = _make_app(db, "support")
    samples = []
    async with app.run_test(size=(120, 40)) as pilot:
        frames = Frames(app)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SupportScreen)
        search = screen.query_one("#search", Input)
        table = screen.query_one("#results", DataTable)
        search.value = queries[0]  # opens the store outside the timings
        await _until(lambda: bool(screen.results))
        for n in range(count):
            query = queries[n % len(queries)]
            search.value = query[:-1]
            search.cursor_position = len(search.value)
            await _until(partial(_shown, screen, table, query[:-1]))
            await pilot.pause()
            done = partial(_results_shown, screen, table, query)
            samples.append(await hit(frames, query[-1], done))
            await pilot.pause()
    return samples


def _shown(screen: Any, table: Any, query: str) -> bool:
    return bool(screen.shown_query == query and table.row_count == len(screen.results))


def _results_shown(screen: Any, table: Any, query: str, text: str) -> bool:
    """The table holds `query`'s results and a frame since the key showed its first row."""
    if not _shown(screen, table, query) or not screen.results:
        return False
    return screen.results[0].name[:12] in text


async def next_lead_keys(db: Path, count: int) -> list[float]:
    """Press j in the SDR queue; time until a frame shows the next lead's decision view."""
    from textual.widgets import OptionList

    from c360tui.tui.screens.queue import QueueScreen
    from c360tui.tui.widgets.decision_view import DecisionPanel

    app = _make_app(db, "sdr")
    samples = []
    async with app.run_test(size=(120, 40)) as pilot:
        frames = Frames(app)
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        panel = screen.query_one(DecisionPanel)
        await _until(lambda: panel.decision is not None, timeout=900)
        await pilot.pause()
        queue = screen.query_one("#queue", OptionList)
        for _ in range(min(count, len(screen.items) - 1)):
            item = screen.items[(queue.highlighted or 0) + 1]
            done = partial(_lead_shown, panel, item.customer_id, item.name[:20])
            samples.append(await hit(frames, "j", done))
            await pilot.pause()
    return samples


def _lead_shown(panel: Any, customer_id: str, name: str, text: str) -> bool:
    decision = panel.decision
    return decision is not None and decision.customer_id == customer_id and name in text


def _queries(db: Path, n: int) -> list[str]:
    """Name prefixes that exist in the store (4-6 characters of real display names)."""
    import sqlite3

    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        names = [
            row[0] for row in conn.execute("SELECT display_name FROM customer LIMIT ?", (n * 7,))
        ]
    picked = [name.split()[-1][: 4 + i % 3] for i, name in enumerate(names[::7]) if name.split()]
    return [q for q in picked if len(q) >= 3][:n]


# ---------------------------------------------------------------------------- report


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def timed(run: Callable[[], list[float]]) -> tuple[list[float], float]:
    """The samples and the CPU seconds this process spent producing them (all threads)."""
    before = resource.getrusage(resource.RUSAGE_SELF)
    samples = run()
    after = resource.getrusage(resource.RUSAGE_SELF)
    return samples, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--starts", type=int, default=10)
    parser.add_argument("--keys", type=int, default=200)
    parser.add_argument("--leads", type=int, default=100)
    parser.add_argument("--only", choices=["start", "keys"])
    args = parser.parse_args()
    if not args.db.exists():
        sys.exit(f"no store at {args.db}; build it with `python -m benchmarks.bench_search` first")

    with __import__("sqlite3").connect(f"file:{args.db}?mode=ro", uri=True) as conn:
        customers = conn.execute("SELECT count(*) FROM customer").fetchone()[0]
    print(f"store {args.db} ({customers:,} customers)")
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} at the start")

    if args.only != "keys":
        minimal, support = [], []
        for _ in range(args.starts):
            minimal.append(start_minimal())
            support.append(start_support(args.db))
        m = statistics.median(s.seconds for s in minimal)
        s = statistics.median(s.seconds for s in support)
        mc = statistics.median(s.cpu for s in minimal)
        sc = statistics.median(s.cpu for s in support)
        print(
            f"start to first paint: minimal {m * 1000:.0f} ms, c360 support {s * 1000:.0f} ms "
            f"(median of {args.starts}); ratio {s / m:.2f}x; whole-run CPU (start, paint, "
            f"quit) minimal {mc * 1000:.0f} ms, support {sc * 1000:.0f} ms ({sc / mc:.2f}x)"
        )
    if args.only == "start":
        return

    base, cpu = timed(lambda: asyncio.run(minimal_keys(args.keys)))
    b50, b99 = pct(base, 0.5), pct(base, 0.99)
    print(
        f"minimal app, 30 labels per key: p50 {b50:.1f} ms, p99 {b99:.1f} ms "
        f"({args.keys} keys, {cpu:.1f} s CPU)"
    )
    queries = _queries(args.db, 50)
    searched, cpu = timed(lambda: asyncio.run(search_keys(args.db, args.keys, queries)))
    report("search keystroke to results on screen", searched, b50, b99, cpu)
    t0 = time.perf_counter()
    leads, cpu = timed(lambda: asyncio.run(next_lead_keys(args.db, args.leads)))
    print(f"(SDR queue load and {len(leads)} leads took {time.perf_counter() - t0:.1f} s)")
    report("next lead key to decision view on screen", leads, b50, b99, cpu)
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end")


def report(name: str, samples: list[float], b50: float, b99: float, cpu: float) -> None:
    p50, p99 = pct(samples, 0.5), pct(samples, 0.99)
    print(
        f"{name}: p50 {p50:.1f} ms ({p50 / b50:.2f}x), p99 {p99:.1f} ms ({p99 / b99:.2f}x) "
        f"({len(samples)} keys, {cpu:.1f} s CPU)"
    )


if __name__ == "__main__":
    main()
