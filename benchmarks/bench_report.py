"""`c360 report` over a 1,000,000-event telemetry file: end to end, and the metrics alone.

Run: `python -m benchmarks.bench_report [--events N] [--runs R] [--rebuild]`

Builds (and caches under benchmarks/data/) a telemetry file of simulated sessions over two weeks:
SDR and CSM reps working queues (a view per lead reached, some skipped within a second, sections,
why, flags, an action), support agents searching as they type and opening one result, one session
in ten driven by an agent. Events are real typed events over the real view specs' signals,
encoded by the real writer's `encode_row` and bulk-inserted with the real schema (each distinct
`view_opened` payload is encoded once and its customer id substituted, to keep the build fast).
Then times, best and median of R runs:
- `python -m c360tui report --telemetry FILE` end to end (table, --json and --csv), a subprocess;
- the metrics in-process: `load_tally` + `from_tally` (the SQL path);
each without the tally cache (a first count) and with it (the file unchanged since the last run,
and, on a copy, right after a writer committed one more session: the incremental count);
- the pure reference over the first 100,000 events, for scale. Goal: report <= 2 s.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from c360tui.core.view_spec import ViewSpec
from c360tui.metrics.compute import from_tally
from c360tui.metrics.compute import metrics as pure_metrics
from c360tui.metrics.loader import load_tally
from c360tui.specs_io import load_views
from c360tui.telemetry.events import (
    ActionTaken,
    Context,
    Event,
    FieldExpanded,
    ProvenanceOpened,
    QueuePresented,
    ScreenOpened,
    Search,
    SectionExpanded,
    SessionEnd,
    SessionStart,
    ShownSignal,
    SignalTrust,
    TrustState,
    ValueFlagged,
    ViewOpened,
)
from c360tui.telemetry.reader import open_reader
from c360tui.telemetry.schema import INSERT, PAGE_SIZE, create_tables
from c360tui.telemetry.writer import encode_row, format_wall

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
START = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
TRUSTS: tuple[TrustState, ...] = ("trusted",) * 8 + ("stale", "conflicted", "missing", "unverified")
ROLE_VIEWS = {"support": "support_close_case", "sdr": "sdr_call_now", "csm": "csm_at_risk"}
Row = tuple[object, ...]


def number_of(counter: Iterator[int]) -> int:
    return next(counter)


class Builder:
    """Simulated sessions as rows of the events table, in each session's seq order."""

    def __init__(self, specs: dict[str, ViewSpec], seed: int) -> None:
        self.rng = random.Random(seed)
        self.specs = specs
        self.rows: list[Row] = []
        self.payloads: dict[tuple[str, int], str] = {}  # (view, variant) -> template payload
        self.variants: dict[str, list[tuple[ShownSignal, ...]]] = {
            name: [self._layout(spec) for _ in range(16)] for name, spec in specs.items()
        }

    def _layout(self, spec: ViewSpec) -> tuple[ShownSignal, ...]:
        """The view's signals as a view_opened records them, with random trust states."""
        rng = self.rng
        ranked = [
            ShownSignal(
                s.id,
                rng.choice(TRUSTS),
                "fresh",
                i + 1,
                i < spec.above_fold,
                None,
                rng.uniform(0, 9e5),
                s.budget_delta.total_seconds(),
            )
            for i, s in enumerate(spec.signals)
        ]
        detail = [
            ShownSignal(
                s.id,
                rng.choice(TRUSTS),
                "fresh",
                i + 1,
                False,
                section.id,
                rng.uniform(0, 9e5),
                s.budget_delta.total_seconds(),
            )
            for section in spec.sections
            for i, s in enumerate(section.signals)
        ]
        return (*ranked, *detail)

    def session(self, number: int) -> None:
        rng = self.rng
        role = rng.choice(["support", "support", "sdr", "sdr", "csm"])
        view = ROLE_VIEWS[role]
        actor = "agent" if number % 10 == 9 else "rep"
        base = Context(f"{number:032x}", actor, f"rep-{number % 8:02d}")  # type: ignore[arg-type]
        ctx = base.with_view(role, view, self.specs[view].version)
        day = START + timedelta(days=number % 14, minutes=rng.randint(0, 540))
        clock = {"t": 0.0}
        seq = iter(range(1_000_000))

        def emit(event: Event, after: float, payload: str | None = None) -> None:
            clock["t"] += after
            wall = day + timedelta(seconds=clock["t"])
            mono = int(clock["t"] * 1e9)
            if payload is None:
                row = encode_row(event, wall, mono, number_of(seq))
            else:
                assert isinstance(event, ViewOpened)
                row = self._view_row(event, wall, mono, number_of(seq), payload)
            self.rows.append(row)

        emit(SessionStart(base, "0.1.0", 120, 40), 0.0)
        emit(ScreenOpened(base, "launcher"), 0.3)
        emit(ScreenOpened(ctx, role), rng.uniform(0.5, 3))
        customers = [f"C-{rng.randint(0, 999_999):06d}" for _ in range(rng.randint(8, 30))]
        if role != "support":
            emit(QueuePresented(ctx, view, tuple(customers), len(customers) + 40), 0.2)
        for customer in customers:
            if role == "support":
                for _ in range(rng.randint(3, 8)):
                    offered = tuple(
                        f"C-{rng.randint(0, 999_999):06d}" for _ in range(rng.randint(0, 5))
                    )
                    emit(
                        Search(ctx, len(offered), rng.randint(1, 20), "name", (*offered, customer)),
                        rng.uniform(0.1, 0.4),
                    )
            self._decision(ctx, view, customer, emit, fast=actor == "agent")
        emit(SessionEnd(base, "quit"), rng.uniform(1, 30))

    def _decision(
        self, ctx: Context, view: str, customer: str, emit: Callable[..., None], fast: bool
    ) -> None:
        rng = self.rng
        variant = rng.randrange(16)
        signals = self.variants[view][variant]
        spec = self.specs[view]
        recommended = rng.choice([a.id for a in spec.actions])
        event = ViewOpened(
            ctx, customer, "search" if ctx.role == "support" else "queue", signals, recommended
        )
        emit(event, rng.uniform(0.2, 1.5), payload=self._template(event, view, variant))
        if not fast and rng.random() < 0.25:
            return  # skipped: the next lead comes up within a second, no action
        started = 0.0
        for _ in range(0 if fast else rng.choice([0, 0, 1, 1, 2, 3])):
            pick = rng.random()
            step = rng.uniform(0.5, 6)
            started += step
            target = rng.choice(signals)
            if pick < 0.4 and spec.sections:
                emit(SectionExpanded(ctx, customer, rng.choice(spec.sections).id), step)
            elif pick < 0.8:
                emit(ProvenanceOpened(ctx, customer, target.id, target.trust), step)
            elif pick < 0.9:
                emit(FieldExpanded(ctx, customer, target.id), step)
            else:
                emit(
                    ValueFlagged(
                        ctx,
                        customer,
                        target.id,
                        target.id,
                        target.trust,
                        rng.choice(["crm", "billing", "marketing"]),
                    ),
                    step,
                )
        wait = rng.uniform(0.02, 0.2) if fast else rng.lognormvariate(2.3, 0.8)
        deciding = tuple(SignalTrust(s.id, s.trust, s.freshness) for s in signals if s.above_fold)
        doubt = any(s.trust != "trusted" for s in deciding)
        action = (
            recommended
            if rng.random() > (0.35 if doubt else 0.1)
            else rng.choice([a.id for a in spec.actions])
        )
        emit(
            ActionTaken(ctx, customer, action, recommended, int((started + wait) * 1000), deciding),
            wait,
        )

    def _template(self, event: ViewOpened, view: str, variant: int) -> str:
        key = (view, variant)
        if key not in self.payloads:
            row = encode_row(event, START, 0, 0)
            self.payloads[key] = str(row[-1]).replace(event.customer_id, "C-??????", 1)
        return self.payloads[key]

    @staticmethod
    def _view_row(event: ViewOpened, wall: datetime, mono: int, seq: int, payload: str) -> Row:
        """The row encode_row would write, from the cached payload (schema COLUMNS order)."""
        ctx, customer = event.ctx, event.customer_id
        payload = payload.replace("C-??????", customer, 1)
        return (
            "view_opened",
            ctx.session_id,
            seq,
            ctx.actor,
            ctx.rep,
            ctx.role,
            ctx.view,
            ctx.spec_version,
            customer,
            format_wall(wall),
            mono,
            payload,
        )


def build(path: Path, events: int, seed: int = 7) -> dict[str, int]:
    """Write about `events` events of simulated sessions to a new telemetry file."""
    specs = load_views(ROOT / "specs")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # as the writer creates a file
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("BEGIN")
    create_tables(conn)  # the tables and indexes the writer gives every new file
    conn.execute("COMMIT")
    builder = Builder(specs, seed)
    written = number = 0
    while written < events:
        builder.session(number)
        number += 1
        if len(builder.rows) >= 20_000 or written + len(builder.rows) >= events:
            rows = builder.rows[: events - written]
            conn.execute("BEGIN")
            conn.executemany(INSERT, rows)
            conn.execute("COMMIT")
            written += len(rows)
            builder.rows = []
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    mix = dict(
        conn.execute("SELECT type, count(*) FROM events GROUP BY type ORDER BY 2 DESC").fetchall()
    )
    conn.close()
    return mix


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and its finished children so far."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def timed(
    work: Callable[[], object], runs: int, before: Callable[[], object] | None = None
) -> tuple[float, float, float]:
    """Best and median wall seconds of `runs` calls, and the median CPU seconds they used.

    On a shared machine wall time includes waiting for a core; CPU time is the work itself.
    `before` runs ahead of each call, untimed.
    """
    walls, cpus = [], []
    for _ in range(runs):
        if before is not None:
            before()
        cpu, start = cpu_seconds(), time.perf_counter()
        work()
        walls.append(time.perf_counter() - start)
        cpus.append(cpu_seconds() - cpu)
    return min(walls), statistics.median(walls), statistics.median(cpus)


def cli(path: Path, *extra: str, cache: Path | None = None) -> Callable[[], object]:
    """`c360 report` as a subprocess; without `cache` the tally cache is off (a cold count)."""
    command = [sys.executable, "-m", "c360tui", "report", "--telemetry", str(path), *extra]
    env = {**os.environ, "C360_CACHE_DIR": str(cache) if cache else ""}
    return lambda: subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=ROOT, env=env)


def appender(path: Path) -> Callable[[], object]:
    """Commit one more session to `path` through the real writer, as a rep's app would."""
    from c360tui.metrics.script import random_session
    from c360tui.telemetry.writer import TelemetryWriter

    rng = random.Random(11)
    numbers = itertools.count(1_000_000)

    def append() -> None:
        script = random_session(rng, next(numbers))
        walls = iter([r.wall_time for r in script.recorded])
        monos = iter([r.mono_ns for r in script.recorded])
        with TelemetryWriter(path, wall=lambda: next(walls), monotonic_ns=lambda: next(monos)) as w:
            for recorded in script.recorded:
                w.record(recorded.event)

    return append


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    path = DATA / f"telemetry_{args.events}.db"
    if args.rebuild or not path.is_file():
        start = time.perf_counter()
        mix = build(path, args.events)
        print(f"built {path.name} in {time.perf_counter() - start:.1f} s: {mix}")
    with open_reader(path) as reader:
        count = reader.connection.execute("SELECT count(*) FROM events").fetchone()[0]
        sessions = reader.connection.execute(
            "SELECT count(DISTINCT session_id) FROM events"
        ).fetchone()[0]
    print(f"file: {count:,} events, {sessions:,} sessions, {path.stat().st_size / 1e6:,.0f} MB")
    print(
        f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}, "
        f"Python {sys.version.split()[0]}"
    )
    cache = DATA / "tally_cache"
    shutil.rmtree(cache, ignore_errors=True)
    timed(cli(path, cache=cache), 1)  # warm the page cache and fill the tally cache
    live = DATA / f"telemetry_{args.events}_live.db"  # a copy that each run appends a session to
    shutil.copyfile(path, live)
    timed(cli(live, cache=cache), 1)
    os.environ["C360_CACHE_DIR"] = str(cache)
    append = appender(live)
    for label, work, before in (
        ("c360 report (tables), after a commit", cli(live, cache=cache), append),
        ("c360 report --json, after a commit", cli(live, "--json", cache=cache), append),
        (
            "metrics in-process, after a commit",
            lambda: from_tally(load_tally([live])),
            append,
        ),
    ):
        best, median, cpu = timed(work, args.runs, before)
        print(
            f"{label:<50} wall best {best:6.2f} s  median {median:6.2f} s  | cpu {cpu:6.2f} s",
            flush=True,
        )
    for label, work in (
        ("c360 report (tables), no cache", cli(path)),
        ("c360 report --json, no cache", cli(path, "--json")),
        ("c360 report --csv, no cache", cli(path, "--csv")),
        (
            "metrics in-process, no cache",
            lambda: from_tally(load_tally([path], use_cache=False)),
        ),
        ("c360 report (tables), file unchanged (cached)", cli(path, cache=cache)),
        ("c360 report --json, file unchanged (cached)", cli(path, "--json", cache=cache)),
        ("c360 report --csv, file unchanged (cached)", cli(path, "--csv", cache=cache)),
        ("metrics in-process, cached", lambda: from_tally(load_tally([path]))),
        (
            "python -m c360tui --help (start-up alone)",
            lambda: subprocess.run(
                [sys.executable, "-m", "c360tui", "--help"], check=True, stdout=subprocess.DEVNULL
            ),
        ),
    ):
        best, median, cpu = timed(work, args.runs)
        print(
            f"{label:<50} wall best {best:6.2f} s  median {median:6.2f} s  | cpu {cpu:6.2f} s",
            flush=True,
        )
    with open_reader(path) as reader:
        start = time.perf_counter()
        first = list(itertools.islice(reader.events(), 100_000))
        decoded = time.perf_counter() - start
    best, _, _ = timed(lambda: pure_metrics(first), 1)
    print(
        f"pure reference on the first 100,000 events: decode {decoded:.2f} s + metrics {best:.2f} s"
    )
    for suffix in ("", "-wal", "-shm"):
        Path(f"{live}{suffix}").unlink(missing_ok=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
