"""The SQL tally of a file agrees with the pure reference, with and without filters."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest

from c360tui.metrics.compute import metrics
from c360tui.metrics.loader import load_events, load_tally
from c360tui.metrics.script import merged, random_session, write_events
from c360tui.metrics.tally import Filter, tally_events
from c360tui.telemetry.reader import open_reader


@pytest.fixture(scope="module")
def fixture_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], list]:
    rng = random.Random(20261102)
    sessions = [random_session(rng, n) for n in range(60)]
    directory = tmp_path_factory.mktemp("telemetry")
    paths = [directory / "rep-a.db", directory / "rep-b.db"]
    write_events(paths[0], merged(*sessions[:30]))
    write_events(paths[1], merged(*sessions[30:]))
    return paths, merged(*sessions)


@pytest.mark.parametrize(
    "only",
    [
        Filter(),
        Filter(role="sdr"),
        Filter(role="support"),
        Filter(actor="agent"),
        Filter(rep="rep-2"),
    ],
    ids=["all", "sdr", "support", "agent", "rep-2"],
)
def test_sql_tally_of_files_equals_the_pure_tally_of_their_events(
    fixture_files: tuple[list[Path], list], only: Filter
) -> None:
    paths, events = fixture_files
    expected = tally_events(events, only)
    assert expected.actions and expected.presented  # the fixture exercises every count
    assert load_tally(paths, only=only, use_cache=False) == expected
    assert tally_events(load_events(paths), only) == expected


def test_since_keeps_events_from_that_utc_midnight_in_both_paths(
    fixture_files: tuple[list[Path], list],
) -> None:
    paths, events = fixture_files
    since = date(2026, 11, 4)
    kept = [r for r in events if r.wall_time.date() >= since]
    assert 0 < len(kept) < len(events)
    assert load_tally(paths, since=since, use_cache=False) == tally_events(kept)
    assert metrics(load_events(paths, since=since)) == metrics(kept)


def test_reading_for_metrics_leaves_the_files_byte_for_byte_unchanged(
    fixture_files: tuple[list[Path], list],
) -> None:
    paths, _ = fixture_files
    before = [p.read_bytes() for p in paths]
    load_tally(paths)
    load_events(paths)
    assert [p.read_bytes() for p in paths] == before
    with open_reader(paths[0]) as reader:
        assert reader.connection.execute("PRAGMA query_only").fetchone() == (1,)


def test_action_payloads_in_another_key_order_are_counted_as_the_reference_reads_them(
    tmp_path: Path,
) -> None:
    """The SQL path parses an action's text before "deciding" alone only when that is safe."""
    import json
    import shutil
    import sqlite3

    rng = random.Random(5)
    path = tmp_path / "rep.db"
    write_events(path, merged(*[random_session(rng, n) for n in range(12)]))
    edited = tmp_path / "edited.db"
    shutil.copyfile(path, edited)
    with sqlite3.connect(edited) as conn:
        rows = conn.execute("SELECT id, payload FROM events WHERE type = 'action_taken'").fetchall()
        assert len(rows) >= 6
        for number, (row_id, payload) in enumerate(rows):
            data = json.loads(payload)
            deciding = data.pop("deciding")
            if number % 3 == 0:  # the list first: nothing before it to split on
                data = {"deciding": deciding, **data}
            elif number % 3 == 1:  # the action's fields after the list
                head = {"customer_id": data.pop("customer_id")}
                data = {**head, "deciding": deciding, **data}
            else:  # a wrong action before the list, the real one after it (the last counts)
                before = json.dumps({**data, "action": "planted"}, separators=(",", ":"))
                after = json.dumps({"action": data["action"]}, separators=(",", ":"))
                listed = json.dumps(deciding, separators=(",", ":"))
                text = f'{before[:-1]},"deciding":{listed},{after[1:]}'
                conn.execute("UPDATE events SET payload = ? WHERE id = ?", (text, row_id))
                continue
            text = json.dumps(data, separators=(",", ":"))
            conn.execute("UPDATE events SET payload = ? WHERE id = ?", (text, row_id))
    expected = tally_events(load_events([edited]))
    assert expected == tally_events(load_events([path]))  # the same events, reordered keys
    assert load_tally([edited], use_cache=False) == expected
