"""Screen speed over a large store, each as a ratio to a minimal Textual app measured the same way.

Run: `python -m benchmarks.bench_tui [--db PATH] [--starts N] [--keys N]`

1. Start to first paint: `c360 support --db PATH` (real CLI, telemetry on) against a one-Static
   Textual app, each in a fresh process, headless, alternating; the child reports the time from
   the parent's spawn to the first refresh of its screen. Median of N starts each; goal <= 1.5x.
2. Keystroke to updated results on screen (support search over the store), and next-lead key to
   the new decision view on screen (SDR queue over the store), against a minimal app that swaps
   the text of 30 labels on a key: p50 and p99 of N keys each, in process, headless; goal <= 1.5x.
"Start" includes Python start-up and imports for both apps; "on screen" means the screen has
refreshed after the data arrived (the wait polls every 0.5 ms, the same for both apps).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "benchmarks" / "data" / "search_1000000.db"
AS_OF = datetime(2026, 11, 30, 15, tzinfo=UTC)
POLL = 0.0005

# ---------------------------------------------------------------------------- start-up (child side)


def _report_first_paint(pilot: Any) -> Any:
    async def auto(pilot: Any) -> None:
        await pilot.pause()
        print(f"FIRST_PAINT {time.time() - float(os.environ['C360_BENCH_T0']):.6f}", flush=True)
        pilot.app.exit()

    return auto(pilot)


def child_minimal() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("hello")

    Minimal().run(headless=True, auto_pilot=_report_first_paint)


def child_support(db: str) -> None:
    from c360tui.tui.app import C360App

    original = C360App.run

    def run(self: C360App, **kwargs: Any) -> None:
        original(self, headless=True, auto_pilot=_report_first_paint)

    C360App.run = run  # type: ignore[method-assign]
    from c360tui.cli import app

    with tempfile.TemporaryDirectory() as scratch:
        telemetry = str(Path(scratch) / "telemetry.db")
        app(["support", "--db", db, "--telemetry", telemetry], standalone_mode=False)


def spawn(kind: str, db: Path) -> float:
    """Run one child and return its spawn-to-first-paint seconds."""
    env = {**os.environ, "C360_BENCH_T0": repr(time.time())}
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_tui", "--child", kind, "--db", str(db)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    for line in out.stdout.splitlines():
        if line.startswith("FIRST_PAINT "):
            return float(line.split()[1])
    raise RuntimeError(
        f"{kind} child printed no FIRST_PAINT: {out.stdout[-400:]} {out.stderr[-400:]}"
    )


# ---------------------------------------------------------------------------- key latency


async def _until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the screen never showed the expected change")
        await asyncio.sleep(POLL)


async def hit(app: Any, key: str, shown: Callable[[], bool]) -> float:
    """Send one key as the terminal driver does; seconds until a refresh finds `shown()` true.

    Each wait is for the screen's next refresh callback; a refresh that ran before the data
    arrived does not count, and a missed callback is retried rather than waited on forever.
    """
    from textual import events

    start = time.perf_counter()
    app.post_message(events.Key(key, key if len(key) == 1 else None))
    while time.perf_counter() - start < 30:
        await _until(shown)
        painted = asyncio.Event()
        app.screen.call_after_refresh(painted.set)
        try:
            await asyncio.wait_for(painted.wait(), timeout=0.5)
        except TimeoutError:
            app.screen.refresh()  # nothing was left to paint: count the frame it is in
            continue
        return time.perf_counter() - start
    raise TimeoutError("the screen never refreshed with the expected change")


async def minimal_keys(count: int) -> list[float]:
    """A minimal app that swaps the text of 30 labels on every key."""
    from textual.app import App, ComposeResult
    from textual.widgets import Label

    class Labels(App[None]):
        turn = 0

        def compose(self) -> ComposeResult:
            for i in range(30):
                yield Label(f"row {i}", id=f"l{i}")

        def on_key(self) -> None:
            self.turn += 1
            for i, label in enumerate(self.query(Label)):
                label.update(f"row {i} turn {self.turn}")

    samples = []
    app = Labels()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        last = app.query_one("#l29", Label)
        for n in range(count):
            samples.append(await hit(app, "x", partial(_ends, last, f"turn {n + 1}")))
            await pilot.pause()
    return samples


def _ends(label: Any, suffix: str) -> bool:
    return str(label.render()).endswith(suffix)


def _make_app(db: Path, start: str) -> Any:
    from c360tui.telemetry.writer import NullWriter
    from c360tui.tui.app import C360App

    return C360App(db, ROOT / "specs", NullWriter(), lambda: AS_OF, start=start)


async def search_keys(db: Path, count: int, queries: list[str]) -> list[float]:
    """Type each query's last character into the support search; time until the table shows it."""
    from textual.widgets import DataTable, Input

    from c360tui.tui.screens.support import SupportScreen

    app = _make_app(db, "support")
    samples = []
    async with app.run_test(size=(120, 40)) as pilot:
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
            samples.append(await hit(app, query[-1], partial(_shown, screen, table, query)))
            await pilot.pause()
    return samples


def _shown(screen: Any, table: Any, query: str) -> bool:
    return bool(screen.shown_query == query and table.row_count == len(screen.results))


async def next_lead_keys(db: Path, count: int) -> list[float]:
    """Press j in the SDR queue; time until the next lead's decision view is on screen."""
    from textual.widgets import OptionList

    from c360tui.tui.screens.queue import QueueScreen
    from c360tui.tui.widgets.decision_view import DecisionPanel

    app = _make_app(db, "sdr")
    samples = []
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        panel = screen.query_one(DecisionPanel)
        await _until(lambda: panel.decision is not None, timeout=900)
        queue = screen.query_one("#queue", OptionList)
        for _ in range(min(count, len(screen.items) - 1)):
            target = screen.items[(queue.highlighted or 0) + 1].customer_id
            samples.append(await hit(app, "j", partial(_showing, panel, target)))
            await pilot.pause()
    return samples


def _showing(panel: Any, customer_id: str) -> bool:
    return panel.decision is not None and panel.decision.customer_id == customer_id


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--starts", type=int, default=10)
    parser.add_argument("--keys", type=int, default=200)
    parser.add_argument("--leads", type=int, default=100)
    parser.add_argument("--child", choices=["minimal", "support"])
    args = parser.parse_args()
    if args.child == "minimal":
        child_minimal()
        return
    if args.child == "support":
        child_support(str(args.db))
        return
    if not args.db.exists():
        sys.exit(f"no store at {args.db}; build it with `python -m benchmarks.bench_search` first")

    with __import__("sqlite3").connect(f"file:{args.db}?mode=ro", uri=True) as conn:
        customers = conn.execute("SELECT count(*) FROM customer").fetchone()[0]
    print(f"store {args.db} ({customers:,} customers)")

    minimal_starts, support_starts = [], []
    for _ in range(args.starts):
        minimal_starts.append(spawn("minimal", args.db))
        support_starts.append(spawn("support", args.db))
    m, s = statistics.median(minimal_starts), statistics.median(support_starts)
    print(
        f"start to first paint: minimal {m * 1000:.0f} ms, c360 support {s * 1000:.0f} ms "
        f"(median of {args.starts}); ratio {s / m:.2f}x"
    )

    base = asyncio.run(minimal_keys(args.keys))
    b50, b99 = pct(base, 0.5), pct(base, 0.99)
    print(f"minimal app, 30 labels per key: p50 {b50:.1f} ms, p99 {b99:.1f} ms ({args.keys} keys)")
    searched = asyncio.run(search_keys(args.db, args.keys, _queries(args.db, 50)))
    report("search keystroke to results on screen", searched, b50, b99)
    t0 = time.perf_counter()
    leads = asyncio.run(next_lead_keys(args.db, args.leads))
    print(f"(SDR queue load and {args.leads} leads took {time.perf_counter() - t0:.1f} s)")
    report("next lead key to decision view on screen", leads, b50, b99)


def report(name: str, samples: list[float], b50: float, b99: float) -> None:
    p50, p99 = pct(samples, 0.5), pct(samples, 0.99)
    print(f"{name}: p50 {p50:.1f} ms ({p50 / b50:.2f}x), p99 {p99:.1f} ms ({p99 / b99:.2f}x)")


if __name__ == "__main__":
    main()
