"""Ingest of the bundled sample data checked against its ground truth."""

from __future__ import annotations

import csv
import json
import shutil
from collections import defaultdict
from datetime import datetime
from itertools import combinations
from pathlib import Path

import pytest

from c360tui.core.records import RecordKey
from c360tui.ingest.pipeline import ingest
from c360tui.ingest.summary import IngestSummary
from c360tui.store import Store, open_store

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
TRUTH = SAMPLE / "ground_truth"
# Words the quarantine reason must contain for each kind of deliberately bad row.
REASON_WORDS = {
    "naive_timestamp": "no timezone",
    "future_timestamp": "in the future",
    "out_of_range": "the minimum",
    "missing_id": "record id",
    "malformed_json": "not valid JSON",
    "not_a_number": "number",
    "undecodable": "UTF-8",
    "nul_byte": "NUL",
    "too_long": "limit",
    "duplicate_id": "appears again",
}

pytestmark = pytest.mark.skipif(not TRUTH.is_dir(), reason="sample data not generated yet")


def as_of() -> datetime:
    manifest = json.loads((SAMPLE / "manifest.json").read_text())
    return datetime.fromisoformat(manifest["as_of"])


def truth_rows(name: str) -> list[dict[str, str]]:
    with (TRUTH / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def run(db: Path, data: Path = SAMPLE) -> tuple[IngestSummary, Store]:
    store = open_store(db)
    return ingest([data], store, now=as_of(), specs_dir=ROOT / "specs"), store


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[IngestSummary, Path]:
    db = tmp_path_factory.mktemp("sample") / "c360.db"
    summary, store = run(db)
    store.close()
    return summary, db


def test_every_row_is_accepted_or_quarantined(first_run: tuple[IngestSummary, Path]) -> None:
    summary, _ = first_run
    expected_rows = len(truth_rows("records.csv")) + len(truth_rows("quarantine.csv"))
    assert summary.read == expected_rows
    assert summary.read == summary.accepted + summary.quarantined
    assert summary.accepted == len(truth_rows("records.csv")) == summary.new


def test_quarantine_holds_exactly_the_deliberately_bad_rows(
    first_run: tuple[IngestSummary, Path],
) -> None:
    _, db = first_run
    with open_store(db, create=False) as store:
        found = {(row.feed, row.file, row.line): row.reason for row in store.quarantine()}
    expected = truth_rows("quarantine.csv")
    assert set(found) == {(row["feed"], row["file"], int(row["line"])) for row in expected}
    for row in expected:
        reason = found[(row["feed"], row["file"], int(row["line"]))]
        assert REASON_WORDS.get(row["reason_kind"], "") in reason, (row, reason)


def test_resolution_makes_no_wrong_merge_and_finds_most_links(
    first_run: tuple[IngestSummary, Path],
) -> None:
    _, db = first_run
    with open_store(db, create=False) as store:
        assignment = store.previous_assignment()
    truth = {
        RecordKey(row["feed"], row["record_id"]): row["true_customer"]
        for row in truth_rows("records.csv")
    }
    assert set(assignment) == set(truth)
    wrong = [
        customer
        for customer, members in _groups(assignment).items()
        if len({truth[key] for key in members}) > 1
    ]
    assert wrong == [], f"{len(wrong)} customers mix different people"
    true_pairs = sum(1 for members in _groups(truth).values() for _ in combinations(members, 2))
    found_pairs = sum(
        1
        for members in _groups(truth).values()
        for left, right in combinations(members, 2)
        if assignment[left] == assignment[right]
    )
    assert found_pairs / true_pairs >= 0.95


def test_second_ingest_adds_nothing_and_keeps_every_customer_id(
    first_run: tuple[IngestSummary, Path], tmp_path: Path
) -> None:
    summary, db = first_run
    copy = tmp_path / "again.db"
    shutil.copy(db, copy)
    with open_store(copy, create=False) as store:
        before = store.previous_assignment()
        quarantined = store.count("quarantine")
    again, store = run(copy)
    with store:
        assert again.new == 0
        assert again.read == summary.read and again.quarantined == summary.quarantined
        assert store.previous_assignment() == before
        assert store.count("quarantine") == quarantined
        assert again.customers == summary.customers


def _groups(mapping: dict[RecordKey, str]) -> dict[str, list[RecordKey]]:
    groups: dict[str, list[RecordKey]] = defaultdict(list)
    for key, group in mapping.items():
        groups[group].append(key)
    return groups
