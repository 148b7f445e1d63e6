"""The team-lead screens over large telemetry: the dashboard over 1,000,000 events, replay steps.

Run: `python -m benchmarks.bench_lead [--events N] [--runs R] [--steps S] [--only PART]`

1. Dashboard: `c360 lead`'s app, headless, on the 1M-event file `bench_report` builds (and caches
   under benchmarks/data/): time from start to the first paint (the skeleton, filters and status),
   and to the dashboard painted with the numbers (and the process CPU until then), with an
   empty tally cache (the first count of the file) and with the cache filled; then the screen's
   own work on a loaded tally (`build_dashboard` + painting every table and chart). Goal <= 2 s.
2. Sessions list: `c360 replay`'s app (the list as its first screen) on the same file: time to
   its first paint, to the first rows of sessions painted (what the lead sees appear, and the
   process CPU until then), and to every session known to the screen; with an empty cache and
   with it filled (the tally cache's directory, emptied before each first open).
3. Replay step: a recorded session of S events (a rep working S/6 queue leads, written through the
   real TelemetryWriter with injected clocks), opened in the replay screen; p50/p99 of a `right`
   key press to the next step shown (the handler, the repaint of the view, the cursor move), each
   key sent as soon as the last was painted, then as a held key repeats (30/s), and of `show()`
   alone; the same key measures on a minimal one-Static app give the floor (a frame, ~16.7 ms,
   as the key waits for the next refresh), and the process CPU per held key tells the work
   from the waiting for a core on a shared machine. Goal: p99 within one frame (16 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.bench_report import DATA, build
from c360tui.metrics.loader import load_tally
from c360tui.metrics.script import SessionScript, merged, signal, write_events
from c360tui.tui.lead_app import LeadApp
from c360tui.tui.screens.lead import LeadScreen, Scope, build_dashboard
from c360tui.tui.screens.replay import ReplayScreen


async def _until(pilot: Any, done: Any, limit: float = 120.0) -> None:
    start = time.perf_counter()
    while not done() and time.perf_counter() - start < limit:
        await pilot.pause(0.005)


async def dashboard(path: Path) -> dict[str, float]:
    """Seconds from the app's start to its first paint and to the numbers on screen."""
    start, cpu = time.perf_counter(), time.process_time()
    app = LeadApp([path])
    times: dict[str, float] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        times["first paint"] = time.perf_counter() - start
        screen = app.screen
        assert isinstance(screen, LeadScreen)
        await _until(pilot, lambda: bool(screen._cache))
        await pilot.pause()
        times["numbers on screen"] = time.perf_counter() - start
        times["cpu to numbers (process)"] = time.process_time() - cpu
        tally = load_tally([path])
        begin = time.perf_counter()
        board = build_dashboard(tally, Scope())
        screen._paint(board)
        await pilot.pause()
        times["build + paint alone"] = time.perf_counter() - begin
    return times


async def painted(screen: Any) -> None:
    """Until the screen has refreshed once more (what is set now is on screen)."""
    done = asyncio.Event()
    screen.call_after_refresh(done.set)
    await done.wait()


async def sessions_list(path: Path, total: int) -> dict[str, float]:
    """Seconds from the app's start to the list's first paint, its first rows, all sessions."""
    from textual.widgets import DataTable

    start, cpu = time.perf_counter(), time.process_time()
    app = LeadApp([path], first="sessions")
    times: dict[str, float] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        times["first paint"] = time.perf_counter() - start
        screen = app.screen
        table = screen.query_one("#sessions-table", DataTable)
        await _until(pilot, lambda: table.row_count > 0)
        await painted(screen)
        times["first rows on screen"] = time.perf_counter() - start
        times["cpu to first rows (process)"] = time.process_time() - cpu
        await _until(pilot, lambda: len(screen.sessions) >= total)
        await painted(screen)
        times["every session known"] = time.perf_counter() - start
        times["cpu to every session"] = time.process_time() - cpu
        assert len(screen.sessions) == total
    return times


async def hit(app: Any, screen: Any, expected: int) -> float:
    """Send `right` as the terminal driver does; seconds until that step is shown and painted."""
    from textual import events

    start = time.perf_counter()
    app.post_message(events.Key("right", None))
    while screen.index != expected:
        await asyncio.sleep(0.0005)
    painted = asyncio.Event()
    screen.call_after_refresh(painted.set)
    await painted.wait()
    return time.perf_counter() - start


def long_session(path: Path, events: int) -> None:
    shown = (
        signal("intent", "stale", freshness="stale"),
        signal("do_not_contact", rank=2),
        signal("last_touch", rank=3, above_fold=False),
        signal("phone", "conflicted", section="contact"),
        signal("title", section="contact"),
    )
    script = SessionScript("BENCH", "sdr", "sdr_call_now", signals=shown).begin(0.0)
    at, n = 0.5, 0
    while len(script.recorded) < events - 1:
        customer = f"C-{n}"
        script.view(at, customer).section(at + 1, customer, "contact")
        script.why(at + 2, customer, "intent").flag(at + 3, customer, "phone", "billing")
        script.expand(at + 4, customer, "last_touch").act(at + 6, customer, "call")
        at, n = at + 7, n + 1
    write_events(path, merged(script.end(at)))


HELD = 1 / 30  # a held key repeats about 30 times a second


CPU_PER_STEP: dict[str, float] = {}  # label -> process CPU seconds per key, held-key runs


async def presses_of(
    app: Any, screen: Any, presses: int, pace: float, label: str = ""
) -> list[float]:
    """`presses` right keys, each sent as soon as the last was painted plus `pace` seconds.

    With a `label`, the process CPU time per key is kept in CPU_PER_STEP: the work itself, apart
    from the waiting for a core that a shared machine adds to the wall time.
    """
    times = []
    cpu = time.process_time()
    for _ in range(presses):
        times.append(await hit(app, screen, screen.index + 1))
        if pace:
            await asyncio.sleep(pace)
    if label:
        CPU_PER_STEP[label] = (time.process_time() - cpu) / presses
    return times


async def replay(path: Path, presses: int) -> tuple[list[float], list[float], list[float]]:
    from c360tui.metrics.fast import session_summaries
    from c360tui.telemetry.reader import open_reader

    with open_reader(path) as reader:
        (summary,) = session_summaries(reader)
    app = LeadApp([path])
    shows = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.push_screen(ReplayScreen([path], summary))
        screen = app.screen
        assert isinstance(screen, ReplayScreen)
        await _until(pilot, lambda: bool(screen.steps))
        await pilot.pause()
        keys = await presses_of(app, screen, presses, 0)
        held = await presses_of(app, screen, presses, HELD, "replay")
        for index in range(presses):
            begin = time.perf_counter()
            screen.show(index)
            shows.append(time.perf_counter() - begin)
    return keys, held, shows


async def minimal(presses: int) -> tuple[list[float], list[float]]:
    """The same measure on a minimal app whose `right` key swaps the text of one Static."""
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Minimal(App[None]):
        index = 0

        def compose(self) -> ComposeResult:
            yield Static("0")

        def key_right(self) -> None:
            self.index += 1
            self.query_one(Static).update(str(self.index))

    app = Minimal()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        keys = await presses_of(app, app, presses, 0)
        held = await presses_of(app, app, presses, HELD, "minimal app")
    return keys, held


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument(
        "--only", choices=("dashboard", "sessions", "replay"), help="run one part only"
    )
    args = parser.parse_args()
    print(
        f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}, "
        f"Python {sys.version.split()[0]}"
    )
    if args.only in (None, "dashboard"):
        bench_dashboard(args.events, args.runs)
    if args.only in (None, "sessions"):
        bench_sessions(args.events, args.runs)
    if args.only in (None, "replay"):
        bench_replay(args.steps)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


def bench_dashboard(events: int, runs: int) -> None:
    path = DATA / f"telemetry_{events}.db"
    if not path.is_file():
        print(f"building {path.name} (bench_report's file)…", flush=True)
        build(path, events)
    cache = DATA / "lead_cache"  # the tally cache, emptied before each first count
    os.environ["C360_CACHE_DIR"] = str(cache)
    for kind in ("first count", "cached"):
        results = []
        for _ in range(runs):
            if kind == "first count":
                shutil.rmtree(cache, ignore_errors=True)
            results.append(asyncio.run(dashboard(path)))
        for label in results[0]:
            values = [r[label] for r in results]
            unit = "s CPU" if label.startswith("cpu") else "s"
            print(
                f"dashboard, {kind:<11} {label:<24} best {min(values):6.3f} {unit:<5} "
                f"median {statistics.median(values):6.3f} {unit}"
            )


def bench_sessions(events: int, runs: int) -> None:
    import sqlite3

    path = DATA / f"telemetry_{events}.db"
    if not path.is_file():
        print(f"building {path.name} (bench_report's file)…", flush=True)
        build(path, events)
    with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as conn:
        (total,) = conn.execute("SELECT count(DISTINCT session_id) FROM events").fetchone()
    cache = DATA / "lead_cache"
    os.environ["C360_CACHE_DIR"] = str(cache)
    for kind in ("first open", "cached"):
        results = []
        for _ in range(runs):
            if kind == "first open":
                shutil.rmtree(cache, ignore_errors=True)
            results.append(asyncio.run(sessions_list(path, total)))
        for label in results[0]:
            values = [r[label] for r in results]
            unit = "s CPU" if label.startswith("cpu") else "s"
            print(
                f"sessions, {kind:<10} {label:<28} best {min(values):6.3f} {unit:<5} "
                f"median {statistics.median(values):6.3f} {unit}  ({total:,} sessions)"
            )


def bench_replay(steps: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        session = Path(tmp) / "session.db"
        long_session(session, steps)
        keys, held, shows = asyncio.run(replay(session, min(600, (steps - 1) // 2)))
    base_keys, base_held = asyncio.run(minimal(len(keys)))
    for label, values in (
        ("right key → step painted", keys),
        ("same, key held (30/s)", held),
        ("show() alone", shows),
        ("minimal app, same measure", base_keys),
        ("minimal app, key held", base_held),
    ):
        print(
            f"replay {label:<24} p50 {quantile(values, 0.5) * 1000:6.2f} ms  "
            f"p99 {quantile(values, 0.99) * 1000:6.2f} ms  (n={len(values)}, "
            f"{steps} events in the session)"
        )
    for label, cpu in CPU_PER_STEP.items():
        print(f"{label} CPU per held key (process, all threads) {cpu * 1000:6.2f} ms")


if __name__ == "__main__":
    main()
