"""Incremental counts: a file written to between counts is recounted only where it moved, and
every count equals a full recount and the pure reference, whatever was written in between."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

from c360tui.metrics import cache, incremental
from c360tui.metrics.loader import load_events, load_tally
from c360tui.metrics.script import merged, random_session, write_events
from c360tui.metrics.tally import Filter, tally_events
from c360tui.telemetry.events import ScreenOpened
from c360tui.telemetry.reader import Recorded
from c360tui.telemetry.writer import TelemetryWriter


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("C360_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def full_counts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the whole file was counted (each call appends the event id reached)."""
    calls: list[int] = []
    real = incremental._fresh

    def spy(reader, since, only, upto):  # type: ignore[no-untyped-def]
        calls.append(upto)
        return real(reader, since, only, upto)

    monkeypatch.setattr(incremental, "_fresh", spy)
    return calls


@contextmanager
def live_writer(path: Path, events: Sequence[Recorded]) -> Iterator[TelemetryWriter]:
    """One writer for the whole test, as one app writes its session: clocks from `events`."""
    walls = iter([r.wall_time for r in events])
    monos = iter([r.mono_ns for r in events])
    with TelemetryWriter(
        path, wall=lambda: next(walls), monotonic_ns=lambda: next(monos)
    ) as writer:
        yield writer


def sessions(seed: int, n: int) -> list[Recorded]:
    rng = random.Random(seed)
    return merged(*[random_session(rng, number) for number in range(n)])


@pytest.mark.parametrize("only", [Filter(), Filter(role="sdr"), Filter(actor="agent")])
def test_counts_between_writes_equal_a_recount_and_read_only_what_moved(
    tmp_path: Path, full_counts: list[int], only: Filter
) -> None:
    path = tmp_path / "live.db"
    events = sessions(20261104, 40)
    cuts = [1, len(events) // 5, len(events) // 2, len(events) * 4 // 5, len(events)]
    written = 0
    with live_writer(path, events) as writer:
        for cut in cuts:
            for recorded in events[written:cut]:  # sessions left half-written at each cut
                writer.record(recorded.event)
            assert writer.flush()
            written = cut
            counted = load_tally([path], only=only)
            assert counted == load_tally([path], only=only, use_cache=False)
            assert counted == tally_events(load_events([path]), only)
    assert len(full_counts) == 1  # the first count; every later one read only what moved
    assert load_tally([path], only=only) == tally_events(events, only)


def test_an_event_after_a_session_ended_makes_the_whole_file_count_again(
    tmp_path: Path, full_counts: list[int]
) -> None:
    path = tmp_path / "rep.db"
    events = sessions(7, 12)
    write_events(path, events)
    load_tally([path])
    ended = next(r.event.ctx for r in events if r.type == "session_end")
    write_events(path, [Recorded(0, 0, events[-1].wall_time, 0, ScreenOpened(ended, "help"))])
    assert load_tally([path]) == tally_events(load_events([path]))
    assert len(full_counts) == 2


def test_another_file_copied_into_the_same_place_is_counted_afresh(
    tmp_path: Path, full_counts: list[int]
) -> None:
    path, other = tmp_path / "rep.db", tmp_path / "other.db"
    write_events(path, sessions(1, 10))
    write_events(other, sessions(2, 14))
    inode = path.stat().st_ino
    load_tally([path])
    path.write_bytes(other.read_bytes())  # same inode, other content
    assert path.stat().st_ino == inode
    assert load_tally([path]) == tally_events(load_events([other]))
    assert len(full_counts) == 2


def test_a_planted_entry_is_what_a_hit_returns_and_a_damaged_one_is_a_miss(
    tmp_path: Path, cache_dir: Path
) -> None:
    path = tmp_path / "rep.db"
    write_events(path, sessions(3, 6))
    truth = load_tally([path])
    (file,) = cache_dir.glob("*.json")
    entry = cache.decode(file.read_bytes())
    entry.ended.sections[("sdr_call_now", "planted")] = 7
    file.write_bytes(cache.encode(entry))
    assert load_tally([path]).sections[("sdr_call_now", "planted")] == 7
    file.write_bytes(b'{"upto": "no"}')
    assert load_tally([path]) == truth
