"""values.csv says what reconciliation should make of each trap; check it against the real thing.

Each true customer's accepted rows are reconciled with the spec's rules; every ground-truth value
must come out as its `expect` column says (winner with the right value, conflicted, unverified).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest

from c360tui.core.normalize import normalize_company, normalize_email, normalize_phone
from c360tui.core.reconcile import reconcile
from c360tui.core.records import SourceRecord
from c360tui.ingest.readers import read_feed_lines
from c360tui.sample import DEFAULT_AS_OF, SampleOptions, generate, parse_as_of
from c360tui.specs_io import load_sources

SPECS = Path(__file__).resolve().parents[2] / "specs"
NOW = datetime(2026, 11, 30, 15, tzinfo=UTC)


def _same(attribute: str, shown: object, right: str) -> bool:
    if attribute == "phone":
        return normalize_phone(str(shown), "US") == right
    if attribute == "email":
        return normalize_email(str(shown)) == right
    if attribute == "company":
        return normalize_company(str(shown)) == normalize_company(right)
    if isinstance(shown, bool):
        return str(shown).lower() == right
    return str(shown) == right


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    generate(SampleOptions(customers=500, seed=13, out=out, as_of=parse_as_of(DEFAULT_AS_OF)))
    return out


def test_every_ground_truth_value_reconciles_as_expected(sample: Path) -> None:
    sources = load_sources(SPECS)
    with (sample / "ground_truth" / "records.csv").open() as handle:
        truth = {(r["feed"], r["record_id"]): r["true_customer"] for r in csv.DictReader(handle)}
    rows: dict[str, list[SourceRecord]] = defaultdict(list)
    for feed in sources.feeds:
        for _, item in read_feed_lines(feed, sample / feed.file, sources, NOW):
            if isinstance(item, SourceRecord):
                rows[truth[(item.feed, item.record_id)]].append(item)
    with (sample / "ground_truth" / "values.csv").open() as handle:
        values = list(csv.DictReader(handle))
    assert values
    customers = {}
    wrong = []
    for value in values:
        key = value["true_customer"]
        if key not in customers:
            customers[key] = reconcile(key, rows[key], sources)
        attribute = customers[key].attributes.get(value["attribute"])
        status = attribute.status if attribute else "missing"
        expect = value["expect"]
        if expect == "winner":
            good = status == "resolved" and _same(
                value["attribute"], attribute.value if attribute else None, value["right_value"]
            )
        else:
            good = status == {"conflicted": "conflicted", "unverified": "unverified"}.get(
                expect, "missing"
            )
        if not good:
            wrong.append((value["trap"], key, value["attribute"], expect, status))
    assert wrong == []
