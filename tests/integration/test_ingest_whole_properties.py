"""Whole-ingest properties on generated messy exports: balanced counts, idempotent re-ingest."""

from __future__ import annotations

import csv
import io
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from c360tui.core.identity_spec import IdentitySpec
from c360tui.core.sources_spec import SourcesSpec
from c360tui.ingest.pipeline import ingest
from c360tui.store import open_store

SPECS = Path(__file__).resolve().parents[2] / "specs"
SOURCES = SourcesSpec.model_validate(tomllib.loads((SPECS / "sources.toml").read_text()))
IDENTITY = IdentitySpec.model_validate(tomllib.loads((SPECS / "identity.toml").read_text()))
NOW = datetime(2025, 6, 1, tzinfo=UTC)
HEADER = ["contact_id", "first_name", "last_name", "email", "phone", "status", "last_modified"]

cell = st.one_of(
    st.sampled_from(["", "null", "n/a", "Ann", "Bob", "Lee", "working", "closed", "yes"]),
    st.sampled_from(["ann@x.co", "ANN@X.CO", "bob@y.co", "(415) 555-0100", "4155550100", "x"]),
    st.sampled_from(["2025-01-01T00:00:00Z", "2025-01-01T00:00:00", "2031-01-01T00:00:00Z"]),
    st.text(max_size=8),
)
row = st.tuples(st.sampled_from(["c1", "c2", "c3", "c4", ""]), st.lists(cell, max_size=7))


def write(rows: list[tuple[str, list[str]]], junk: bytes) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(HEADER)
    for record_id, cells in rows:
        writer.writerow([record_id, *cells])
    return out.getvalue().encode() + junk


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(row, max_size=12), st.binary(max_size=6))
def test_ingest_balances_and_a_second_ingest_changes_nothing(
    rows: list[tuple[str, list[str]]], junk: bytes
) -> None:
    with TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "crm_contacts.csv").write_bytes(write(rows, junk))
        db = folder / "c360.db"
        with open_store(db) as store:
            first = ingest([folder], store, now=NOW, sources=SOURCES, identity=IDENTITY)
            assignment = store.previous_assignment()
            quarantined = store.count("quarantine")
        with open_store(db, create=False) as store:
            second = ingest([folder], store, now=NOW, sources=SOURCES, identity=IDENTITY)
            assert store.previous_assignment() == assignment
            assert store.count("quarantine") == quarantined
            assert store.count("source_record") == first.new
    assert first.read == first.accepted + first.quarantined
    assert second.read == second.accepted + second.quarantined == first.read
    assert second.new == 0 and second.quarantined == first.quarantined
    assert second.customers == first.customers
