"""Row validation: every bad-row kind is quarantined with a reason naming field and line."""

from __future__ import annotations

import json
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from c360tui.core.records import SourceRecord
from c360tui.core.sources_spec import SourcesSpec
from c360tui.ingest.quarantine import QuarantinedRow
from c360tui.ingest.readers import MAX_FIELD_CHARS, read_feed

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)

SPEC = """
default_region = "US"
[systems.crm]
priority = 30
[systems.mkt]
priority = 10
[attributes.crm_id]
[attributes.email]
type = "email"
[attributes.phone]
type = "phone"
[attributes.first_name]
[attributes.seats]
type = "int"
min = 0
max = 1000
[attributes.arr]
type = "float"
min = 0
[attributes.dnc]
type = "bool"
[attributes.dob]
type = "date"
[attributes.seen_at]
type = "datetime"
[attributes.usage]
type = "floats"
min = 0
[attributes.status]
choices = ["new", "working"]

[[feeds]]
name = "contacts"
system = "crm"
file = "contacts.csv"
record_id = "id"
required = ["id", "modified"]
updated_at = { column = "modified", format = "iso" }
[feeds.columns]
id = "crm_id"
email = "email"
phone = "phone"
first = "first_name"
seats = "seats"
arr = "arr"
dnc = "dnc"
dob = "dob"
seen = "seen_at"
usage = "usage"
status = "status"

[[feeds]]
name = "events"
system = "mkt"
file = "events.jsonl"
format = "jsonl"
record_id = "id"
required = ["id"]
updated_at = { column = "ts", format = "epoch" }
[feeds.columns]
email = "email"
seats = "seats"
usage = "usage"
dnc = "dnc"
"""

HEADER = "id,email,phone,first,seats,arr,dnc,dob,seen,usage,status,modified\n"
GOOD = "c1,ann@example.com,+1 415 555 0100,Ann,5,12.5,yes,1980-02-03,2025-01-01T00:00:00Z,1;2;3,new,2025-05-01T10:00:00+00:00\n"  # noqa: E501


@pytest.fixture
def spec() -> SourcesSpec:
    return SourcesSpec.model_validate(tomllib.loads(SPEC))


def read(spec: SourcesSpec, path: Path) -> list[SourceRecord | QuarantinedRow]:
    return list(read_feed(spec.feed(path.stem), path, spec, NOW))


def csv_file(tmp_path: Path, *rows: str | bytes) -> Path:
    path = tmp_path / "contacts.csv"
    data = HEADER.encode() + b"".join(r if isinstance(r, bytes) else r.encode() for r in rows)
    path.write_bytes(data)
    return path


def with_cell(column: str, value: str, row: str = GOOD) -> str:
    names = HEADER.strip().split(",")
    cells = row.rstrip("\n").split(",")
    cells[names.index(column)] = value
    return ",".join(cells) + "\n"


def only_quarantined(items: list[SourceRecord | QuarantinedRow]) -> QuarantinedRow:
    bad = [item for item in items if isinstance(item, QuarantinedRow)]
    assert len(bad) == 1, items
    return bad[0]


def test_a_good_row_becomes_a_typed_record(spec: SourcesSpec, tmp_path: Path) -> None:
    [record] = read(spec, csv_file(tmp_path, GOOD))
    assert isinstance(record, SourceRecord)
    assert record.record_id == "c1"
    assert record.updated_at == datetime(2025, 5, 1, 10, tzinfo=UTC)
    assert record.attributes == {
        "crm_id": "c1",
        "email": "ann@example.com",
        "phone": "+1 415 555 0100",
        "first_name": "Ann",
        "seats": 5,
        "arr": 12.5,
        "dnc": True,
        "dob": "1980-02-03",
        "seen_at": "2025-01-01T00:00:00+00:00",
        "usage": [1.0, 2.0, 3.0],
        "status": "new",
    }


def test_empty_cells_are_absent_and_junk_identifiers_are_kept(
    spec: SourcesSpec, tmp_path: Path
) -> None:
    row = with_cell("phone", "", with_cell("arr", "", with_cell("email", "N/A")))
    [record] = read(spec, csv_file(tmp_path, row))
    assert isinstance(record, SourceRecord)
    assert "phone" not in record.attributes and "arr" not in record.attributes
    assert record.attributes["email"] == "N/A"


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("seats", "many", "not a number"),
        ("seats", "2.5", "not a whole number"),
        ("seats", "1001", "above the maximum"),
        ("seats", "-1", "below the minimum"),
        ("arr", "NaN", "not a finite number"),
        ("arr", "inf", "not a finite number"),
        ("arr", "12.5.1", "not a number"),
        ("dnc", "maybe", "not yes/no"),
        ("dob", "03/02/1980", "not a date"),
        ("seen", "yesterday", "not an ISO 8601 timestamp"),
        ("email", "ann.example.com", "not an email address"),
        ("phone", "call me", "not a phone number"),
        ("usage", "1;two;3", "not a number"),
        ("usage", "[1;-2]", "not a JSON array"),
        ("usage", "1;-2", "below the minimum"),
        ("status", "closed-won", "not one of new, working"),
        ("modified", "2025-05-01T10:00:00", "no timezone"),
        ("modified", "2031-01-01T00:00:00Z", "in the future"),
        ("seen", "2025-01-01T00:00:00", "no timezone"),
    ],
)
def test_unparseable_values_quarantine_the_row_naming_field_and_line(
    spec: SourcesSpec, tmp_path: Path, column: str, value: str, words: str
) -> None:
    items = read(spec, csv_file(tmp_path, GOOD.replace("c1", "c0"), with_cell(column, value)))
    bad = only_quarantined(items)
    assert bad.line == 3
    assert f"'{column}'" in bad.reason and words in bad.reason
    assert bad.feed == "contacts" and bad.file == "contacts.csv"
    assert bad.raw == with_cell(column, value).rstrip("\n")


def test_yes_no_variants_are_booleans(spec: SourcesSpec, tmp_path: Path) -> None:
    values = ["yes", "No", "TRUE", "false", "1", "0", "Y", "n"]
    rows = [with_cell("dnc", v, with_cell("id", f"c{i}")) for i, v in enumerate(values)]
    records = read(spec, csv_file(tmp_path, *rows))
    assert [r.attributes["dnc"] for r in records if isinstance(r, SourceRecord)] == [
        True, False, True, False, True, False, True, False,
    ]  # fmt: skip


def test_missing_record_id_names_the_id_column(spec: SourcesSpec, tmp_path: Path) -> None:
    bad = only_quarantined(read(spec, csv_file(tmp_path, with_cell("id", "  "))))
    assert "'id'" in bad.reason and "record id" in bad.reason and bad.line == 2


def test_undecodable_bytes_keep_the_raw_row_with_replacement(
    spec: SourcesSpec, tmp_path: Path
) -> None:
    row = with_cell("first", "Zo\x00e").replace("\x00", "\udcff").encode("utf-8", "surrogateescape")
    items = read(spec, csv_file(tmp_path, GOOD.replace("c1", "c0"), row))
    bad = only_quarantined(items)
    assert bad.line == 3 and "'first'" in bad.reason and "UTF-8" in bad.reason
    assert "Zo\ufffde" in bad.raw


def test_nul_byte_is_quarantined(spec: SourcesSpec, tmp_path: Path) -> None:
    bad = only_quarantined(read(spec, csv_file(tmp_path, with_cell("first", "A\x00nn"))))
    assert "'first'" in bad.reason and "NUL" in bad.reason and bad.line == 2


def test_field_over_the_limit_is_one_quarantined_row(spec: SourcesSpec, tmp_path: Path) -> None:
    huge = "x" * (MAX_FIELD_CHARS + 1)
    items = read(spec, csv_file(tmp_path, with_cell("first", f'"{huge}"'), with_cell("id", "c2")))
    bad = only_quarantined(items)
    assert "'first'" in bad.reason and "100,000" in bad.reason and bad.line == 2
    assert len(bad.raw) < 5_000
    assert [r.record_id for r in items if isinstance(r, SourceRecord)] == ["c2"]


def test_wrong_number_of_columns(spec: SourcesSpec, tmp_path: Path) -> None:
    bad = only_quarantined(read(spec, csv_file(tmp_path, "c1,ann@example.com\n")))
    assert "2 fields" in bad.reason and "12 columns" in bad.reason and bad.line == 2


def test_line_numbers_are_physical_across_quoted_newlines(
    spec: SourcesSpec, tmp_path: Path
) -> None:
    multi = with_cell("first", '"Ann\nMarie"')
    bad_seats = with_cell("seats", "x", GOOD.replace("c1", "c2"))
    items = read(spec, csv_file(tmp_path, multi, "\n", bad_seats))
    assert isinstance(items[0], SourceRecord) and items[0].attributes["first_name"] == "Ann\nMarie"
    bad = only_quarantined(items)
    assert bad.line == 5  # header 1, multi-line row 2-3, blank 4


def test_same_id_with_different_content_quarantines_the_duplicate(
    spec: SourcesSpec, tmp_path: Path
) -> None:
    items = read(spec, csv_file(tmp_path, GOOD, GOOD, with_cell("first", "Anne")))
    kinds = [type(item).__name__ for item in items]
    assert kinds == ["SourceRecord", "SourceRecord", "QuarantinedRow"]
    bad = items[2]
    assert isinstance(bad, QuarantinedRow)
    assert bad.line == 4 and "'id'" in bad.reason and "line 2" in bad.reason


def jsonl_file(tmp_path: Path, *lines: str | bytes) -> Path:
    path = tmp_path / "events.jsonl"
    path.write_bytes(b"".join(x if isinstance(x, bytes) else x.encode() + b"\n" for x in lines))
    return path


def test_jsonl_rows(spec: SourcesSpec, tmp_path: Path) -> None:
    good = json.dumps(
        {"id": 7, "ts": 1_700_000_000, "email": "a@b.co", "usage": [1, 2], "dnc": True}
    )
    items = read(
        spec,
        jsonl_file(
            tmp_path,
            good,
            '{"id": "x", "ts": 1700000000',
            "[1, 2]",
            json.dumps({"ts": 1_700_000_000}),
            json.dumps({"id": "y", "ts": 4_000_000_000}),
            json.dumps({"id": "z", "seats": "lots"}),
            json.dumps({"id": "n", "email": "a\u0000@b.co"}),
            b'{"id": "u", "email": "\xff@b.co"}\n',
            json.dumps({"id": "w", "seats": {"a": 1}}),
        ),
    )
    record = items[0]
    assert isinstance(record, SourceRecord)
    assert record.record_id == "7"
    assert record.updated_at == datetime.fromtimestamp(1_700_000_000, UTC)
    assert record.attributes == {"email": "a@b.co", "usage": [1.0, 2.0], "dnc": True}
    reasons = {item.line: item.reason for item in items if isinstance(item, QuarantinedRow)}
    assert "not valid JSON" in reasons[2]
    assert "not an object" in reasons[3]
    assert "'id'" in reasons[4] and "record id" in reasons[4]
    assert "'ts'" in reasons[5] and "future" in reasons[5]
    assert "'seats'" in reasons[6]
    assert "'email'" in reasons[7] and "NUL" in reasons[7]
    assert "'email'" in reasons[8] and "UTF-8" in reasons[8]
    assert "'seats'" in reasons[9] and "dict" in reasons[9]
    assert len(items) == 9


def test_a_pattern_timestamp_gets_the_feed_zone_and_dst() -> None:
    from c360tui.ingest.coerce import make_timestamp_parser

    parse = make_timestamp_parser("%m/%d/%Y %H:%M", "America/New_York")
    assert parse("07/04/2025 12:00") == datetime(2025, 7, 4, 16, tzinfo=UTC)
    assert parse("1/15/2025 9:05") == datetime(2025, 1, 15, 14, 5, tzinfo=UTC)
    for bad in ("13/45/2025 09:15", "2025-07-04 12:00", "07/04/2025"):
        with pytest.raises(ValueError, match="not a timestamp in the form"):
            parse(bad)
