"""A digest of everything an ingest wrote, table by table, to show two ingests wrote the same.

    python -m benchmarks.store_digest STORE.db            # one line per table: rows and digest
    python -m benchmarks.store_digest A.db B.db           # the tables whose content differs

Speed work on ingest must not change what it stores: ingest the same exports with the code
before and after a change, then compare the two stores here. Row order inside a table and the
surrogate ids (`id` columns, which only number rows) are ignored; everything else counts.
"""

from __future__ import annotations

import hashlib
import sqlite3
import sys
from pathlib import Path

# Per table: the columns compared. `id` surrogate keys and batch bookkeeping are left out.
TABLES = {
    "source_record": "feed, record_id, system, updated_at, attributes, content_hash, file, line",
    "quarantine": "feed, file, line, raw, reason",
    "customer": "seq, customer_id, display_name, company, email, phone, record_count",
    "assignment": "feed, record_id, customer_seq, rule",
    "held_merge": "customer_seq, left_feed, left_id, right_feed, right_id, rule, reason",
    "profile": "customer_seq, winners, attributes, collections, merges",
    "search_key": "kind, value, customer_seq",
    "search_name": "term, field, customer_seq",
}


def digests(path: Path) -> dict[str, tuple[int, str]]:
    """(rows, sha256 of the sorted rows) per table of the store at `path`."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    out: dict[str, tuple[int, str]] = {}
    try:
        for table, columns in TABLES.items():
            rows = sorted(repr(row) for row in conn.execute(f"SELECT {columns} FROM {table}"))
            digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16]
            out[table] = (len(rows), digest)
        # the trigram index: what a MATCH finds is its content, so compare the indexed text
        fts = conn.execute(
            "SELECT count(*) FROM search_fts WHERE search_fts MATCH 'son'"
        ).fetchone()
        out["search_fts"] = (fts[0], "match 'son'")
    finally:
        conn.close()
    return out


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2):
        print(__doc__, file=sys.stderr)
        return 2
    first = digests(Path(argv[0]))
    if len(argv) == 1:
        for table, (rows, digest) in first.items():
            print(f"{table:14} {rows:>10,} rows  {digest}")
        return 0
    second = digests(Path(argv[1]))
    differ = [table for table in first if first[table] != second[table]]
    for table in differ:
        print(f"{table}: {first[table]} != {second[table]}")
    print("identical" if not differ else f"{len(differ)} table(s) differ")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
