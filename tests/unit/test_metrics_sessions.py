"""The replay's sessions list over files being written: the newest sessions first, exactly the
start of the whole list, and the whole list cached per file, re-read only where it moved."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest

from c360tui.metrics import sessions as listing
from c360tui.metrics.loader import load_events
from c360tui.metrics.replay import sessions as reference
from c360tui.metrics.script import merged, random_session, write_events
from c360tui.telemetry.events import ScreenOpened
from c360tui.telemetry.reader import Recorded
from c360tui.telemetry.writer import TelemetryWriter


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("C360_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def full_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times a whole file was listed (each call appends the event id reached)."""
    calls: list[int] = []
    real = listing._fresh

    def spy(reader, since, upto):  # type: ignore[no-untyped-def]
        calls.append(upto)
        return real(reader, since, upto)

    monkeypatch.setattr(listing, "_fresh", spy)
    return calls


def recorded(seed: int, n: int, first: int = 0) -> list[Recorded]:
    """`n` random sessions, overlapping in time, one in five never ended."""
    rng = random.Random(seed)
    return merged(*[random_session(rng, number) for number in range(first, first + n)])


def newest_first(found: list) -> list:  # type: ignore[type-arg]
    return sorted(found, key=lambda s: (s.start, s.session_id), reverse=True)


@pytest.mark.parametrize("since", [None, date(2026, 11, 4)])
@pytest.mark.parametrize("want", [1, 3, 10, 100])
def test_the_first_page_is_exactly_the_start_of_the_whole_list(
    tmp_path: Path, since: date | None, want: int
) -> None:
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    write_events(a, recorded(11, 30))
    write_events(b, recorded(12, 20, first=30))
    everything = listing.every_session([a, b], since)
    assert everything == newest_first(reference(load_events([a, b], since=since)))
    page = listing.first_page([a, b], since, want)
    assert page == everything[: len(page)]
    if want == 100:
        assert page == everything  # every event read: nothing left to find


def test_the_list_between_writes_equals_a_full_read_and_reads_only_what_moved(
    tmp_path: Path, full_reads: list[int]
) -> None:
    path = tmp_path / "live.db"
    events = recorded(20261104, 40)
    walls, monos = iter([r.wall_time for r in events]), iter([r.mono_ns for r in events])
    written = 0
    with TelemetryWriter(path, wall=lambda: next(walls), monotonic_ns=lambda: next(monos)) as w:
        for cut in (1, len(events) // 5, len(events) // 2, len(events) * 4 // 5, len(events)):
            for r in events[written:cut]:  # sessions left half-written at each cut
                w.record(r.event)
            assert w.flush()
            written = cut
            listed = listing.every_session([path], None)
            assert listed == listing.every_session([path], None, use_cache=False)
            assert listed == newest_first(reference(load_events([path])))
    assert len(full_reads) == 1  # the first listing; every later one read only what moved


def test_an_event_after_a_session_ended_makes_the_whole_file_read_again(
    tmp_path: Path, full_reads: list[int]
) -> None:
    path = tmp_path / "rep.db"
    events = recorded(7, 12)
    write_events(path, events)
    listing.every_session([path], None)
    ended = next(r.event.ctx for r in events if r.type == "session_end")
    write_events(path, [Recorded(0, 0, events[-1].wall_time, 0, ScreenOpened(ended, "help"))])
    assert listing.every_session([path], None) == newest_first(reference(load_events([path])))
    assert len(full_reads) == 2


def test_a_damaged_entry_is_a_miss(tmp_path: Path, cache_dir: Path) -> None:
    path = tmp_path / "rep.db"
    write_events(path, recorded(3, 6))
    truth = listing.every_session([path], None)
    (file,) = cache_dir.glob("*.json")
    entry = listing.decode(file.read_bytes())
    assert listing.decode(listing.encode(entry)) == entry
    for damage in (b'{"upto": "no"}', b"[", file.read_bytes().replace(b'"rep-', b'7, "rep-')):
        file.write_bytes(damage)
        assert listing.every_session([path], None) == truth
