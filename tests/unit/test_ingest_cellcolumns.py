"""Coercing a column at a time gives exactly what coercing each cell on its own gives."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from c360tui.core.sources_spec import AttributeSpec
from c360tui.ingest.cellbatch import REFUSED
from c360tui.ingest.cellcolumns import MEMO_PROBE, Column
from c360tui.ingest.coerce import make_coercers, make_timestamp_parser
from c360tui.ingest.timestamps import Stamps

LATEST = datetime(2025, 6, 1, 12, 5, tzinfo=UTC)
SPECS = [
    AttributeSpec(type="string"),
    AttributeSpec(type="email"),
    AttributeSpec(type="phone"),
    AttributeSpec(type="int", min=0, max=100),
    AttributeSpec(type="float", min=-5, max=1e6),
    AttributeSpec(type="floats", min=0, max=1000),
    AttributeSpec(type="bool"),
    AttributeSpec(type="date"),
    AttributeSpec(type="datetime"),
    AttributeSpec(choices=["free", "Pro"]),
]
# Cells near the edges of what each type accepts, and text of any kind.
EDGES = [
    "", " ", "a@b.co", " A@B.CO ", "n/a", "x@y", "+1 212 555 0100", "1-800-FLOWERS", "12",
    "0", "42", "100", "101", "-1", " 7 ", "+3", "3.0", "1e2", "1_0", "٣", "nan", "inf", "1e999",
    "1.5", "-5.01", "1;2;3", "1;;2", "[1, 2]", "1;2000", " 3 ; 4 ", "true", "N", " yes ", "maybe",
    "2024-01-31", "2024-02-30", "20240131", "2024-01-01T00:00:00Z", "2024-01-01T05:00:00+05:00",
    "2024-01-01 00:00:00", "2024-13-01T00:00:00Z", "20240101T000000Z", "FREE", " pro ", "gold",
]  # fmt: skip
cells = st.lists(st.one_of(st.sampled_from(EDGES), st.text(max_size=8)), max_size=40)


def one_by_one(coerce: object, cell: str) -> object:
    if not cell or cell.isspace():
        return None
    try:
        return coerce(cell)  # type: ignore[operator]
    except ValueError:
        return REFUSED


def typed(values: object) -> list[tuple[str, str]]:
    return [(type(value).__name__, repr(value)) for value in values]  # type: ignore[attr-defined]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(SPECS), st.lists(cells, min_size=1, max_size=3))
def test_a_column_coerces_as_its_coercer(spec: AttributeSpec, batches: list[list[str]]) -> None:
    coercers = make_coercers(spec, region="US", fmt="%m/%d/%Y %H:%M", timezone="UTC")
    column = Column(spec, coercers)
    for batch in batches:
        values, refused = column.texts(batch)
        expected = [one_by_one(coercers.text, cell) for cell in batch]
        assert typed(values) == typed(expected)
        assert refused == [index for index, value in enumerate(expected) if value is REFUSED]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(SPECS), st.data())
def test_a_column_without_its_memo_coerces_the_same(
    spec: AttributeSpec, data: st.DataObject
) -> None:
    coercers = make_coercers(spec, region="US")
    column = Column(spec, coercers)
    column.memo = None  # as after MEMO_PROBE mostly distinct cells
    # mostly cells the coercer accepts, so the fast passes are the ones that answer
    accepted = [cell for cell in EDGES if one_by_one(coercers.text, cell) is not REFUSED]
    batch = data.draw(
        st.lists(st.one_of(st.sampled_from(accepted), cells.map("".join)), max_size=30)
    )
    values, refused = column.texts(batch)
    expected = [one_by_one(coercers.text, cell) for cell in batch]
    assert typed(values) == typed(expected)
    assert refused == [index for index, value in enumerate(expected) if value is REFUSED]
    assert MEMO_PROBE > 0


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from([("iso", None), ("epoch", None), ("%m/%d/%Y %H:%M", "America/New_York")]),
    st.lists(
        st.one_of(
            st.sampled_from(
                ["2025-06-01T12:04:00Z", "2025-06-01T12:06:00Z", "2024-01-01T00:00:00",
                 "1700000000", "1e20", "nan", "01/02/2024 10:30", "12/31/2099 23:59",
                 "1/2/2024 9:05", "02/30/2024 10:00", " 2024-03-03T03:03:03+01:00 ", ""]
            ),
            st.text(max_size=6),
        ),
        max_size=30,
    ),
)  # fmt: skip
def test_stamps_read_as_the_parser(form: tuple[str, str | None], batch: list[str]) -> None:
    fmt, zone = form
    parse = make_timestamp_parser(fmt, zone)

    def expected(cell: str) -> object:
        moment = one_by_one(parse, cell)
        return (
            REFUSED if moment is not None and moment is not REFUSED and moment > LATEST else moment
        )

    moments, refused = Stamps(fmt, zone, LATEST).texts(batch)
    want = [expected(cell) for cell in batch]
    assert typed(moments) == typed(want)
    assert refused == [index for index, value in enumerate(want) if value is REFUSED]


def test_each_accepted_cell_in_a_batch_of_its_own_coerces_the_same() -> None:
    # a batch of one kind of cell is what the fast passes answer alone
    for spec in SPECS:
        coercers = make_coercers(spec, region="US")
        for cell in EDGES:
            column = Column(spec, coercers)
            column.memo = None
            batch = [cell, cell, " ", cell]
            values, _ = column.texts(batch)
            assert typed(values) == typed([one_by_one(coercers.text, c) for c in batch]), cell
