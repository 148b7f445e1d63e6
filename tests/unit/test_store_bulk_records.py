"""An empty store fed by the readers takes records directly, with the same outcome as checking.

`ids_unique_per_file` skips the per-record check against the other records; repeats, conflicts
across files and a second call must still come out exactly as the checked path has them.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from c360tui.core.records import SourceRecord
from c360tui.store import open_store
from c360tui.store.source_writer import AddResult, add_records

T1 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
Item = tuple[SourceRecord, str, int]


def record(feed: str, rid: str, email: str) -> SourceRecord:
    return SourceRecord("crm", feed, rid, T1, {"email": email, "arr": 10.5})


def stored(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT id, feed, record_id, system, updated_at, attributes, content_hash, batch_id, "
        "file, line FROM source_record ORDER BY id"
    ).fetchall()
    conn.close()
    return rows


def outcome(result: AddResult) -> tuple[object, ...]:
    conflicts = [(c.record, c.file, c.line, c.reason) for c in result.conflicts]
    return result.new, result.duplicates, conflicts


def both_ways(tmp_path: Path, calls: list[list[Item]]) -> tuple[object, ...]:
    """Run the same calls checked and direct; assert equal outcomes and rows, return them."""
    results = []
    for direct in (False, True):
        db = tmp_path / f"direct_{direct}.db"
        with open_store(db) as store:
            outcomes = [
                outcome(add_records(store.conn, call, 3, ids_unique_per_file=direct))
                for call in calls
            ]
        results.append((outcomes, stored(db)))
    assert results[1] == results[0]
    return results[0]


def test_exact_repeats_within_a_file_are_stored_once(tmp_path: Path) -> None:
    items = [
        (record("crm_contacts", str(n % 5), f"{n % 5}@x.example"), "a.csv", n) for n in range(12)
    ]
    (outcomes, rows) = both_ways(tmp_path, [items])
    assert outcomes == [(5, 7, [])]
    assert [row[-1] for row in rows] == [0, 1, 2, 3, 4]


def test_a_feed_in_a_second_file_is_checked_from_there_on(tmp_path: Path) -> None:
    first = [(record("crm_contacts", str(n), f"{n}@x.example"), "a.csv", n) for n in range(30)]
    other_feed = [(record("crm_leads", "1", "lead@x.example"), "leads.csv", 2)]
    second = [
        (record("crm_contacts", "3", "3@x.example"), "b.csv", 5),  # the same again
        (record("crm_contacts", "4", "changed@x.example"), "b.csv", 6),  # a conflict
        (record("crm_contacts", "99", "99@x.example"), "b.csv", 7),
    ]
    (outcomes, rows) = both_ways(tmp_path, [first + other_feed + second])
    new, duplicates, conflicts = outcomes[0]
    assert (new, duplicates, len(conflicts)) == (32, 1, 1)
    assert "a.csv line 4" in conflicts[0][3]
    assert len(rows) == 32


def test_a_second_call_into_a_filled_store_is_checked(tmp_path: Path) -> None:
    call = [(record("crm_contacts", str(n), f"{n}@x.example"), "a.csv", n) for n in range(4)]
    changed = [(record("crm_contacts", "2", "new@x.example"), "a.csv", 9)]
    (outcomes, _rows) = both_ways(tmp_path, [call, call, changed])
    assert [o[:2] for o in outcomes] == [(4, 0), (0, 4), (0, 0)]
    assert len(outcomes[2][2]) == 1


@pytest.mark.parametrize("size", [1, 2, 3])
def test_chunk_edges_do_not_change_the_outcome(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    from c360tui.store import source_writer

    monkeypatch.setattr(source_writer, "CHUNK", size)
    items = [
        (record("crm_contacts", str(n % 3), f"{n % 3}@x.example"), "a.csv", n) for n in range(7)
    ]
    items.append((record("crm_contacts", "1", "1@x.example"), "b.csv", 1))
    items.append((record("crm_contacts", "2", "other@x.example"), "b.csv", 2))
    (outcomes, rows) = both_ways(tmp_path, [items])
    assert outcomes[0][:2] == (3, 5)
    assert len(outcomes[0][2]) == 1
    assert len(rows) == 3
