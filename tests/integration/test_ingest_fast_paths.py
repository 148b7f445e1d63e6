"""The ingest's fast paths write exactly what the plain path writes.

Large runs reconcile in worker processes; every resolved table, the search index and the
quarantine must come out the same as a one-process run of the same exports.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from c360tui.ingest import parallel
from c360tui.ingest.pipeline import ingest
from c360tui.settings import sample_data_dir
from c360tui.store import Store, open_store

SPECS = Path(__file__).resolve().parents[2] / "specs"

# Every table an ingest writes, with customer seqs replaced by customer ids (seq is per run).
_TABLES = {
    "source_record": "SELECT feed, record_id, system, updated_at, attributes, content_hash, "
    "batch_id, file, line FROM source_record",
    "quarantine": "SELECT feed, file, line, raw, reason FROM quarantine ORDER BY id",
    "customer": "SELECT seq, customer_id, display_name, company, email, phone, record_count "
    "FROM customer",
    "profile": "SELECT customer_seq, winners, attributes, collections, merges FROM profile",
    "assignment": "SELECT customer_seq, feed, record_id, rule FROM assignment",
    "held_merge": "SELECT customer_seq, left_feed, left_id, right_feed, right_id, rule, reason "
    "FROM held_merge",
    "search_key": "SELECT customer_seq, kind, value FROM search_key",
    "search_name": "SELECT customer_seq, term, field FROM search_name",
}


def _now() -> datetime:
    manifest = json.loads((sample_data_dir() / "manifest.json").read_text())
    return datetime.fromisoformat(manifest["as_of"])


def _dump(db: Path, queries: list[str]) -> dict[str, list[str]]:
    conn = sqlite3.connect(db)
    ids = dict(conn.execute("SELECT seq, customer_id FROM customer"))
    out: dict[str, list[str]] = {}
    for name, sql in _TABLES.items():
        rows = []
        for row in conn.execute(sql):
            cells = list(row)
            if name not in ("source_record", "quarantine"):
                cells[0] = ids[cells[0]]
            rows.append(json.dumps(cells))
        out[name] = rows if name == "quarantine" else sorted(rows)
    conn.close()
    with open_store(db, create=False) as store:
        out["search"] = [
            json.dumps([query, [(h.customer_id, h.field, h.why) for h in store.search(query)]])
            for query in queries
        ]
    return out


def _ingest(db: Path, workers: int) -> None:
    with open_store(db) as store:
        ingest([sample_data_dir()], store, now=_now(), specs_dir=SPECS, workers=workers)


def _not_from_the_store(store: Store, rowids: list[int]) -> list[object]:
    raise AssertionError("reconcile read its records back from the store")


def _queries(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT display_name, company, email, phone FROM customer").fetchall()
    conn.close()
    queries: list[str] = []
    for name, company, email, phone in rows[::7]:
        queries += [name, name[:2], name[1:5], company[1:6], email.upper(), phone]
    return [q for q in queries if q]


def test_worker_processes_write_the_same_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _ingest(tmp_path / "plain.db", workers=0)
    # small tasks, so the sample's few hundred customers are spread over many of them
    monkeypatch.setattr(parallel, "CHUNK", 37)
    # the workers read their records from the spools the store was filled from, not the store
    monkeypatch.setattr(Store, "source_rows", _not_from_the_store)
    _ingest(tmp_path / "workers.db", workers=2)
    queries = _queries(tmp_path / "plain.db")
    assert len(queries) > 100
    plain = _dump(tmp_path / "plain.db", queries)
    assert plain["customer"] and plain["profile"] and plain["search_key"]
    assert _dump(tmp_path / "workers.db", queries) == plain


def test_a_program_read_from_standard_input_ingests_in_its_own_process(tmp_path: Path) -> None:
    """Worker processes import the program's main module; a script piped into python has none
    to import, so its ingest must run in one process instead of starting workers that fail."""
    import subprocess
    import sys

    script = (
        "import json\n"
        "from datetime import datetime\n"
        "from pathlib import Path\n"
        "from c360tui.ingest.pipeline import ingest\n"
        "from c360tui.settings import sample_data_dir\n"
        "from c360tui.store import open_store\n"
        "as_of = json.loads((sample_data_dir() / 'manifest.json').read_text())['as_of']\n"
        f"with open_store(Path({str(tmp_path / 'piped.db')!r})) as store:\n"
        "    summary = ingest([sample_data_dir()], store, now=datetime.fromisoformat(as_of),\n"
        f"                     specs_dir=Path({str(SPECS)!r}), workers=2)\n"
        "print(summary.customers)\n"
    )
    done = subprocess.run(
        [sys.executable, "-"], input=script, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip()) > 400
