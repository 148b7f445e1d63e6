"""Sample telemetry: written by the real app driven headless, private, and readable by the lead.

One tiny simulation (a support agent, an SDR and a CSM for one day) runs once for the module; the
committed two-week file is checked for what `c360 demo` promises the team lead.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from c360tui.cli import app
from c360tui.telemetry.reader import open_reader

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
COMMITTED = SAMPLE / "telemetry" / "demo_telemetry.db"

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Caches and user files go to the test's temp dir."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("C360_TELEMETRY", raising=False)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sim") / "tiny.db"
    result = CliRunner().invoke(
        app,
        ["simulate-telemetry", "--out", str(out), "--reps", "3", "--days", "1", "--seed", "3"],
    )
    assert result.exit_code == 0, result.output
    return out


def rows(path: Path) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as conn:
        return list(conn.execute("SELECT * FROM events ORDER BY id"))


def personal_data() -> Iterator[str]:
    """Every name, email and phone number (as digits) in the sample exports."""
    for name in ("crm_contacts.csv", "crm_leads.csv", "support_tickets.csv"):
        with (SAMPLE / name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                lowered = {key.lower().replace(" ", "_"): value for key, value in row.items()}
                first = lowered.get("first_name") or lowered.get("requester_first_name") or ""
                last = lowered.get("last_name") or lowered.get("requester_last_name") or ""
                if first and last:
                    yield f"{first} {last}".casefold()
                for key, value in lowered.items():
                    if "@" in value and "email" in key:  # "none" and such name nobody
                        yield value.strip().casefold()
                    if value and "phone" in key:
                        digits = re.sub(r"\D", "", value)
                        if len(digits) >= 10:
                            yield digits[-10:]
    for line in (SAMPLE / "marketing_contacts.jsonl").read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue  # one of the sample's deliberately bad rows
        if isinstance(record, dict) and record.get("email"):
            yield str(record["email"]).casefold()


def test_the_app_wrote_every_kind_of_event_for_every_role(tiny: Path) -> None:
    events = rows(tiny)
    kinds = {row[1] for row in events}
    for kind in ("session_start", "session_end", "view_opened", "action_taken", "search"):
        assert kind in kinds, f"no {kind} event"
    with open_reader(tiny) as reader:
        recorded = list(reader.events())
    roles = {r.ctx.role for r in recorded if r.type == "action_taken"}
    assert roles == {"support", "sdr", "csm"}
    reps = {r.ctx.rep for r in recorded}
    assert len(reps) == 3 and all(rep.startswith("rep-") for rep in reps)
    starts = [r for r in recorded if r.type == "session_start"]
    assert len({r.ctx.session_id for r in starts}) == len(starts) >= 3
    # Simulated time: weekday office hours on the sample's as-of day, human gaps between keys.
    assert all(r.wall_time.date().isoformat() == "2026-11-30" for r in recorded)
    assert all(9 <= r.wall_time.hour < 17 for r in recorded)
    decisions = [r.event for r in recorded if r.type == "action_taken"]
    assert all(d.ms_since_view >= 1000 for d in decisions)  # type: ignore[attr-defined]


def test_overrides_are_computed_per_view(tiny: Path) -> None:
    result = CliRunner().invoke(app, ["report", "--json", "--telemetry", str(tiny)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    views = {row["view"]: row for row in report["override_by_view"]}
    assert set(views) == {"support_close_case", "sdr_call_now", "csm_at_risk"}
    assert all(
        row["actions"] >= 1 and row["override_rate_pct"] is not None for row in views.values()
    )


def test_no_personal_data_reaches_the_file(tiny: Path) -> None:
    cells = [str(cell).casefold() for row in rows(tiny) for cell in row if cell is not None]
    text = "\n".join(cells)
    leaked = [value for value in set(personal_data()) if value in text]
    assert not leaked, f"personal data in telemetry: {leaked[:5]}"


@pytest.mark.skipif(not COMMITTED.is_file(), reason="no committed sample telemetry")
def test_committed_sample_shows_a_team_of_several_reps_over_two_weeks() -> None:
    assert COMMITTED.stat().st_size < 4_000_000  # five reps, two weeks: ~3.5 MB
    with open_reader(COMMITTED) as reader:
        recorded = list(reader.events(types=["session_start", "action_taken"]))
    reps = {r.ctx.rep for r in recorded}
    days = {r.wall_time.date() for r in recorded}
    assert len(reps) >= 5
    assert len(days) >= 8
    result = CliRunner().invoke(app, ["report", "--telemetry", str(COMMITTED)])
    assert result.exit_code == 0, result.output
    for role in ("support", "sdr", "csm"):
        assert role in result.output
    assert not Path(f"{COMMITTED}-wal").exists(), "the committed file is one self-contained file"


@pytest.mark.skipif(not COMMITTED.is_file(), reason="no committed sample telemetry")
def test_demo_seeds_its_own_telemetry_file_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from c360tui.cli.cmd_tui import demo_telemetry

    path = demo_telemetry()
    assert path is not None and path.is_relative_to(tmp_path / "data")
    assert path.read_bytes() == COMMITTED.read_bytes()
    path.write_bytes(b"the user's own sessions since")
    assert demo_telemetry() == path and path.read_bytes() == b"the user's own sessions since"
    monkeypatch.setenv("C360_TELEMETRY", str(tmp_path / "mine.db"))
    assert demo_telemetry() is None, "a telemetry file the user chose is left alone"


@pytest.mark.skipif(not COMMITTED.is_file(), reason="no committed sample telemetry")
def test_report_and_tune_read_the_demo_team_until_the_user_has_telemetry_of_their_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from c360tui.cli.cmd_tui import demo_telemetry

    demo_telemetry()
    tune = CliRunner().invoke(app, ["tune"])
    assert tune.exit_code == 0, tune.output
    assert "Reading the demo's telemetry" in tune.output and "+++ b/" in tune.output
    mine = tmp_path / "data" / "c360tui" / "telemetry.db"
    mine.write_bytes(b"")
    report = CliRunner().invoke(app, ["report", "--json"])
    assert report.exit_code != 0, "the user's own (here broken) file is read, not the demo's"
    assert "demo" not in report.output


@pytest.mark.skipif(not COMMITTED.is_file(), reason="no committed sample telemetry")
def test_tune_on_the_committed_sample_moves_a_field_with_its_evidence(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    shutil.copytree(ROOT / "specs", specs)
    args = ["tune", "--telemetry", str(COMMITTED), "--specs", str(specs)]
    shown = CliRunner().invoke(app, args)
    assert shown.exit_code == 0, shown.output
    moves = re.findall(r"^- \w+: (?:demote|promote) .*$", shown.output, re.MULTILINE)
    assert moves, f"no layout change proposed:\n{shown.output}"
    assert all(re.search(r"(?:opened|shown) \d+ times", line) for line in moves), moves
    assert re.search(r"^\+# tune: (?:demoted|promoted): ", shown.output, re.MULTILINE)
    applied = CliRunner().invoke(app, [*args, "--apply"])
    assert applied.exit_code == 0, applied.output
    assert "specs check passes" in applied.output
    check = CliRunner().invoke(app, ["specs", "check", str(specs)])
    assert check.exit_code == 0, check.output
    assert {p.name for p in specs.iterdir()} == {p.name for p in (ROOT / "specs").iterdir()}
