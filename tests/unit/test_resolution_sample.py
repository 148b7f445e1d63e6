"""The bundled sample data resolves to its ground truth: no wrong merge, recall at least 0.95."""

from __future__ import annotations

import csv
import tomllib
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from c360tui.core.identity_spec import parse_identity_spec
from c360tui.core.normalize import normalize_phone
from c360tui.core.records import SourceRecord
from c360tui.core.resolution import Resolution, resolve
from c360tui.core.sources_spec import SourcesSpec

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
TRUTH = SAMPLE / "ground_truth" / "records.csv"
AS_OF = datetime(2026, 11, 30, 15, tzinfo=UTC)

Outcome = tuple[Resolution, dict[str, str], list[SourceRecord]]
pytestmark = pytest.mark.skipif(not TRUTH.is_file(), reason="sample ground truth not present")


@pytest.fixture(scope="module")
def outcome() -> tuple[Resolution, dict[str, str], list[SourceRecord]]:
    from c360tui.ingest.readers import read_feed

    sources = SourcesSpec.model_validate(
        tomllib.loads((ROOT / "specs" / "sources.toml").read_text())
    )
    spec = parse_identity_spec((ROOT / "specs" / "identity.toml").read_text(encoding="utf-8"))
    records: list[SourceRecord] = []
    for feed in sources.feeds:
        for item in read_feed(feed, SAMPLE / feed.file, sources, AS_OF):
            if isinstance(item, SourceRecord):
                records.append(item)
    with TRUTH.open(newline="", encoding="utf-8") as handle:
        truth = {
            f"{r['feed']}:{r['record_id']}": r["true_customer"] for r in csv.DictReader(handle)
        }
    return resolve(records, spec, region=sources.default_region), truth, records


def test_no_customer_mixes_two_true_people(outcome: Outcome) -> None:
    result, truth, _ = outcome
    for customer_id, keys in result.clusters.items():
        people = {truth[str(k)] for k in keys if str(k) in truth}
        assert len(people) <= 1, f"{customer_id} merges {sorted(people)}"


def test_pairwise_recall_is_at_least_95_percent(outcome: Outcome) -> None:
    result, truth, _ = outcome
    predicted = {str(k): v for k, v in result.assignment.items()}
    common = [r for r in truth if r in predicted]
    together = Counter((predicted[r], truth[r]) for r in common)
    true_sizes = Counter(truth[r] for r in common)
    found = sum(n * (n - 1) // 2 for n in together.values())
    wanted = sum(n * (n - 1) // 2 for n in true_sizes.values())
    assert wanted > 0
    assert found / wanted >= 0.95


def test_switchboard_numbers_link_nobody(outcome: Outcome) -> None:
    result, truth, records = outcome
    shared = result.stats.shared_values.get("phone", [])
    assert len(shared) >= 6
    # every number flagged as shared really is used by several true people
    holders: dict[str, set[str]] = {}
    for record in records:
        raw = record.attributes.get("phone")
        number = normalize_phone(raw, "US") if isinstance(raw, str) else None
        if number in shared and str(record.key) in truth:
            holders.setdefault(number, set()).add(truth[str(record.key)])
    assert all(len(holders[number]) > 2 for number in shared)
