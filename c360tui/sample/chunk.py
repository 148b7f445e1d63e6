"""One chunk of the sample: a slice of people generated from its own seed, as file text.

Chunks are independent (their own random stream, their own id and phone ranges), so they can
run in parallel and the output is the same whatever the number of workers.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from c360tui.sample import traps
from c360tui.sample.clock import DAY, Clock
from c360tui.sample.feeds import Feeds, Row
from c360tui.sample.layout import FEEDS, FILES
from c360tui.sample.model import Person, World
from c360tui.sample.rand import Rand

CHUNK_SIZE = 5_000
_JSON = json.JSONEncoder(ensure_ascii=False)
_NEEDS_QUOTES = re.compile('["\r\n]')
_NAMESAKE_AT_SWITCHBOARD = 0.3  # switchboard company: one person shares a colleague's name
_clocks: dict[int, Clock] = {}


@dataclass(frozen=True, slots=True)
class ChunkTask:
    """What a worker needs to build one chunk."""

    seed: int
    index: int
    first_person: int
    count: int
    total: int
    as_of: datetime
    bad_rows: bool
    truth: bool
    chunk_size: int = CHUNK_SIZE


@dataclass(slots=True)
class ChunkResult:
    """A chunk as text per output file, with row counts, trap counts and bad-row lines."""

    index: int
    texts: dict[str, str]
    rows: dict[str, int]
    stats: Counter[str]
    companies: int
    quarantine: list[tuple[str, int, str, str, str]] = field(default_factory=list)


def _clock(as_of: datetime) -> Clock:
    key = int(as_of.timestamp())
    if key not in _clocks:
        _clocks[key] = Clock(as_of)
    return _clocks[key]


def run_chunk(task: ChunkTask) -> ChunkResult:
    """Generate the people of one chunk and render every file's slice of text."""
    # The chunk's objects hold no cycles: collection passes over them would be pure overhead.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _run_chunk(task)
    finally:
        if was_enabled:
            gc.enable()


def _run_chunk(task: ChunkTask) -> ChunkResult:
    rng = Rand(f"c360-sample:{task.seed}:{task.index}")
    clock = _clock(task.as_of)
    world = World(rng)
    feeds = Feeds(rng, clock, task.index, 4 * task.chunk_size, 3 * task.total + 3)
    people_rows: list[list[str]] = []
    companies = 0
    person_index, end = task.first_person, task.first_person + task.count
    while person_index < end:
        showcase = task.index == 0 and companies == 0
        size = min(12 if showcase else world.size(), end - person_index)
        company = world.company(person_index, size, force_switchboard=showcase and size >= 6)
        companies += 1
        staff: list[Person] = []
        namesake = company.uses_switchboard and (
            showcase or rng.random() < _NAMESAKE_AT_SWITCHBOARD
        )
        for k in range(size):
            if k == 1 and namesake:
                person = world.namesake(person_index, company, staff[0])
            else:
                person = world.person(person_index, company, k)
            staff.append(person)
            person_index += 1
        if sum(p.on_switchboard for p in staff) > 5:
            feeds.stats["switchboard_numbers"] += 1
        for person in staff:
            feeds.person(person)
            if task.truth:
                people_rows.append(_person_row(person))
    rows = feeds.rows
    for feed in FEEDS:
        rng.shuffle(rows[feed])
    quarantine: list[tuple[str, int, str, str, str]] = []
    if task.bad_rows and task.index == 0:
        quarantine = _insert_bad_rows(feeds, clock, rng)
    return _render(task, feeds, people_rows, companies, quarantine)


def csv_line(cells: list[str]) -> str:
    """One CSV record as `csv.writer` writes it (minimal quoting), without its per-row cost.

    Most rows need no quoting at all; only those are joined directly, the rest go through csv.
    """
    line = ",".join(cells)
    if len(cells) > 1 and line.count(",") == len(cells) - 1 and not _NEEDS_QUOTES.search(line):
        return line + "\n"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue()


def _person_row(p: Person) -> list[str]:
    c = p.company
    return [
        p.key, p.first, p.last, p.email, p.phone.e164, c.legal_name, c.domain, c.country,
        "true" if c.paying else "false", "contact" if c.paying else "lead",
        "true" if c.churn_risk else "false", p.twin,
    ]  # fmt: skip


def _insert_bad_rows(feeds: Feeds, clock: Clock, rng: Rand) -> list[tuple[str, int, str, str, str]]:
    """Insert one deliberately bad copy of a real row per feed; return where each landed."""
    inserted: list[tuple[str, str, str, str]] = []
    for feed, kind in traps.BAD_ROWS:
        rows = feeds.rows[feed]
        if not rows:
            continue
        key, template = rows[0]
        bad: Row
        record_id = feeds.new_id(feed)
        if isinstance(template, dict):
            record = dict(template)
            record["id"] = record_id
            text = json.dumps(record, ensure_ascii=False)
            bad = text[: max(10, len(text) // 2)]
        else:
            assert isinstance(template, list)
            row = list(template)
            if kind == "naive_timestamp":
                row[15] = clock.iso_naive(clock.as_of - 3 * DAY)
            elif kind == "future_timestamp":
                row[11] = clock.new_york(clock.as_of + 400 * DAY)
            elif kind == "out_of_range":
                row[7] = "-" + row[7]
            elif kind == "missing_id":
                record_id = ""
            elif kind == "not_a_number":
                weeks = row[3].split(";")
                weeks[len(weeks) // 2] = "NaN"
                row[3] = ";".join(weeks)
            row[0] = record_id
            bad = row
        marker = f"BAD:{kind}"
        rows.insert(rng.randrange(0, len(rows) + 1), (marker, bad))
        inserted.append((feed, kind, record_id, key))
    result = []
    for feed, kind, record_id, key in inserted:
        rows = feeds.rows[feed]
        index = next(i for i, (k, _) in enumerate(rows) if k == f"BAD:{kind}")
        line = index + (1 if feed == "marketing_contacts" else 2)
        rows[index] = (f"BAD:{key}", rows[index][1])
        result.append((feed, line, kind, record_id, key))
    return result


def _render(
    task: ChunkTask,
    feeds: Feeds,
    people_rows: list[list[str]],
    companies: int,
    quarantine: list[tuple[str, int, str, str, str]],
) -> ChunkResult:
    texts: dict[str, str] = {}
    counts: dict[str, int] = {}
    records: list[str] = []
    for feed in FEEDS:
        rows = feeds.rows[feed]
        lines: list[str] = []
        for key, row in rows:
            if isinstance(row, str):
                lines.append(row + "\n")
                continue
            if isinstance(row, dict):
                lines.append(_JSON.encode(row) + "\n")
                record_id = str(row["id"])
            else:
                lines.append(csv_line(row))
                record_id = row[0]
            if task.truth and not key.startswith("BAD:"):
                records.append(f"{feed},{record_id},{key}\n")
        texts[FILES[feed]] = "".join(lines)
        counts[FILES[feed]] = len(rows)
    if task.truth:
        texts["ground_truth/records.csv"] = "".join(records)
        texts["ground_truth/values.csv"] = "".join(
            csv_line([key, attribute, value, expect, trap])
            for (key, attribute, trap), (value, expect) in feeds.values.items()
        )
        texts["ground_truth/people.csv"] = "".join(map(csv_line, people_rows))
        counts["ground_truth/values.csv"] = len(feeds.values)
        counts["ground_truth/people.csv"] = len(people_rows)
        counts["ground_truth/records.csv"] = sum(counts[FILES[f]] for f in FEEDS) - len(quarantine)
    return ChunkResult(task.index, texts, counts, feeds.stats, companies, quarantine)
