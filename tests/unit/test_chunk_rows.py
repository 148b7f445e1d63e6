"""Ingest's fused reconcile-and-encode writes exactly what the reference path writes.

The reference is `core.reconcile.reconcile` on the records as ingest read them, then
`store.writer.encode_customers`; the fused path (ingest/chunk_rows.py) goes from the stored rows
straight to the encoded rows. Generated customers cover agreeing, reformatted and conflicting
values, junk emails and phones, team inboxes, account mates, missing timestamps, repeated record
ids, attributes a feed no longer maps and support-ticket collections.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from c360tui import specs_io
from c360tui.core.customer import FieldEvidence, HeldMerge, MergeEvidence
from c360tui.core.reconcile import reconcile
from c360tui.core.records import AttrValue, RecordKey, SourceRecord
from c360tui.ingest import parallel
from c360tui.ingest.chunk_rows import ChunkEncoder, CustomerTask, Row
from c360tui.ingest.pipeline import ingest
from c360tui.settings import sample_data_dir
from c360tui.store import codec, open_store
from c360tui.store.writer import EncodedCustomers, encode_customers

SPECS = Path(__file__).resolve().parents[2] / "specs"
SOURCES = specs_io.load_sources(SPECS)
REGION = SOURCES.default_region
FEED_ORDER = {f.name: tuple(dict.fromkeys(f.columns.values())) for f in SOURCES.feeds}
FEED_SYSTEM = {f.name: f.system for f in SOURCES.feeds}
# A feed no spec names (a store written with an older spec): its attributes keep stored order.
FEED_SYSTEM["legacy_contacts"] = "crm"


def _as_read(row: Row) -> SourceRecord:
    """A stored row as ingest read it: attributes in its feed's column order, then any the feed
    does not map in stored order (what the reference decoder gave reconcile)."""
    _, system, feed, record_id, updated, text = row
    stored: dict[str, AttrValue] = codec.load_json(text)
    attributes = {n: stored[n] for n in FEED_ORDER.get(feed, ()) if n in stored}
    attributes.update(stored)
    return SourceRecord(system, feed, record_id, codec.load_time(updated), attributes)


def reference_rows(
    customers: list[CustomerTask], rows: list[Row], first_seq: int
) -> EncodedCustomers:
    records = {row[0]: _as_read(row) for row in rows}
    resolved = []
    for customer_id, own, mates, merges, held in customers:
        customer = reconcile(
            customer_id, [records[i] for i in own], SOURCES, [records[i] for i in mates]
        )
        customer.merges = [
            MergeEvidence(RecordKey(lf, lid), RecordKey(rf, rid), rule, fields)
            for lf, lid, rf, rid, rule, fields in merges
        ]
        customer.held = held
        resolved.append(customer)
    return encode_customers(resolved, first_seq, REGION)


def fused_rows(customers: list[CustomerTask], rows: list[Row], first_seq: int) -> EncodedCustomers:
    return ChunkEncoder(SOURCES, REGION).encode(customers, rows, first_seq)


# ------------------------------------------------------------------ generated customers

_MOMENTS = [datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=d) for d in (0, 0, 10, 31, 45, 400)]
_MOMENTS.append(datetime(2026, 1, 1, 0, 0, 0, 250_000, tzinfo=UTC))

_POOLS: dict[str, list[AttrValue]] = {
    "email": ["ann@acme.com", "Ann@Acme.com", " ann@acme.com ", "<ann@acme.com>",
              "billing@acme.com", "Billing@Acme.com", "<billing@acme.com>", "bob@acme.com",
              "n/a", "test@test.com", "noreply@acme.com"],
    "phone": ["+14155550100", "(415) 555-0100", "415.555.0100", "+1 415 555 0100",
              "415  555 0100", "+442079460018", "+44 20 7946 0018", "555", "n/a",
              "000-000-0000", "(415) 555-0199 ext 12", "415\n555 0100"],
    "company": ["Acme Inc", "ACME, Inc.", "acme", "Globex LLC", "Globex"],
    "company_domain": ["acme.com", "https://www.acme.com/", "globex.com"],
    "first_name": ["José", "Jose", "Ann", "Anne"],
    "last_name": ["Lane", "lane", "O'Neil"],
    "crm_id": ["AC-1", "ac 1", "AC-2"],
    "billing_account_id": ["B-1", "b1", "B-2"],
    "do_not_contact": [True, False],
    "seats_used": [1, 2, True, 2.0],
    "arr": [1000.0, 2500.5],
    "weekly_usage": [[1.0, 2.0], [1.0], [1.0, 2.0]],
    "renewal_date": ["2026-01-01", "2027-01-01"],
    "last_touch_at": [m.isoformat() for m in _MOMENTS[:4]],
    "last_login_at": [m.isoformat() for m in _MOMENTS[2:]],
    "ticket_csat": [1, 5],
    "ticket_escalated": [True, False],
}  # fmt: skip
_TEXT = ["a", "A", "b", " b ", "Growth", "growth"]


# The values one chunk's records pick from: a few per attribute, so records often agree,
# disagree only in formatting, or clash.
_Palette = dict[str, list[AttrValue]]


def _palette() -> st.SearchStrategy[_Palette]:
    names = [n for n in SOURCES.attributes if n not in _POOLS] + ["zz_retired"]
    pools = {**_POOLS, **dict.fromkeys(names, _TEXT)}
    return st.fixed_dictionaries(
        {
            name: st.lists(st.sampled_from(pool), min_size=1, max_size=3)
            for name, pool in pools.items()
        }
    )


def _time_text(moment: datetime | None, style: int) -> str | None:
    """How a store may hold a time: isoformat, or other spellings older writers used."""
    if moment is None:
        return None
    text = moment.isoformat()
    if style == 1:
        return text.replace("+00:00", "Z")
    if style == 2 and not moment.microsecond:
        return text.replace("+00:00", ".000000+00:00")
    if style == 3:
        return moment.astimezone(UTC).replace(tzinfo=None).isoformat() + "+02:00"
    return text


@st.composite
def _row(draw: st.DrawFn, rowid: int, palette: _Palette) -> Row:
    feed = draw(st.sampled_from(sorted(FEED_SYSTEM)))
    names = list(FEED_ORDER.get(feed, ("email", "phone", "first_name", "plan", "arr")))
    chosen = draw(st.lists(st.sampled_from(names), max_size=8, unique=True))
    if draw(st.integers(0, 9)) == 0:  # an attribute the feed no longer maps
        chosen.append(draw(st.sampled_from(["arr", "ticket_subject", "title", "zz_retired"])))
    attributes = {name: draw(st.sampled_from(palette[name])) for name in chosen}
    moment = draw(st.one_of(st.none(), st.sampled_from(_MOMENTS)))
    updated = _time_text(moment, draw(st.integers(0, 3)))
    record_id = draw(st.sampled_from(["r1", "r2", "r3", "r10"]))
    return (rowid, FEED_SYSTEM[feed], feed, record_id, updated, codec.dump_sorted(attributes))


@st.composite
def _chunk(draw: st.DrawFn) -> tuple[list[CustomerTask], list[Row], int]:
    count = draw(st.integers(1, 4))
    total = draw(st.integers(count, 14))
    palette = draw(_palette())
    rows = [draw(_row(rowid, palette)) for rowid in range(1, total + 1)]
    ids = list(range(1, total + 1))
    owners = [i % count for i in range(total)]  # every customer owns at least one record
    owners[count:] = [draw(st.integers(0, count - 1)) for _ in owners[count:]]
    keys = {row[0]: (row[2], row[3]) for row in rows}
    rules = ["email_exact", "phone_exact", "crm_id"]
    evidence = [
        (FieldEvidence("email", "exact", 1.0),),
        (FieldEvidence("email", "exact", 1.0), FieldEvidence("last_name", "jaro", 0.93)),
    ]
    customers: list[CustomerTask] = []
    for c in range(count):
        own = draw(st.permutations([i for i in ids if owners[i - 1] == c]))
        others = [i for i in ids if owners[i - 1] != c]
        mates = draw(st.lists(st.sampled_from(others), unique=True, max_size=3)) if others else []
        links = draw(st.lists(st.tuples(st.sampled_from(own), st.sampled_from(own)), max_size=3))
        merges = [
            (*keys[a], *keys[b], draw(st.sampled_from(rules)), draw(st.sampled_from(evidence)))
            for a, b in links
        ]
        held = [
            HeldMerge(RecordKey(*keys[a]), RecordKey(*keys[b]), "email_exact", "two accounts")
            for a, b in draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)),
                                      max_size=1))
        ]  # fmt: skip
        customers.append((f"C{c}", list(own), mates, merges, held))
    return customers, rows, draw(st.integers(1, 10_000))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_chunk())
def test_fused_rows_equal_the_reference_on_generated_customers(
    chunk: tuple[list[CustomerTask], list[Row], int],
) -> None:
    customers, rows, first_seq = chunk
    assert fused_rows(customers, rows, first_seq) == reference_rows(customers, rows, first_seq)


def test_fused_rows_equal_the_reference_on_the_sample_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[int] = []
    fused = parallel.reconcile_chunk

    def both(task: parallel.ChunkTask, *context: object) -> parallel.EncodedChunk:
        made = fused(task, *context)  # type: ignore[arg-type]
        assert made.rows == reference_rows(task.customers, task.rows, task.start + 1)
        checked.append(len(task.customers))
        return made

    monkeypatch.setattr(parallel, "reconcile_chunk", both)
    monkeypatch.setattr(parallel, "CHUNK", 50)
    manifest = codec.load_json((sample_data_dir() / "manifest.json").read_text())
    with open_store(tmp_path / "sample.db") as store:
        summary = ingest(
            [sample_data_dir()],
            store,
            now=datetime.fromisoformat(manifest["as_of"]),
            specs_dir=SPECS,
            workers=0,
        )
    assert sum(checked) == summary.customers > 100


def _one_customer(*records: tuple[str, str | None, dict[str, AttrValue]]) -> list[Row]:
    return [
        (i, FEED_SYSTEM[feed], feed, f"r{i}", updated, codec.dump_sorted(attributes))
        for i, (feed, updated, attributes) in enumerate(records, start=1)
    ]


_T0, _T1 = "2026-01-01T00:00:00+00:00", "2026-01-05T00:00:00+00:00"


@pytest.mark.parametrize(
    "rows",
    [
        # a team inbox written two ways: the spelling that is not a team inbox wins
        _one_customer(
            ("billing_accounts", _T1, {"email": "billing@acme.com"}),
            ("crm_contacts", _T0, {"email": "<billing@acme.com>"}),
        ),
        # one number, once unusable as written: the junk check sets it aside
        _one_customer(
            ("crm_contacts", _T1, {"phone": "415\n555 0100"}),
            ("billing_accounts", _T0, {"phone": "(415) 555-0100"}),
        ),
        # one value seen again later by another accepted system: the later sighting confirms it
        _one_customer(
            ("billing_accounts", _T0, {"company": "Acme Inc"}),
            ("crm_contacts", _T1, {"company": "ACME, Inc."}),
            ("support_tickets", None, {"company": "acme", "ticket_id": "t1"}),
        ),
    ],
    ids=["team-inbox", "junk-phone", "confirmed"],
)
def test_fused_rows_equal_the_reference_on_telling_customers(rows: list[Row]) -> None:
    customers: list[CustomerTask] = [("C1", [row[0] for row in rows], [], [], [])]
    assert fused_rows(customers, rows, 1) == reference_rows(customers, rows, 1)
