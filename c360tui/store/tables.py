"""The profile store's schema as sqlmodel tables (schema definition and simple queries only).

Bulk writes and the search path go through the raw sqlite3 connection (see writer.py, search.py);
these classes name the tables and columns both of them use. JSON columns hold text written with
`json.dumps`, so plain `sqlite3` and `json_extract` can read them.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, Table, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class Meta(SQLModel, table=True):
    """Key/value facts about the database; `schema_version` is checked on every open."""

    __tablename__ = "meta"
    key: str = Field(primary_key=True)
    value: str


class IngestBatch(SQLModel, table=True):
    """One `c360 ingest` run: when, which files, and what it counted."""

    __tablename__ = "ingest_batch"
    id: int | None = Field(default=None, primary_key=True)
    started_at: str
    finished_at: str | None = None
    files: str = "[]"  # JSON list of paths
    read: int = 0
    accepted: int = 0
    quarantined: int = 0
    new_records: int = 0


class SourceRecordRow(SQLModel, table=True):
    """A source record as ingested; the same content under the same id is stored once."""

    __tablename__ = "source_record"
    __table_args__ = (
        UniqueConstraint("feed", "record_id", "content_hash", name="ux_source_record_content"),
    )
    id: int | None = Field(default=None, primary_key=True)
    feed: str
    record_id: str
    system: str
    updated_at: str | None = None  # ISO 8601, UTC
    attributes: str = Field(sa_column=Column(Text, nullable=False))  # JSON object
    content_hash: str
    batch_id: int | None = None
    file: str = ""
    line: int = 0


class QuarantineRow(SQLModel, table=True):
    """A row ingest refused, kept with where it came from and one sentence saying why."""

    __tablename__ = "quarantine"
    __table_args__ = (Index("ix_quarantine_place", "feed", "file", "line"),)
    id: int | None = Field(default=None, primary_key=True)
    batch_id: int | None = None
    feed: str
    file: str
    line: int
    raw: str
    reason: str


class CustomerRow(SQLModel, table=True):
    """One resolved customer with the few fields lists and search results show.

    `seq` is the integer key every resolved table and the FTS index refer to; it is assigned
    afresh by each resolution, while `customer_id` stays stable across runs.
    """

    __tablename__ = "customer"
    __table_args__ = (Index("ix_customer_id", "customer_id", unique=True),)
    seq: int | None = Field(default=None, primary_key=True)
    customer_id: str
    display_name: str = ""
    company: str = ""
    email: str = ""
    phone: str = ""
    record_count: int = 0


class AssignmentRow(SQLModel, table=True):
    """Which customer (by seq) a source record belongs to, and the rule that linked it."""

    __tablename__ = "assignment"
    __table_args__ = (
        Index("ix_assignment_key", "feed", "record_id", unique=True),
        Index("ix_assignment_customer", "customer_seq"),
    )
    id: int | None = Field(default=None, primary_key=True)
    feed: str
    record_id: str
    customer_seq: int
    rule: str = ""  # "" when the record was not linked to another


class HeldMergeRow(SQLModel, table=True):
    """A link found but not made, kept for review with its reason."""

    __tablename__ = "held_merge"
    __table_args__ = (Index("ix_held_merge_customer", "customer_seq"),)
    id: int | None = Field(default=None, primary_key=True)
    customer_seq: int
    left_feed: str
    left_id: str
    right_feed: str
    right_id: str
    rule: str
    reason: str = ""


class ProfileRow(SQLModel, table=True):
    """The reconciled detail of one customer, one row each, as compact JSON documents.

    One row per customer (not one per attribute) because binding ~170 cells per customer made
    writing a million customers take minutes; a document per customer takes seconds.
    - `attributes`: {"p": [[system, feed, record_id, observed_at], ...], "a": [[name, status,
      rule, value, p, alternates, contenders, reason], ...]} where p indexes the "p" list (the
      winner's provenance; value and p are null without a winner) and alternates/contenders are
      null or lists of [value, p].
    - `winners`: {attribute: value} of the winners only, what queues filter and order on
      (`json_extract(winners, '$.lead_status')`).
    - `collections`: {name: [[values, system, feed, record_id, observed_at], ...]} or null.
    - `merges`: [[left_feed, left_id, right_feed, right_id, rule, [[field, method, score]...]]]
      or null: the evidence of every link made inside this customer.
    """

    __tablename__ = "profile"
    customer_seq: int = Field(primary_key=True)
    # `winners` comes first: a queue scan then reads it without walking the attributes' pages.
    winners: str = "{}"
    attributes: str = "[]"
    collections: str | None = None
    merges: str | None = None


class SearchKeyRow(SQLModel, table=True):
    """An exact-match search key: kind (email, phone, crm_id...), normalised value, customer."""

    __tablename__ = "search_key"
    __table_args__ = (Index("ix_search_key", "kind", "value"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str
    value: str
    customer_seq: int


class SearchNameRow(SQLModel, table=True):
    """A folded name term for short prefix queries: full name, last name or company."""

    __tablename__ = "search_name"
    __table_args__ = (Index("ix_search_name_term", "term"),)
    id: int | None = Field(default=None, primary_key=True)
    term: str
    field: str  # "name", "last name" or "company"
    customer_seq: int


class SplitRequestRow(SQLModel, table=True):
    """A person's statement that two records are not the same customer; resolution honours it."""

    __tablename__ = "split_request"
    id: int | None = Field(default=None, primary_key=True)
    left_feed: str
    left_id: str
    right_feed: str
    right_id: str
    note: str = ""
    requested_by: str = ""
    requested_at: str


class ValueFlagRow(SQLModel, table=True):
    """A person flagged an attribute value of a customer as wrong, from a given view."""

    __tablename__ = "value_flag"
    __table_args__ = (Index("ix_value_flag_customer", "customer_id"),)
    id: int | None = Field(default=None, primary_key=True)
    customer_id: str
    attribute: str
    view: str
    flagged_at: str


class QueueStateRow(SQLModel, table=True):
    """Where a customer stands in one view's queue: worked or snoozed (until a time)."""

    __tablename__ = "queue_state"
    view: str = Field(primary_key=True)
    customer_id: str = Field(primary_key=True)
    state: str  # "worked" or "snoozed"
    until: str | None = None
    updated_at: str


# The tables the store creates (SQLModel.metadata is process-wide; other packages may add theirs).
STORE_TABLES: list[Table] = [
    model.__table__  # type: ignore[union-attr]
    for model in (
        Meta,
        IngestBatch,
        SourceRecordRow,
        QuarantineRow,
        CustomerRow,
        AssignmentRow,
        HeldMergeRow,
        ProfileRow,
        SearchKeyRow,
        SearchNameRow,
        SplitRequestRow,
        ValueFlagRow,
        QueueStateRow,
    )
]

# Tables rewritten as a whole by each resolution (see writer.write_resolved).
RESOLVED_TABLES = (
    "customer",
    "assignment",
    "held_merge",
    "profile",
    "search_key",
    "search_name",
)

# The trigram index over folded names and companies; rowid = customer.seq. Contentless (the text
# lives in `customer`), so it is rebuilt with the resolved tables rather than updated row by row.
FTS_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "name, company, content='', tokenize='trigram')"
)
