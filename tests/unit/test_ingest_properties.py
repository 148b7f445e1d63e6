"""Properties of reading: every row read is accepted or quarantined, never lost or doubled."""

from __future__ import annotations

import csv
import io
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import given, settings
from hypothesis import strategies as st

from c360tui.core.records import SourceRecord
from c360tui.core.sources_spec import SourcesSpec
from c360tui.ingest.quarantine import QuarantinedRow
from c360tui.ingest.readers import read_feed

NOW = datetime(2025, 6, 1, tzinfo=UTC)
SPEC = SourcesSpec.model_validate(
    tomllib.loads(
        """
[systems.crm]
priority = 1
[attributes.crm_id]
[attributes.email]
type = "email"
[attributes.seats]
type = "int"
max = 100
[attributes.dnc]
type = "bool"
[[feeds]]
name = "contacts"
system = "crm"
file = "contacts.csv"
record_id = "id"
required = ["id"]
updated_at = { column = "modified" }
[feeds.columns]
id = "crm_id"
email = "email"
seats = "seats"
dnc = "dnc"
"""
    )
)
HEADER = ["id", "email", "seats", "dnc", "modified"]

messy_text = st.one_of(
    st.sampled_from(["", " ", "null", "n/a", "a@b.co", "yes", "N", "42", "1e999", "NaN", "-3"]),
    st.sampled_from(["2025-01-01T00:00:00Z", "2025-01-01T00:00:00", "2099-01-01T00:00:00Z"]),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
)
messy_row = st.lists(messy_text, min_size=0, max_size=7)
ids = st.sampled_from(["c1", "c2", "c3", "", "c4"])


def write_csv(rows: list[tuple[str, list[str]]], quote_all: bool, terminator: str) -> bytes:
    out = io.StringIO()
    quoting = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    writer = csv.writer(out, lineterminator=terminator, quoting=quoting)
    writer.writerow(HEADER)
    for record_id, cells in rows:
        writer.writerow([record_id, *cells])
    return out.getvalue().encode()


def read(data: bytes) -> list[SourceRecord | QuarantinedRow]:
    with TemporaryDirectory() as tmp:
        path = Path(tmp) / "contacts.csv"
        path.write_bytes(data)
        return list(read_feed(SPEC.feed("contacts"), path, SPEC, NOW))


def is_blank(record_id: str, cells: list[str]) -> bool:
    """A written row that is one empty cell: a blank line, which is no row at all."""
    return not cells and not record_id.strip()


rows_strategy = st.lists(st.tuples(ids, messy_row), max_size=25)


@settings(max_examples=200, deadline=None)
@given(rows_strategy, st.sampled_from(["\n", "\r\n"]))
def test_rows_read_equal_accepted_plus_quarantined(
    rows: list[tuple[str, list[str]]], terminator: str
) -> None:
    # Quote every cell so a bare carriage return inside a value cannot split a row.
    items = read(write_csv(rows, True, terminator))
    accepted = [item for item in items if isinstance(item, SourceRecord)]
    quarantined = [item for item in items if isinstance(item, QuarantinedRow)]
    assert len(accepted) + len(quarantined) == sum(1 for r in rows if not is_blank(*r))
    # One id never yields two different accepted records in one file.
    by_id: dict[str, SourceRecord] = {}
    for record in accepted:
        assert by_id.setdefault(record.record_id, record) == record


@settings(max_examples=200, deadline=None)
@given(rows_strategy, st.integers(min_value=0), st.binary(min_size=1, max_size=4))
def test_garbage_bytes_never_crash_and_lines_stay_in_order(
    rows: list[tuple[str, list[str]]], where: int, junk: bytes
) -> None:
    data = write_csv(rows, False, "\n")
    header_end = data.index(b"\n") + 1
    cut = header_end + where % (len(data) - header_end + 1)
    items = read(data[:cut] + junk + data[cut:])
    lines = [item.line for item in items if isinstance(item, QuarantinedRow)]
    assert lines == sorted(set(lines)) and all(line >= 2 for line in lines)
    assert len(items) <= data.count(b"\n") + junk.count(b"\n") + 1
