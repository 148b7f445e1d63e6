"""`c360 sample` on the command line: writes the files, refuses bad input in one sentence."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from c360tui.cli import app

runner = CliRunner()


def test_sample_command_writes_the_feeds(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["sample", "--customers", "120", "--seed", "2", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    for name in ("crm_contacts.csv", "crm_leads.csv", "marketing_contacts.jsonl", "manifest.json"):
        assert (tmp_path / name).is_file()
    assert "120 people" in result.output


def test_sample_help_has_an_example() -> None:
    result = runner.invoke(app, ["sample", "--help"])
    assert result.exit_code == 0
    assert "Example: c360 sample --customers 500 --seed 7 --out sample_data" in result.output


def test_a_naive_as_of_is_one_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["sample", "--out", str(tmp_path), "--as-of", "2026-11-30T15:00"])
    assert result.exit_code == 1
    assert "has no time zone" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "crm_contacts.csv").exists()


def test_zero_customers_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["sample", "--customers", "0", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "at least 1" in result.output
