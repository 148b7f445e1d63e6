"""Sample telemetry made by driving the real app headless: simulated reps over simulated days.

`simulate()` runs C360App under Textual's test pilot, once per simulated session, over a copy of
the demo store, with a TelemetryWriter whose wall and monotonic clocks are a `SimClock` the
script moves between key presses. So every row in the output was written by the app itself, the
gaps between events are those of a person (seconds between keys, minutes between customers), and
the sessions fall on weekdays, 9:00-17:00 UTC, over the days ending at the sample data's as-of.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import random
import sqlite3
import tempfile
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from c360tui.sample.telemetry_reps import Caller, Rep, load_callers
from c360tui.sample.telemetry_roles import csm_session, sdr_session, strength, support_session
from c360tui.sample.writer import DEFAULT_AS_OF, parse_as_of
from c360tui.telemetry.writer import Recorder, connect

# The roles reps are given in turn: five reps are two support agents, two SDRs and one CSM.
ROLE_CYCLE = ("support", "sdr", "csm")
# The terminal the simulated reps use (it decides the fold, so it is recorded).
SIZE = (120, 40)
DAY_START = time(9, 0)
DAY_END = time(17, 0)


class SimClock:
    """Simulated wall and monotonic time, moved forward by the script between key presses.

    Each wall reading moves time on by a millisecond, so events recorded in one burst (a key and
    the view it opened) keep their order and the gaps a real app would show.
    """

    def __init__(self, start: datetime) -> None:
        self._epoch = start
        self._ns = 0

    def advance(self, seconds: float) -> None:
        self._ns += max(0, int(seconds * 1_000_000_000))

    def jump_to(self, moment: datetime) -> None:
        """Move to a later moment (a new session); never backwards."""
        self._ns = max(self._ns, int((moment - self._epoch).total_seconds() * 1_000_000_000))

    def wall(self) -> datetime:
        self._ns += 1_000_000
        return self._epoch + timedelta(microseconds=self._ns // 1000)

    def mono(self) -> int:
        return self._ns

    def now(self) -> datetime:
        return self._epoch + timedelta(microseconds=self._ns // 1000)


@dataclass(frozen=True, slots=True)
class SimRep:
    """One simulated rep: a pseudonymous id (same shape as a real one) and a role."""

    rep_id: str
    role: str


@dataclass(frozen=True, slots=True)
class SimOptions:
    """What to simulate: the store to copy, where to write, the seed, how many reps and days."""

    out: Path
    store: Path | None = None
    seed: int = 7
    reps: int = 5
    days: int = 14
    as_of: datetime = field(default_factory=lambda: parse_as_of(DEFAULT_AS_OF))
    specs_dir: Path | None = None
    sample_dir: Path | None = None
    jobs: int = 2


@dataclass(slots=True)
class SimSummary:
    """What was written: sessions, events by type, reps by role, the file size."""

    out: Path
    sessions: int = 0
    events: Counter[str] = field(default_factory=Counter)
    reps: dict[str, str] = field(default_factory=dict)
    size_bytes: int = 0


def make_reps(count: int, seed: int) -> list[SimRep]:
    """`count` reps with roles in ROLE_CYCLE order and ids hashed from the seed and position."""
    from c360tui.telemetry.events import default_rep_id

    return [
        SimRep(default_rep_id(f"simulated-{seed}-{index}"), ROLE_CYCLE[index % len(ROLE_CYCLE)])
        for index in range(count)
    ]


def work_days(as_of: datetime, days: int) -> list[datetime]:
    """Midnights (UTC) of the weekdays among the `days` days ending on as-of's day."""
    last = datetime.combine(as_of.astimezone(UTC).date(), time(0), tzinfo=UTC)
    every = [last - timedelta(days=back) for back in range(days - 1, -1, -1)]
    weekdays = [day for day in every if day.weekday() < 5]
    return weekdays or every[-1:]


def session_starts(role: str, day: datetime, rng: random.Random) -> list[tuple[datetime, int]]:
    """When one rep opens the app on a day, and how many customers each session takes."""
    at = day + timedelta(hours=DAY_START.hour)
    if role == "support":
        return [
            (at + timedelta(minutes=rng.uniform(0, 40)), rng.randint(2, 6)),
            (at + timedelta(hours=4, minutes=rng.uniform(0, 60)), rng.randint(2, 5)),
        ]
    if role == "sdr":
        plan = [(at + timedelta(minutes=rng.uniform(0, 30)), rng.randint(10, 22))]
        if rng.random() < 0.3:
            plan.append((at + timedelta(hours=5, minutes=rng.uniform(0, 60)), rng.randint(4, 10)))
        return plan
    return [(at + timedelta(hours=1, minutes=rng.uniform(0, 120)), rng.randint(4, 8))]


def build_store(path: Path, as_of: datetime, specs_dir: Path | None = None) -> Path:
    """The demo store: the bundled sample data ingested (as the demo does) into `path`."""
    from c360tui.ingest.pipeline import ingest
    from c360tui.settings import Settings, sample_data_dir
    from c360tui.store import open_store

    with open_store(path) as store:
        ingest([sample_data_dir()], store, now=as_of, specs_dir=Settings().specs_dir(specs_dir))
    return path


def copy_store(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite store (WAL included) for one rep's week."""
    target.unlink(missing_ok=True)
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def finish_file(path: Path) -> None:
    """Fold the WAL into the file, compact it, and leave it readable read-only as one file."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("VACUUM")
    finally:
        conn.close()


def simulate(options: SimOptions) -> SimSummary:
    """Run every simulated session and write the telemetry file (replacing any old one).

    Each rep runs in its own process (up to `options.jobs` at once), all writing the one file,
    as several reps' apps would; each rep's sessions depend only on the seed and its position.
    """
    from c360tui.settings import Settings

    if options.reps < 1 or options.days < 1:
        raise ValueError("simulate needs at least one rep and one day")
    out = options.out
    out.parent.mkdir(parents=True, exist_ok=True)
    for stale in (out, out.with_name(out.name + "-wal"), out.with_name(out.name + "-shm")):
        stale.unlink(missing_ok=True)
    specs_dir = Settings().specs_dir(options.specs_dir)
    reps = make_reps(options.reps, options.seed)
    summary = SimSummary(out, reps={r.rep_id: r.role for r in reps})
    with tempfile.TemporaryDirectory(prefix="c360-sim-") as scratch:
        base = options.store or build_store(Path(scratch) / "base.db", options.as_of, specs_dir)
        connect(out, 5000).close()  # the schema exists before several writers race to make it
        jobs = [
            (index, rep, base, Path(scratch), specs_dir, options) for index, rep in enumerate(reps)
        ]
        if options.jobs <= 1 or len(reps) == 1:
            summary.sessions = sum(_rep_worker(job) for job in jobs)
        else:
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(min(options.jobs, len(reps)), mp_context=context) as pool:
                summary.sessions = sum(pool.map(_rep_worker, jobs))
    finish_file(out)
    with closing(sqlite3.connect(out)) as conn:
        summary.events.update(dict(conn.execute("SELECT type, count(*) FROM events GROUP BY type")))
    summary.size_bytes = out.stat().st_size
    return summary


def _rep_worker(job: tuple[int, SimRep, Path, Path, Path, SimOptions]) -> int:
    """One rep's fortnight in this process; returns how many sessions it ran."""
    return asyncio.run(_simulate_rep(*job))


async def _simulate_rep(
    index: int, rep: SimRep, base: Path, scratch: Path, specs_dir: Path, options: SimOptions
) -> int:
    from c360tui.settings import sample_data_dir
    from c360tui.telemetry.writer import TelemetryWriter

    rng = random.Random(f"{options.seed}:{index}")
    callers = load_callers(options.sample_dir or sample_data_dir())
    days = work_days(options.as_of, options.days)
    clock = SimClock(days[0])
    store = scratch / f"rep{index}.db"
    writer = TelemetryWriter(options.out, wall=clock.wall, monotonic_ns=clock.mono)
    sessions = 0
    week = None
    try:
        for day in days:
            if day.isocalendar()[1] != week:  # Monday's fresh lead list and book
                copy_store(base, store)
                week = day.isocalendar()[1]
            cutoff = min(day + timedelta(hours=DAY_END.hour), options.as_of)
            for start, size in session_starts(rep.role, day, rng):
                if start >= cutoff:
                    continue
                clock.jump_to(start)
                seed = rng.random()
                await _run_session(
                    rep,
                    store,
                    specs_dir,
                    writer,
                    clock,
                    random.Random(seed),
                    size,
                    callers,
                    options.as_of,
                )
                sessions += 1
    finally:
        writer.close()
    return sessions


async def _run_session(
    rep: SimRep,
    store: Path,
    specs_dir: Path,
    writer: Recorder,
    clock: SimClock,
    rng: random.Random,
    size: int,
    callers: list[Caller],
    as_of: datetime,
) -> None:
    """One app run: start on the rep's screen, work `size` customers, quit."""
    from c360tui.telemetry.events import Context
    from c360tui.tui.app import C360App
    from c360tui.tui.tracking import Tracker

    app = C360App(store, specs_dir, writer, lambda: as_of, start=rep.role)
    session_id = f"{rng.getrandbits(128):032x}"
    app.tracker = Tracker(writer, Context(session_id, "rep", rep.rep_id))
    async with app.run_test(size=SIZE) as pilot:
        driver = Rep(pilot, clock, rng, habit=strength(rep.rep_id))
        await driver.settle()
        if rep.role == "support":
            await support_session(driver, callers, size)
        elif rep.role == "sdr":
            await sdr_session(driver, size)
        else:
            await csm_session(driver, size)
        driver.wait(2, 20)
