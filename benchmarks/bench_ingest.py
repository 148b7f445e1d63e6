"""Benchmark: the full `c360 ingest` of N customers' exports into a fresh store.

    python -m benchmarks.bench_ingest                    # 1,000,000 customers (≤ 60 s, ≤ 2 GiB)
    python -m benchmarks.bench_ingest --customers 100000 # a quicker run
    python -m benchmarks.bench_ingest --customers 20000 --profile  # plus the top functions

The exports are generated once with `c360 sample --customers N --seed 1` into
benchmarks/data/sample_<N> and reused. The ingest runs in a child process so its peak memory
(ru_maxrss) is its own; wall time is reported per phase. The process tree's heap and mapped
file pages are also sampled apart (benchmarks/memory_sampler.py), since a worker maps the spools
it reads. `--record` appends the result to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.memory_sampler import TreeSampler

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
GOAL_SECONDS = 60.0
GOAL_BYTES = 2 * 1024**3
# Phases in the order they run; "read" and "store" are the two halves of "read+store", and
# "reconcile" and "write" of "reconcile+write".
PHASES = (
    ("validate", "check every file's header"),
    ("read", "read + validate rows (ingest)"),
    ("store", "store source records (store)"),
    ("quarantine", "store quarantined rows (store)"),
    ("load", "load records back (store)"),
    ("resolve", "identity resolution (core)"),
    ("accounts", "group clusters, find account mates (core)"),
    ("reconcile", "reconcile + encode customers (workers)"),
    ("write", "write customers + search index (store)"),
)


def label(customers: int) -> str:
    if customers % 1_000_000 == 0:
        return f"{customers // 1_000_000}m"
    if customers % 1_000 == 0:
        return f"{customers // 1_000}k"
    return str(customers)


def ensure_sample(customers: int, seed: int) -> Path:
    """The cached exports for this size, generated on first use."""
    out = DATA / f"sample_{label(customers)}"
    if (out / "manifest.json").is_file():
        return out
    print(f"generating {customers:,} customers into {out} (once)...", flush=True)
    subprocess.run(
        [sys.executable, "-m", "c360tui", "sample", "--customers", str(customers),
         "--seed", str(seed), "--out", str(out)],
        check=True,
    )  # fmt: skip
    return out


def child(data: Path, db: Path, profile: bool, cap_gib: float, workers: int | None) -> None:
    """Run one ingest and print its summary, timings and own peak memory as JSON.

    The address space is capped at `cap_gib` so a run that needs far more memory than the goal
    fails with MemoryError instead of starving the other jobs on the machine.
    """
    if cap_gib > 0:
        cap = int(cap_gib * 1024**3)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    from c360tui.ingest.pipeline import ingest
    from c360tui.store import open_store

    manifest = json.loads((data / "manifest.json").read_text())
    now = datetime.fromisoformat(manifest["as_of"])
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    # Peak memory so far, read when each phase reports for the first time: the growth between
    # two readings belongs to the phase in between.
    peaks: dict[str, int] = {}
    start = time.perf_counter()

    def progress(phase: str, done: int, total: int | None) -> None:
        if phase not in peaks:
            peaks[phase] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            print(
                f"[bench] {phase} began at {time.perf_counter() - start:.0f}s wall, "
                f"{time.process_time():.0f}s CPU, peak so far {peaks[phase] / 1024**2:.2f} GiB",
                file=sys.stderr,
                flush=True,
            )

    with open_store(db) as store:
        summary = ingest(
            [data], store, now=now, specs_dir=ROOT / "specs", progress=progress, workers=workers
        )
    wall = time.perf_counter() - start
    if profiler is not None:
        import pstats

        profiler.disable()
        stats = pstats.Stats(profiler, stream=sys.stderr)
        stats.sort_stats("tottime").print_stats(25)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    # The worker processes are the fork server's children, not ours, so their CPU seconds come
    # from the phases that report them (read, reconcile, write) and their peak from the
    # largest one's own report.
    phase_cpu = sum(summary.cpu_timings.get(key, 0.0) for key, _ in PHASES)
    print(
        json.dumps(
            {
                "wall": wall,
                "cpu": max(usage.ru_utime + usage.ru_stime, phase_cpu),
                "maxrss_kib": usage.ru_maxrss,
                "worker_maxrss_kib": summary.worker_peak_kib,
                "peaks_kib": peaks,
                "timings": summary.timings,
                "cpu_timings": summary.cpu_timings,
                "read": summary.read,
                "accepted": summary.accepted,
                "quarantined": summary.quarantined,
                "new": summary.new,
                "customers": summary.customers,
                "merges": summary.merges,
                "held": summary.held,
                "conflicts": summary.conflicts,
            }
        )
    )


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores ({cpu}) · Python {platform.python_version()} · "
        f"SQLite {sqlite3.sqlite_version}"
    )


def report(customers: int, result: dict[str, object], load: tuple[float, float]) -> str:
    timings = result["timings"]
    assert isinstance(timings, dict)
    wall = float(result["wall"])  # type: ignore[arg-type]
    peak = int(result["maxrss_kib"]) * 1024  # type: ignore[call-overload]
    cpu = float(result["cpu"])  # type: ignore[arg-type]
    worker_peak = int(result.get("worker_maxrss_kib") or 0) * 1024  # type: ignore[call-overload]
    lines = [
        f"## Ingest of {customers:,} customers (`python -m benchmarks.bench_ingest "
        f"--customers {customers}`)",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {machine()} · load average "
        f"{load[0]:.1f} before, {load[1]:.1f} after (the machine is shared).",
        "",
        f"{result['read']:,} rows read, {result['accepted']:,} accepted, "
        f"{result['quarantined']:,} quarantined; {result['customers']:,} customers, "
        f"{result['merges']:,} merges, {result['held']:,} held, {result['conflicts']:,} "
        "conflicted attributes.",
        "",
        "| phase | wall s | share | CPU s | CPU share |",
        "|---|---:|---:|---:|---:|",
    ]
    cpu_timings = dict(result.get("cpu_timings") or {})  # type: ignore[call-overload]
    cpu_total = sum(float(cpu_timings.get(key, 0.0)) for key, _ in PHASES) or 1.0
    for key, what in PHASES:
        seconds = float(timings.get(key, 0.0))
        cpu_s = float(cpu_timings.get(key, 0.0))
        lines.append(
            f"| {what} | {seconds:.1f} | {seconds / wall:.0%} | {cpu_s:.1f} | "
            f"{cpu_s / cpu_total:.0%} |"
        )
    # The goals are for 1,000,000 customers; a smaller run is judged on a linear extrapolation.
    scale = 1_000_000 / customers
    wall_ok = "met" if wall * scale <= GOAL_SECONDS else "NOT met"
    peak_ok = "met" if peak * scale <= GOAL_BYTES else "NOT met"
    if scale != 1:
        wall_ok += f" (×{scale:g} → ~{wall * scale:,.0f} s, ~{cpu * scale:,.0f} CPU s)"
        peak_ok += f" (×{scale:g} → ~{peak * scale / 1024**3:.1f} GiB)"
    lines += [
        f"| **total** | **{wall:.1f}** | goal ≤ {GOAL_SECONDS:.0f} s: {wall_ok} | "
        f"**{cpu:.1f}** | |",
        "",
        f"CPU time {cpu:.1f} s (the ingest process and its workers) over {wall:.1f} s wall; "
        "phase CPU counts the workers' share. Peak memory (ru_maxrss of the ingest process) "
        f"**{peak / 1024**3:.2f} GiB** (goal ≤ 2 GiB: {peak_ok}); the largest worker process's "
        f"{worker_peak / 1024**3:.2f} GiB (ru_maxrss counts pages shared copy-on-write and the "
        "spool pages a worker maps; see the sampled figures). Peak so "
        "far when each phase began: "
        + ", ".join(
            f"{phase} {int(kib) / 1024**2:.2f} GiB"
            for phase, kib in dict(result.get("peaks_kib") or {}).items()  # type: ignore[call-overload]
        )
        + ".",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", action="store_true", help="print the top functions")
    parser.add_argument("--record", action="store_true", help="append to benchmarks/RESULTS.md")
    parser.add_argument(
        "--memory-cap",
        type=float,
        default=8.0,
        help="GiB of address space the ingest may use before it fails (0: no cap)",
    )
    parser.add_argument(
        "--workers", type=int, default=None, help="reconcile processes (0: none; default: auto)"
    )
    parser.add_argument("--child", nargs=2, metavar=("DATA", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), Path(args.child[1]), args.profile, args.memory_cap, args.workers)
        return
    data = ensure_sample(args.customers, args.seed)
    db = DATA / f"ingest_{label(args.customers)}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    load_before = os.getloadavg()[0]
    command = [sys.executable, "-m", "benchmarks.bench_ingest", "--child", str(data), str(db)]
    command += ["--memory-cap", str(args.memory_cap)]
    if args.profile:
        command.append("--profile")
    if args.workers is not None:
        command += ["--workers", str(args.workers)]
    started = time.perf_counter()
    child_process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    with TreeSampler(child_process.pid) as sampler:
        stdout, _ = child_process.communicate()
    if child_process.returncode != 0:
        print(
            f"The ingest of {args.customers:,} customers failed after "
            f"{time.perf_counter() - started:.0f}s (exit {child_process.returncode}); its last "
            "phase and memory are in the [bench] lines above."
        )
        sys.exit(1)
    result = json.loads(stdout.strip().splitlines()[-1])
    text = report(args.customers, result, (load_before, os.getloadavg()[0]))
    if sampled := sampler.summary():
        text += sampled + "\n"
    print(text)
    if args.record:
        with (ROOT / "benchmarks" / "RESULTS.md").open("a", encoding="utf-8") as handle:
            handle.write("\n" + text)


if __name__ == "__main__":
    main()
