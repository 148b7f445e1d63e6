"""Write a whole sample: chunks in order (in parallel when asked), manifest, README, truth.

Files stream chunk by chunk, so memory stays bounded by a few chunks whatever the size.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import multiprocessing
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from c360tui.errors import C360Error
from c360tui.sample.chunk import CHUNK_SIZE, ChunkResult, ChunkTask, run_chunk
from c360tui.sample.layout import COLUMNS, FEEDS, FILES
from c360tui.sample.readme import render_readme

DEFAULT_AS_OF = "2026-11-30T15:00:00Z"
TRUTH_HEADERS: dict[str, tuple[str, ...]] = {
    "ground_truth/records.csv": ("feed", "record_id", "true_customer"),
    "ground_truth/values.csv": ("true_customer", "attribute", "right_value", "expect", "trap"),
    "ground_truth/people.csv": (
        "true_customer", "first_name", "last_name", "email", "phone", "company",
        "company_domain", "country", "paying", "crm_role", "churn_risk", "same_name_as",
    ),
}  # fmt: skip
QUARANTINE_FILE = "ground_truth/quarantine.csv"
QUARANTINE_HEADER = ("feed", "file", "line", "reason_kind", "record_id", "true_customer")


@dataclass(frozen=True, slots=True)
class SampleOptions:
    """What to generate: how many people, from which seed, anchored at which time."""

    customers: int
    seed: int
    out: Path
    as_of: datetime
    bad_rows: bool = True
    truth: bool = True
    jobs: int = 1
    chunk_size: int = CHUNK_SIZE


@dataclass(frozen=True, slots=True)
class SampleSummary:
    """What was written: rows per file, companies, trap counts and the bad rows' places."""

    files: dict[str, int]
    companies: int
    traps: dict[str, int]
    quarantine: list[tuple[str, int, str, str, str]]


def parse_as_of(text: str) -> datetime:
    """An ISO 8601 instant with an offset; naive times are refused (freshness would drift)."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError as error:
        raise C360Error(
            f"--as-of {text!r} is not an ISO 8601 time such as {DEFAULT_AS_OF}."
        ) from error
    if value.tzinfo is None:
        raise C360Error(f"--as-of {text!r} has no time zone; add Z or an offset like +00:00.")
    return value.astimezone(UTC)


def _tasks(options: SampleOptions) -> Iterator[ChunkTask]:
    start, index = 0, 0
    while start < options.customers:
        count = min(options.chunk_size, options.customers - start)
        yield ChunkTask(
            options.seed, index, start, count, options.customers, options.as_of,
            options.bad_rows, options.truth, options.chunk_size,
        )  # fmt: skip
        start += count
        index += 1


def _results(options: SampleOptions) -> Iterator[ChunkResult]:
    tasks = list(_tasks(options))
    if options.jobs <= 1 or len(tasks) <= 1:
        yield from map(run_chunk, tasks)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with context.Pool(options.jobs) as pool:
        yield from pool.imap(run_chunk, tasks)


class _Out:
    """One output file: its handle, running hash and row count."""

    def __init__(self, path: Path, header: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.handle: BinaryIO = path.open("wb")
        self.hash = hashlib.sha256()
        self.rows = 0
        if header:
            self.write(header)

    def write(self, text: str) -> None:
        data = text.encode("utf-8")
        self.handle.write(data)
        self.hash.update(data)


def _csv_line(cells: tuple[str, ...]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue()


def generate(
    options: SampleOptions, progress: Callable[[int], None] | None = None
) -> SampleSummary:
    """Write the sample into `options.out`; `progress` is called with people done per chunk."""
    if options.customers < 1:
        raise C360Error("--customers must be at least 1.")
    out_dir = options.out
    if out_dir.exists() and not out_dir.is_dir():
        raise C360Error(f"{out_dir} exists and is not a directory; choose another --out.")
    out_dir.mkdir(parents=True, exist_ok=True)
    outs: dict[str, _Out] = {}
    for feed in FEEDS:
        header = "" if feed == "marketing_contacts" else _csv_line(COLUMNS[feed])
        outs[FILES[feed]] = _Out(out_dir / FILES[feed], header)
    if options.truth:
        for name, header_cells in TRUTH_HEADERS.items():
            outs[name] = _Out(out_dir / name, _csv_line(header_cells))
    stats: Counter[str] = Counter()
    companies = 0
    quarantine: list[tuple[str, int, str, str, str]] = []
    try:
        for result in _results(options):
            for name, text in result.texts.items():
                outs[name].write(text)
                outs[name].rows += result.rows[name]
            stats.update(result.stats)
            companies += result.companies
            quarantine.extend(result.quarantine)
            if progress is not None:
                progress(
                    min(options.chunk_size, options.customers - result.index * options.chunk_size)
                )
    finally:
        for out in outs.values():
            out.handle.close()
    if options.truth:
        q = _Out(out_dir / QUARANTINE_FILE, _csv_line(QUARANTINE_HEADER))
        for feed, line, kind, record_id, key in quarantine:
            q.write(
                _csv_line((feed, FILES[feed], str(line), kind, record_id, key.removeprefix("BAD:")))
            )
        q.rows = len(quarantine)
        q.handle.close()
        outs[QUARANTINE_FILE] = q
    files = {name: out.rows for name, out in outs.items()}
    manifest = {
        "generator": "c360 sample",
        "format": 1,
        "as_of": options.as_of.isoformat().replace("+00:00", "Z"),
        "seed": options.seed,
        "customers": options.customers,
        "companies": companies,
        "bad_rows": len(quarantine),
        "files": [
            {"path": name, "rows": out.rows, "sha256": out.hash.hexdigest()}
            for name, out in outs.items()
        ],
        "traps": dict(sorted(stats.items())),
    }  # fmt: skip
    (out_dir / "manifest.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    )
    summary = SampleSummary(files, companies, dict(sorted(stats.items())), quarantine)
    (out_dir / "README.md").write_text(render_readme(options, summary), encoding="utf-8")
    return summary
