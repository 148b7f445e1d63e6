"""`c360 ingest` and `c360 quarantine` as a user runs them: summaries, tables, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from c360tui.cli import app
from c360tui.store import open_store

SPECS = Path(__file__).resolve().parents[2] / "specs"
CONTACTS = """\
contact_id,first_name,last_name,email,phone,status,last_modified
C-1,Robert,Smith,bob@acme.com,(415) 555-0101,working,2025-05-01T09:00:00Z
C-2,Ann,[bold red]Lee[/],ann@globex.com,415-555-0199,new,2025-05-02T09:00:00Z
C-3,Eve,\x1b[31mRed,eve@globex.com,,[/bold]closed-won,2025-05-02T09:00:00Z
"""


def c360(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "C360_SPECS": str(SPECS), "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "c360tui", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


@pytest.fixture
def exports(tmp_path: Path) -> Path:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "crm_contacts.csv").write_text(CONTACTS)
    return folder


def test_ingest_prints_a_summary_and_quarantine_lists_the_bad_row(
    exports: Path, tmp_path: Path
) -> None:
    db = tmp_path / "c360.db"
    runner = CliRunner(env={"COLUMNS": "250", "NO_COLOR": "1"})
    result = runner.invoke(app, ["ingest", str(exports), "--db", str(db), "--specs", str(SPECS)])
    assert result.exit_code == 0, result.output
    assert "rows read" in result.output and "quarantined" in result.output
    assert "c360 quarantine" in result.output

    listed = runner.invoke(app, ["quarantine", "--db", str(db)])
    assert listed.exit_code == 0, listed.output
    assert "crm_contacts.csv" in listed.output and "'status'" in listed.output
    # Customer text is shown literally: markup is not interpreted, escapes are defused.
    assert "[/bold]closed-won" in listed.output
    assert "\x1b" not in listed.output

    as_json = runner.invoke(app, ["quarantine", "--db", str(db), "--json"])
    [row] = json.loads(as_json.output)
    assert row["line"] == 4 and row["feed"] == "crm_contacts" and "\x1b[31mRed" in row["raw"]


def test_wrong_delimiter_is_one_sentence_exit_1_and_nothing_written(
    exports: Path, tmp_path: Path
) -> None:
    (exports / "crm_contacts.csv").write_text(CONTACTS.replace(",", ";"))
    db = tmp_path / "c360.db"
    result = c360("ingest", str(exports), "--db", str(db), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    line = " ".join(result.stderr.split())  # the console may wrap one long sentence
    assert line.startswith("error: ") and line.count(". ") == 0
    assert "crm_contacts.csv" in line and "'contact_id'" in line
    assert not db.exists(), "a refused first ingest leaves no empty store behind"


def test_a_refused_ingest_leaves_an_existing_store_as_it_was(exports: Path, tmp_path: Path) -> None:
    db = tmp_path / "c360.db"
    assert c360("ingest", str(exports), "--db", str(db), cwd=tmp_path).returncode == 0
    (exports / "crm_contacts.csv").write_text(CONTACTS.replace(",", ";"))
    assert c360("ingest", str(exports), "--db", str(db), cwd=tmp_path).returncode == 1
    with open_store(db, create=False) as store:
        assert store.count("source_record") == 2 and store.count("quarantine") == 1


def test_missing_path_is_one_sentence_exit_1(tmp_path: Path) -> None:
    result = c360(
        "ingest", str(tmp_path / "crm_contacts.csv"), "--db", str(tmp_path / "x.db"), cwd=tmp_path
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "does not exist" in result.stderr and "'contact_id'" in result.stderr


def test_quarantine_without_a_store_is_one_sentence(tmp_path: Path) -> None:
    result = c360("quarantine", "--db", str(tmp_path / "none.db"), cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "c360 ingest" in result.stderr


def test_help_has_an_example(tmp_path: Path) -> None:
    for command in ("ingest", "quarantine"):
        result = c360(command, "--help", cwd=tmp_path)
        assert result.returncode == 0 and "Example: c360 " + command in result.stdout


def test_a_broken_sources_file_is_one_sentence(exports: Path, tmp_path: Path) -> None:
    broken = tmp_path / "my_sources.toml"
    broken.write_text('default_region = "US"\n[systems.crm]\npriority = "high"\n')
    result = c360(
        "ingest",
        str(exports),
        "--sources",
        str(broken),
        "--db",
        str(tmp_path / "x.db"),
        cwd=tmp_path,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "my_sources.toml" in result.stderr and "c360 specs check" in result.stderr
    assert not (tmp_path / "x.db").exists()
