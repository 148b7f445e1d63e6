"""The Store: one open profile database and everything the commands and screens ask of it.

Bulk writes and search use the raw sqlite3 connection; small writes and listings go through a
sqlmodel Session sharing that same connection (created on first use, so search-only callers
never import sqlmodel). A Store is used by one thread at a time.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from c360tui.core.customer import HeldMerge, ResolvedCustomer
from c360tui.core.records import AttrValue, RecordKey, SourceRecord
from c360tui.store import codec, customers, engine, search, writer

if TYPE_CHECKING:
    from sqlmodel import Session

    from c360tui.store.tables import QuarantineRow, SplitRequestRow


def open_store(path: Path | str, create: bool = True, region: str = "US") -> Store:
    """Open (or create, with its directories) the store at `path`; C360Error if it is unusable.

    `region` is the default phone region used to read phone numbers typed into search.
    """
    path = Path(path)
    return Store(path, engine.connect(path, create=create), region)


def _now() -> datetime:
    return datetime.now(UTC)


class Store:
    """An open profile store. Close it (or use it as a context manager) when done."""

    def __init__(self, path: Path, conn: sqlite3.Connection, region: str) -> None:
        self.path = path
        self.conn = conn
        self.region = region
        self._engine: Any = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        self.conn.close()

    def session(self) -> Session:
        """A sqlmodel Session on this store's connection, for simple typed queries."""
        from sqlmodel import Session

        if self._engine is None:
            from sqlalchemy.pool import StaticPool
            from sqlmodel import create_engine

            conn = self.conn
            self._engine = create_engine("sqlite://", creator=lambda: conn, poolclass=StaticPool)
        return Session(self._engine)

    # ------------------------------------------------------------------ ingest
    def begin_batch(self, files: Sequence[str], started_at: datetime | None = None) -> int:
        """Record the start of an ingest run and return its batch id."""
        with writer.transaction(self.conn):
            cursor = self.conn.execute(
                "INSERT INTO ingest_batch (started_at, files) VALUES (?, ?)",
                (codec.dump_time(started_at or _now()), codec.dump_json(list(files))),
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def finish_batch(
        self,
        batch_id: int,
        *,
        read: int,
        accepted: int,
        quarantined: int,
        new_records: int,
        finished_at: datetime | None = None,
    ) -> None:
        """Record what an ingest run counted when it ends."""
        with writer.transaction(self.conn):
            self.conn.execute(
                "UPDATE ingest_batch SET finished_at = ?, read = ?, accepted = ?, "
                "quarantined = ?, new_records = ? WHERE id = ?",
                (
                    codec.dump_time(finished_at or _now()),
                    read,
                    accepted,
                    quarantined,
                    new_records,
                    batch_id,
                ),
            )

    def add_records(
        self,
        records: Iterable[SourceRecord | tuple[SourceRecord, str, int]],
        batch_id: int | None = None,
    ) -> writer.AddResult:
        """Store records (or (record, file, line)) once; see `writer.add_records`."""
        return writer.add_records(self.conn, records, batch_id)

    def add_quarantine(
        self, entries: Iterable[writer.QuarantineEntry], batch_id: int | None = None
    ) -> int:
        """Store refused rows (feed, file, line, raw, reason); returns how many were new."""
        return writer.add_quarantine(self.conn, entries, batch_id)

    def quarantine(self, limit: int | None = None) -> list[QuarantineRow]:
        """Quarantined rows in the order they were refused."""
        from sqlmodel import select

        from c360tui.store.tables import QuarantineRow

        statement = select(QuarantineRow).order_by(QuarantineRow.id)  # type: ignore[arg-type]
        if limit is not None:
            statement = statement.limit(limit)
        with self.session() as session:
            return list(session.exec(statement).all())

    def count(self, table: str) -> int:
        """Rows in one of the store's tables (for summaries)."""
        from c360tui.store.tables import STORE_TABLES

        if table not in {t.name for t in STORE_TABLES}:
            raise ValueError(f"unknown table {table!r}")
        return int(self.conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])

    def source_records(self) -> Iterator[SourceRecord]:
        """Every stored source record, for re-resolution."""
        return customers.source_records(self.conn)

    def source_identities(self) -> Iterator[tuple[int, str, str, dict[str, AttrValue]]]:
        """(row id, feed, record id, attributes) of every stored record, for re-resolution."""
        return customers.source_identities(self.conn)

    def source_rows(self, rowids: list[int]) -> list[tuple[int, str, str, str, str | None, str]]:
        """The stored rows of these source_record ids (any order), as reconcile reads them."""
        return customers.source_rows(self.conn, rowids)

    def rowids_match(self, keys: Sequence[RecordKey], rowids: Sequence[int]) -> bool:
        """True when the stored source records are exactly `keys` under the ids `rowids`."""
        return customers.rowids_match(self.conn, keys, rowids)

    def records(self, keys: Sequence[RecordKey]) -> list[SourceRecord]:
        """The stored source records for the given keys."""
        return customers.records_by_key(self.conn, keys)

    def previous_assignment(self) -> dict[RecordKey, str]:
        """RecordKey → customer id from the last resolution, for stable ids."""
        return customers.previous_assignment(self.conn)

    def write_resolved(self, resolved: Iterable[ResolvedCustomer]) -> writer.ResolvedSummary:
        """Replace customers, assignment, evidence, held merges, attributes and search index."""
        return writer.write_resolved(self.conn, resolved, self.region)

    # ------------------------------------------------------------------ reading
    def load_customer(self, customer_id: str) -> ResolvedCustomer | None:
        """One resolved customer, or None if there is no such id."""
        return customers.load_customer(self.conn, customer_id)

    def customer_summary(self, customer_id: str) -> customers.CustomerSummary | None:
        return customers.customer_summary(self.conn, customer_id)

    def customer_ids(self) -> Iterator[str]:
        return customers.customer_ids(self.conn)

    def queue_candidates(
        self,
        attributes: Sequence[str],
        require: Mapping[str, Sequence[AttrValue]] | None = None,
    ) -> Iterator[tuple[str, dict[str, AttrValue]]]:
        """(customer id, winning values of `attributes`) for a queue to filter and order."""
        return customers.queue_candidates(self.conn, attributes, require)

    def held_merges(self) -> Iterator[tuple[str, HeldMerge]]:
        """(customer id, held merge) for every link held for review."""
        return customers.held_merges(self.conn)

    def identity_map(self) -> Iterator[customers.IdentityRow]:
        """(feed, record id, customer id, rule) for every resolved record."""
        return customers.identity_map(self.conn)

    def search(self, query: str, limit: int = 20) -> list[search.SearchHit]:
        """Customers matching an email, phone, account id, or name/company prefix or substring."""
        return search.search(self.conn, query, limit, self.region)

    # ------------------------------------------------------------------ people's statements
    def record_split(
        self,
        a: RecordKey,
        b: RecordKey,
        note: str = "",
        *,
        by: str = "",
        at: datetime | None = None,
    ) -> None:
        """Record that two records are not the same customer; the next resolution honours it."""
        from c360tui.store.tables import SplitRequestRow

        row = SplitRequestRow(
            left_feed=a.feed,
            left_id=a.record_id,
            right_feed=b.feed,
            right_id=b.record_id,
            note=note,
            requested_by=by,
            requested_at=codec.dump_time(at or _now()) or "",
        )
        with self.session() as session:
            session.add(row)
            session.commit()

    def split_requests(self) -> list[SplitRequestRow]:
        """Every split request, oldest first."""
        from sqlmodel import select

        from c360tui.store.tables import SplitRequestRow

        with self.session() as session:
            statement = select(SplitRequestRow).order_by(SplitRequestRow.id)  # type: ignore[arg-type]
            return list(session.exec(statement).all())

    def split_pairs(self) -> list[tuple[RecordKey, RecordKey]]:
        """Split requests as record-key pairs, the form resolution takes."""
        return [
            (RecordKey(r.left_feed, r.left_id), RecordKey(r.right_feed, r.right_id))
            for r in self.split_requests()
        ]

    def record_flag(
        self, customer_id: str, attribute: str, view: str, at: datetime | None = None
    ) -> None:
        """Record that a person flagged this attribute's value as wrong, from `view`."""
        from c360tui.store.tables import ValueFlagRow

        row = ValueFlagRow(
            customer_id=customer_id,
            attribute=attribute,
            view=view,
            flagged_at=codec.dump_time(at or _now()) or "",
        )
        with self.session() as session:
            session.add(row)
            session.commit()

    def set_queue_state(
        self,
        view: str,
        customer_id: str,
        state: str,
        until: datetime | None = None,
        at: datetime | None = None,
    ) -> None:
        """Mark a customer worked or snoozed (until a time) in one view's queue."""
        with writer.transaction(self.conn):
            self.conn.execute(
                "INSERT OR REPLACE INTO queue_state (view, customer_id, state, until, updated_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (view, customer_id, state, codec.dump_time(until), codec.dump_time(at or _now())),
            )

    def queue_states(self, view: str) -> dict[str, tuple[str, datetime | None]]:
        """customer id → (state, until) for one view's queue."""
        return {
            customer_id: (state, codec.load_time(until))
            for customer_id, state, until in self.conn.execute(
                "SELECT customer_id, state, until FROM queue_state WHERE view = ?", (view,)
            )
        }
