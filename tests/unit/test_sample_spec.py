"""The generated feeds match specs/sources.toml: file names, columns, required columns, formats."""

from __future__ import annotations

import csv
import json
import math
import tomllib
from datetime import datetime
from pathlib import Path

import pytest

from c360tui.core.sources_spec import FeedSpec, SourcesSpec
from c360tui.sample import DEFAULT_AS_OF, SampleOptions, generate, parse_as_of

SPECS = Path(__file__).resolve().parents[2] / "specs" / "sources.toml"
AS_OF = parse_as_of(DEFAULT_AS_OF)


@pytest.fixture(scope="module")
def spec() -> SourcesSpec:
    return SourcesSpec.model_validate(tomllib.loads(SPECS.read_text()))


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("sample")
    generate(SampleOptions(customers=600, seed=3, out=target, as_of=AS_OF))
    return target


def _bad_lines(out: Path) -> dict[str, set[int]]:
    bad: dict[str, set[int]] = {}
    with (out / "ground_truth" / "quarantine.csv").open() as handle:
        for row in csv.DictReader(handle):
            bad.setdefault(row["file"], set()).add(int(row["line"]))
    return bad


def _rows(out: Path, feed: FeedSpec) -> list[dict[str, object]]:
    """Every good row of a feed (quarantined lines left out) as column -> value."""
    skip = _bad_lines(out).get(feed.file, set())
    path = out / feed.file
    if feed.format == "jsonl":
        lines = path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for n, line in enumerate(lines, 1) if n not in skip]
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return [dict(row) for row in reader if reader.line_num not in skip]


def _columns(out: Path, feed: FeedSpec) -> set[str]:
    if feed.format == "jsonl":
        return {key for row in _rows(out, feed) for key in row}
    with (out / feed.file).open(encoding="utf-8", newline="") as handle:
        return set(next(csv.reader(handle)))


def test_every_feed_file_is_written(spec: SourcesSpec, out: Path) -> None:
    for feed in spec.feeds:
        assert (out / feed.file).is_file(), feed.file
        assert _rows(out, feed), f"{feed.file} has no rows"


def test_every_written_column_is_mapped_and_every_required_column_present(
    spec: SourcesSpec, out: Path
) -> None:
    for feed in spec.feeds:
        known = set(feed.columns) | {feed.record_id}
        if feed.updated_at:
            known.add(feed.updated_at.column)
        written = _columns(out, feed)
        assert written - known == set(), f"{feed.file} writes unmapped columns"
        assert set(feed.required) <= written, f"{feed.file} lacks a required column"
        assert set(feed.columns) <= written, f"{feed.file} leaves a mapped column out"


def test_required_cells_are_filled_on_good_rows(spec: SourcesSpec, out: Path) -> None:
    for feed in spec.feeds:
        for row in _rows(out, feed):
            for column in feed.required:
                assert row.get(column) not in (None, ""), (feed.file, column, row)


def test_timestamps_have_the_format_each_feed_declares(spec: SourcesSpec, out: Path) -> None:
    for feed in spec.feeds:
        if feed.updated_at is None:
            continue
        for row in _rows(out, feed):
            value = row[feed.updated_at.column]
            if feed.updated_at.format == "iso":
                parsed = datetime.fromisoformat(str(value))
                assert parsed.tzinfo is not None, (feed.file, value)
                assert parsed <= AS_OF
            elif feed.updated_at.format == "epoch":
                assert isinstance(value, int) and value <= AS_OF.timestamp()
            else:
                datetime.strptime(str(value), feed.updated_at.format)


def test_crm_contact_times_carry_offsets_and_lead_times_do_not(
    spec: SourcesSpec, out: Path
) -> None:
    contacts = _rows(out, spec.feed("crm_contacts"))
    assert any(str(r["last_modified"]).endswith("-05:00") for r in contacts)
    leads = _rows(out, spec.feed("crm_leads"))
    assert all("+" not in str(r["Last Modified"]) for r in leads)


def test_typed_cells_parse_as_their_attribute_type(spec: SourcesSpec, out: Path) -> None:
    usage = _rows(out, spec.feed("product_usage"))
    for row in usage:
        weeks = [float(x) for x in str(row["weekly_active_minutes"]).split(";")]
        assert len(weeks) == 8 and all(math.isfinite(w) and w >= 0 for w in weeks)
    for row in _rows(out, spec.feed("billing_accounts")):
        assert float(str(row["arr"])) >= 0
        assert row["plan"] in (spec.attributes["plan"].choices or [])
        assert row["payment_status"] in (spec.attributes["payment_status"].choices or [])
    for row in _rows(out, spec.feed("marketing_contacts")):
        assert all(not isinstance(v, list | dict) for v in row.values())
        assert 0 <= int(row["intent_score"]) <= 100  # type: ignore[call-overload]
    statuses = set(spec.attributes["lead_status"].choices or [])
    assert {str(r["Status"]) for r in _rows(out, spec.feed("crm_leads"))} <= statuses
    assert {str(r["status"]) for r in _rows(out, spec.feed("crm_contacts"))} == {"customer"}
    tickets = _rows(out, spec.feed("support_tickets"))
    assert {str(r["severity"]) for r in tickets} == {"sev1", "sev2", "sev3", "sev4"}
    assert {str(r["status"]) for r in tickets} == {"open", "pending", "solved", "closed"}
