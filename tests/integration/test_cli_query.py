"""`c360 profile`, `c360 search` and `c360 export identities` over the ingested sample data."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from c360tui.cli import app
from c360tui.ingest.pipeline import ingest
from c360tui.store import open_store

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
AS_OF = "2026-11-30T15:00:00Z"
runner = CliRunner()


def person(true_customer: str) -> dict[str, str]:
    with (SAMPLE / "ground_truth" / "people.csv").open(encoding="utf-8") as handle:
        return next(row for row in csv.DictReader(handle) if row["true_customer"] == true_customer)


def truth_rows(expect: str, attribute: str) -> list[str]:
    with (SAMPLE / "ground_truth" / "values.csv").open(encoding="utf-8") as handle:
        return [
            row["true_customer"]
            for row in csv.DictReader(handle)
            if row["expect"] == expect and row["attribute"] == attribute
        ]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("query") / "c360.db"
    with open_store(path) as store:
        ingest([SAMPLE], store, now=datetime(2026, 12, 1, tzinfo=UTC), specs_dir=ROOT / "specs")
    return path


def run(db: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--db", str(db)], env={"COLUMNS": "200"})
    return result.exit_code, result.output


def run_cli(db: Path, *args: str) -> tuple[int, str]:
    """The real entry point in its own process, so errors go through `main()` as users see them."""
    done = subprocess.run(
        [sys.executable, "-m", "c360tui", *args, "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.returncode, done.stdout + done.stderr


def test_profile_json_says_a_conflicted_value_is_conflicted_and_blocks_the_agent(db: Path) -> None:
    true_customer = truth_rows("conflicted", "do_not_contact")[0]
    email = person(true_customer)["email"]

    code, out = run(db, "profile", email, "--view", "sdr_call_now", "--as-of", AS_OF, "--json")

    assert code == 0, out
    view = json.loads(out)
    dnc = next(s for s in view["signals"] if s["attribute"] == "do_not_contact")
    assert dnc["trust"] == "conflicted" and dnc["value"] is None
    assert len({c["system"] for c in dnc["contenders"]}) >= 2
    assert view["agent"]["ready"] is False
    assert any("contact" in reason.lower() for reason in view["agent"]["reasons"])


def test_profile_json_gives_every_shown_value_its_source_and_age(db: Path) -> None:
    email = person("TC0000001")["email"]

    code, out = run(
        db, "profile", email, "--view", "support_close_case", "--as-of", AS_OF, "--json"
    )

    assert code == 0, out
    view = json.loads(out)
    assert view["as_of"].startswith("2026-11-30T15:00:00")
    attributed = [s for s in view["signals"] if s["kind"] == "attribute" and s["value"] is not None]
    assert attributed, "expected attribute signals with values"
    for signal in attributed:
        assert signal["provenance"]["system"] and signal["provenance"]["record_id"]
        assert signal["freshness"] in {"fresh", "ageing", "stale", "unknown"}
        assert "/" in signal["age_text"]


def test_profile_tables_say_trust_in_words_and_glyphs(db: Path) -> None:
    true_customer = truth_rows("conflicted", "do_not_contact")[0]
    email = person(true_customer)["email"]

    code, out = run(db, "profile", email, "--view", "sdr_call_now", "--as-of", AS_OF)

    assert code == 0, out
    assert "⚠ conflicted" in out
    assert "Agent-ready: no" in out


def test_an_ambiguous_name_asks_for_an_id_instead_of_guessing(db: Path) -> None:
    first = person("TC0000001")["first_name"]  # two different people share this full name

    code, out = run_cli(db, "profile", f"{first} {person('TC0000001')['last_name']}")

    assert code == 1
    assert "customers match" in out and "pass one customer id" in out


def test_an_unknown_view_and_a_naive_time_are_one_sentence_each(db: Path) -> None:
    email = person("TC0000001")["email"]

    code, out = run_cli(db, "profile", email, "--view", "nope")
    assert code == 1 and "No view named 'nope'" in out and "Traceback" not in out

    code, out = run_cli(db, "profile", email, "--as-of", "2026-11-30T15:00:00")
    assert code == 1 and "has no time zone" in out


def test_search_finds_a_phone_typed_the_way_a_caller_says_it(db: Path) -> None:
    target = person("TC0000001")
    digits = target["phone"].removeprefix("+1")
    typed = f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"

    code, out = run(db, "search", typed, "--json")

    assert code == 0, out
    hits = json.loads(out)
    assert [hit["display_name"] for hit in hits] == [
        f"{target['first_name']} {target['last_name']}"
    ]
    assert hits[0]["matched_field"] == "phone"


def test_export_identities_maps_every_stored_record_to_a_customer(db: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "identity_map.csv"

    code, out = run(db, "export", "identities", "--out", str(out_file))

    assert code == 0, out
    with out_file.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with open_store(db, create=False) as store:
        assert len(rows) == store.count("source_record")
    assert set(rows[0]) == {"source", "source_record_id", "customer_id", "rule"}
    assert all(row["customer_id"] for row in rows)
