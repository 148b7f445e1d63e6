"""Files with and without the read indexes (made before them) count the same as the reference."""

from __future__ import annotations

import random
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from c360tui.metrics import fast_query, fast_views
from c360tui.metrics.loader import load_events, load_tally
from c360tui.metrics.script import merged, random_session, write_events
from c360tui.metrics.tally import Filter, tally_events
from c360tui.telemetry.reader import Recorded, open_reader
from c360tui.telemetry.schema import DDL, FILE_KIND, PAGE_SIZE, SCHEMA_VERSION


def made_before(path: Path) -> None:
    """An empty telemetry file as writers created them before the read indexes: 4 KB pages."""
    with sqlite3.connect(path, isolation_level=None) as conn:
        conn.execute("PRAGMA page_size = 4096")
        conn.execute("PRAGMA journal_mode = WAL")
        for statement in DDL:
            conn.execute(statement)
        conn.execute(
            "INSERT INTO meta VALUES ('kind', ?), ('schema_version', ?)",
            (FILE_KIND, str(SCHEMA_VERSION)),
        )
    conn.close()


def layout(path: Path) -> tuple[bool, int, type]:
    """Whether a file has the read indexes, its page size, and what counts its views."""
    with open_reader(path) as reader:
        conn = reader.connection
        (page_size,) = conn.execute("PRAGMA page_size").fetchone()
        counter = fast_views.counter(conn, fast_query.where(None, Filter(), 10**9))
        return fast_views.has_read_indexes(conn), page_size, counter


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[Recorded]]:
    rng = random.Random(4)
    events = merged(*[random_session(rng, n) for n in range(50)])
    directory = tmp_path_factory.mktemp("layouts")
    old, new = directory / "old.db", directory / "new.db"
    made_before(old)
    write_events(old, events)  # a writer appends to an old file and leaves its layout alone
    write_events(new, events)
    return old, new, events


def test_a_new_file_gets_the_read_indexes_and_an_old_one_keeps_its_layout(
    files: tuple[Path, Path, list[Recorded]],
) -> None:
    old, new, _ = files
    assert layout(new) == (True, PAGE_SIZE, fast_views.through_indexes)
    assert layout(old) == (False, 4096, fast_views.views_in_one)


@pytest.mark.parametrize(
    "only",
    [Filter(), Filter(role="support"), Filter(actor="agent"), Filter(rep="rep-2")],
    ids=["all", "support", "agent", "rep-2"],
)
def test_both_layouts_count_what_the_reference_counts(
    files: tuple[Path, Path, list[Recorded]], only: Filter
) -> None:
    old, new, events = files
    expected = tally_events(events, only)
    assert expected.presented and expected.opened and expected.shown
    assert load_tally([new], only=only, use_cache=False) == expected
    assert load_tally([old], only=only, use_cache=False) == expected


def test_both_layouts_agree_from_a_date_and_per_view(
    files: tuple[Path, Path, list[Recorded]],
) -> None:
    old, new, events = files
    since = date(2026, 11, 4)
    kept = [r for r in events if r.wall_time.date() >= since]
    only = Filter(view="sdr_call_now")
    for path in (old, new):
        assert load_tally([path], since=since, use_cache=False) == tally_events(kept)
        assert load_tally([path], only=only, use_cache=False) == tally_events(events, only)
        assert tally_events(load_events([path])) == tally_events(events)


def test_an_index_of_the_same_name_but_other_columns_is_not_trusted(tmp_path: Path) -> None:
    """A hand-made index under the name is not ours: the file is counted without the indexes."""
    path = tmp_path / "odd.db"
    made_before(path)
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE INDEX events_open ON events (customer_id)")
        conn.execute("CREATE INDEX events_shown ON events (view)")
    conn.close()
    rng = random.Random(9)
    events = merged(*[random_session(rng, n) for n in range(8)])
    write_events(path, events)
    assert layout(path)[0] is False
    assert load_tally([path], use_cache=False) == tally_events(events)
