"""`c360 report`: golden tables and CSV, formula neutralising, JSON, filters, bad files."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from c360tui.cli import app, main
from c360tui.metrics.script import SessionScript, layout, merged, write_events
from c360tui.telemetry.events import Context, ScreenOpened
from c360tui.telemetry.reader import open_reader
from c360tui.telemetry.writer import TelemetryWriter

RUNNER = CliRunner()


def sessions() -> tuple[SessionScript, SessionScript]:
    sdr = SessionScript(
        "S1",
        "sdr",
        "sdr_call_now",
        signals=layout(["intent", "do_not_contact"], ["web_visits"], contact=["phone"]),
    )
    sdr.begin(0.0).queue(0.0, ["C-1", "C-2", "C-3"]).view(0.5, "C-1").why(2.0, "C-1", "intent")
    sdr.act(4.5, "C-1", "call").view(5.0, "C-2", recommended="email")
    sdr.flag(7.0, "C-2", "phone", "billing").act(12.0, "C-2", "call").view(12.5, "C-3").end(12.8)
    support = SessionScript(
        "S2", "support", "support_close_case", rep="rep-b", signals=layout(["open_sev1", "tier"])
    )
    support.search(0.0, ["C-7", "C-8"]).view(1.0, "C-8", via="search", recommended="escalate")
    support.act(31.0, "C-8", "resolve").end(40.0)
    return sdr, support


@pytest.fixture(autouse=True)
def own_cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tally cache entries go to the test's directory, not the user's cache."""
    monkeypatch.setenv("C360_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def telemetry(tmp_path: Path) -> Path:
    path = tmp_path / "team.db"
    write_events(path, merged(*sessions()))
    return path


def report(*args: str) -> str:
    result = RUNNER.invoke(app, ["report", *args], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    return result.output


GOLDEN_TABLES = """\
Telemetry: TEAM
Open rate per role
┏━━━━━━━━━┳━━━━━━━━━━━┳━━━━━━━━┳━━━━━━━━━━━┓
┃ role    ┃ presented ┃ opened ┃ open rate ┃
┡━━━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━╇━━━━━━━━━━━┩
│ sdr     │         3 │      2 │     66.7% │
│ support │         2 │      1 │     50.0% │
└─────────┴───────────┴────────┴───────────┘
Time to decision (view opened to action)
┏━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━┳━━━━━━━━┳━━━━━━━━┓
┃ role    ┃ view               ┃ actions ┃ median ┃    p90 ┃
┡━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━╇━━━━━━━━╇━━━━━━━━┩
│ sdr     │ sdr_call_now       │       2 │  4.0 s │  7.0 s │
│ support │ support_close_case │       1 │ 30.0 s │ 30.0 s │
└─────────┴────────────────────┴─────────┴────────┴────────┘
Override rate per view
┏━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━┳━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ view               ┃ actions ┃ overrides ┃ override rate ┃
┡━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ sdr_call_now       │       2 │         1 │         50.0% │
│ support_close_case │       1 │         1 │        100.0% │
└────────────────────┴─────────┴───────────┴───────────────┘
Override rate by trust state of the deciding
signals
┏━━━━━━━━━┳━━━━━━━━━┳━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ trust   ┃ actions ┃ overrides ┃ override rate ┃
┡━━━━━━━━━╇━━━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ trusted │       3 │         2 │         66.7% │
└─────────┴─────────┴───────────┴───────────────┘
Field attention: sdr_call_now
┏━━━━━━━━━━━━━━━━┳━━━━━━━━━┳━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━┳━━━━━┳━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ field          ┃ section ┃ shown ┃ above fold ┃ expanded ┃ why ┃ flagged ┃ section opens ┃
┡━━━━━━━━━━━━━━━━╇━━━━━━━━━╇━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━╇━━━━━╇━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ do_not_contact │ —       │     3 │          3 │        0 │   0 │       0 │             0 │
│ intent         │ —       │     3 │          3 │        0 │   1 │       0 │             0 │
│ phone          │ contact │     3 │          0 │        0 │   0 │       1 │             0 │
│ web_visits     │ —       │     3 │          0 │        0 │   0 │       0 │             0 │
└────────────────┴─────────┴───────┴────────────┴──────────┴─────┴─────────┴───────────────┘
Field attention: support_close_case
┏━━━━━━━━━━━┳━━━━━━━━━┳━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━┳━━━━━┳━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ field     ┃ section ┃ shown ┃ above fold ┃ expanded ┃ why ┃ flagged ┃ section opens ┃
┡━━━━━━━━━━━╇━━━━━━━━━╇━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━╇━━━━━╇━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ open_sev1 │ —       │     1 │          1 │        0 │   0 │       0 │             0 │
│ tier      │ —       │     1 │          1 │        0 │   0 │       0 │             0 │
└───────────┴─────────┴───────┴────────────┴──────────┴─────┴─────────┴───────────────┘
Never touched (shown, never expanded,
asked why or flagged)
┏━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━┓
┃ view               ┃ field          ┃
┡━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━┩
│ sdr_call_now       │ do_not_contact │
│ sdr_call_now       │ web_visits     │
│ support_close_case │ open_sev1      │
│ support_close_case │ tier           │
└────────────────────┴────────────────┘
Trust leaks: values flagged wrong, by field and source
┏━━━━━━━━━━━━━━┳━━━━━━━┳━━━━━━━━━━━┳━━━━━━━━━┳━━━━━━━┳━━━━━━━━━━━┓
┃ view         ┃ field ┃ attribute ┃ source  ┃ flags ┃ trust     ┃
┡━━━━━━━━━━━━━━╇━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━━╇━━━━━━━╇━━━━━━━━━━━┩
│ sdr_call_now │ phone │ phone     │ billing │     1 │ trusted 1 │
└──────────────┴───────┴───────────┴─────────┴───────┴───────────┘
Trust leaks: overrides while a deciding signal was not trusted: none
Per day (UTC)
┏━━━━━━━━━━━━┳━━━━━━━━━┳━━━━━━━━┳━━━━━━━━┳━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ day        ┃ actions ┃ median ┃    p90 ┃ overrides ┃ override rate ┃
┡━━━━━━━━━━━━╇━━━━━━━━━╇━━━━━━━━╇━━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ 2026-11-02 │       3 │  7.0 s │ 30.0 s │         2 │         66.7% │
└────────────┴─────────┴────────┴────────┴───────────┴───────────────┘
People and agents
┏━━━━━━━┳━━━━━━━━━━━┳━━━━━━━━┳━━━━━━━━━━━┳━━━━━━━━━┳━━━━━━━━┳━━━━━━━━┳━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ actor ┃ presented ┃ opened ┃ open rate ┃ actions ┃ median ┃    p90 ┃ overrides ┃ override rate ┃
┡━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━━╇━━━━━━━━╇━━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ rep   │         5 │      3 │     60.0% │       3 │  7.0 s │ 30.0 s │         2 │         66.7% │
└───────┴───────────┴────────┴───────────┴─────────┴────────┴────────┴───────────┴───────────────┘
"""

GOLDEN_CSV = (
    "Open rate per role\r\n"
    "role,presented,opened,open_rate_pct\r\n"
    "sdr,3,2,66.7\r\n"
    "support,2,1,50.0\r\n"
    "\r\n"
    "Time to decision (view opened to action)\r\n"
    "role,view,actions,median_ms,p90_ms\r\n"
    "sdr,sdr_call_now,2,4000,7000\r\n"
    "support,support_close_case,1,30000,30000\r\n"
    "\r\n"
    "Override rate per view\r\n"
    "view,actions,overrides,override_rate_pct\r\n"
    "sdr_call_now,2,1,50.0\r\n"
    "support_close_case,1,1,100.0\r\n"
    "\r\n"
    "Override rate by trust state of the deciding signals\r\n"
    "trust,actions,overrides,override_rate_pct\r\n"
    "trusted,3,2,66.7\r\n"
    "\r\n"
    "Field attention\r\n"
    "view,field,section,shown,above_fold,expanded,why,flagged,section_opens\r\n"
    "sdr_call_now,do_not_contact,,3,3,0,0,0,0\r\n"
    "sdr_call_now,intent,,3,3,0,1,0,0\r\n"
    "sdr_call_now,phone,contact,3,0,0,0,1,0\r\n"
    "sdr_call_now,web_visits,,3,0,0,0,0,0\r\n"
    "support_close_case,open_sev1,,1,1,0,0,0,0\r\n"
    "support_close_case,tier,,1,1,0,0,0,0\r\n"
    "\r\n"
    '"Never touched (shown, never expanded, asked why or flagged)"\r\n'
    "view,field\r\n"
    "sdr_call_now,do_not_contact\r\n"
    "sdr_call_now,web_visits\r\n"
    "support_close_case,open_sev1\r\n"
    "support_close_case,tier\r\n"
    "\r\n"
    '"Trust leaks: values flagged wrong, by field and source"\r\n'
    "view,field,attribute,source,flags,trust\r\n"
    "sdr_call_now,phone,phone,billing,1,trusted 1\r\n"
    "\r\n"
    "Trust leaks: overrides while a deciding signal was not trusted\r\n"
    "view,field,trust,actions,overrides,override_rate_pct\r\n"
    "\r\n"
    "Per day (UTC)\r\n"
    "day,actions,median_ms,p90_ms,overrides,override_rate_pct\r\n"
    "2026-11-02,3,7000,30000,2,66.7\r\n"
    "\r\n"
    "People and agents\r\n"
    "actor,presented,opened,open_rate_pct,actions,median_ms,p90_ms,overrides,override_rate_pct\r\n"
    "rep,5,3,60.0,3,7000,30000,2,66.7\r\n"
)


def test_report_tables_match_the_golden_output(telemetry: Path) -> None:
    out = report("--telemetry", str(telemetry)).replace(str(telemetry), "TEAM")
    assert "\n".join(line.rstrip() for line in out.splitlines()) + "\n" == GOLDEN_TABLES


def test_report_csv_matches_the_golden_bytes_utf8_with_bom_and_crlf(telemetry: Path) -> None:
    result = RUNNER.invoke(app, ["report", "--telemetry", str(telemetry), "--csv"])
    assert result.exit_code == 0
    assert result.stdout_bytes == b"\xef\xbb\xbf" + GOLDEN_CSV.encode("utf-8")


HOSTILE = {
    '=HYPERLINK("http://x")': '\'=HYPERLINK("http://x")',
    "+cmd|' /C calc'!A0": "'+cmd|' /C calc'!A0",
    "-2+3": "'-2+3",
    "@SUM(A1)": "'@SUM(A1)",
    "\tTAB": "'\tTAB",
    "\rCR": "'\rCR",
}


def hand_edited(path: Path, role: str, view: str, field: str, source: str) -> None:
    """Rewrite ids in a file the way a hostile hand edit could (the writer would refuse them)."""
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE events SET role = ?, view = ? WHERE session_id = 'S1'", (role, view))
        conn.execute(
            "UPDATE events SET payload = json_set(payload, '$.signal_id', ?, "
            "'$.source_system', ?) WHERE type = 'value_flagged'",
            (field, source),
        )


@pytest.mark.parametrize("hostile", sorted(HOSTILE))
def test_csv_neutralises_cells_that_a_spreadsheet_would_run_as_formulas(
    telemetry: Path, hostile: str
) -> None:
    import csv
    import io

    hand_edited(telemetry, hostile, hostile, hostile, hostile)
    result = RUNNER.invoke(app, ["report", "--telemetry", str(telemetry), "--csv"])
    assert result.exit_code == 0
    cells = [
        c for row in csv.reader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"))) for c in row
    ]
    assert HOSTILE[hostile] in cells  # role, view, field and source cells
    assert hostile not in cells
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)


def test_tables_show_hostile_ids_as_plain_text_never_markup_or_control_characters(
    telemetry: Path,
) -> None:
    hand_edited(telemetry, "[bold]sdr[/]", "[link=http://x]v[/link]", "\x1b[31mred", "crm\u202e")
    out = report("--telemetry", str(telemetry))
    assert "[bold]sdr[/]" in out
    assert "[link=http://x]v[/link]" in out
    assert "\x1b" not in out and "\u202e" not in out
    assert "␛[31mred" in out and "crm<U+202E>" in out


def test_json_holds_every_table_with_rates_as_percentages_and_null_when_undefined(
    telemetry: Path,
) -> None:
    data = json.loads(report("--telemetry", str(telemetry), "--json"))
    assert data["report"] == {"telemetry": [str(telemetry)], "since": None, "role": None}
    assert data["open_rate"] == [
        {"role": "sdr", "presented": 3, "opened": 2, "open_rate_pct": 66.7},
        {"role": "support", "presented": 2, "opened": 1, "open_rate_pct": 50.0},
    ]
    assert data["never_touched"][0] == {"view": "sdr_call_now", "field": "do_not_contact"}
    assert data["override_leaks"] == []
    assert set(data) >= {"time_to_decision", "field_attention", "flag_leaks", "daily", "actors"}


def test_several_files_combine_into_one_report(tmp_path: Path) -> None:
    sdr, support = sessions()
    write_events(tmp_path / "rep-a.db", sdr.recorded)
    write_events(tmp_path / "rep-b.db", support.recorded)
    args = ["--telemetry", str(tmp_path / "rep-a.db"), "--telemetry", str(tmp_path / "rep-b.db")]
    combined = json.loads(report(*args, "--json"))
    alone = json.loads(report("--telemetry", str(tmp_path / "rep-a.db"), "--json"))
    assert [r["role"] for r in combined["open_rate"]] == ["sdr", "support"]
    assert [r["role"] for r in alone["open_rate"]] == ["sdr"]
    assert combined["actors"][0]["actions"] == 3


def test_role_and_since_filter_what_counts(telemetry: Path) -> None:
    sdr_only = json.loads(report("--telemetry", str(telemetry), "--role", "sdr", "--json"))
    assert [r["role"] for r in sdr_only["open_rate"]] == ["sdr"]
    assert [v["view"] for v in sdr_only["override_by_view"]] == ["sdr_call_now"]
    later = json.loads(report("--telemetry", str(telemetry), "--since", "2026-11-03", "--json"))
    assert later["open_rate"] == [] and later["daily"] == []
    empty = report("--telemetry", str(telemetry), "--since", "2026-11-03")
    assert "No events match" in empty


def run_main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    old = sys.argv
    sys.argv = ["c360", *args]
    try:
        main()
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    finally:
        sys.argv = old
    return code, capsys.readouterr().err


def test_other_schema_version_truncated_and_non_sqlite_files_get_one_sentence_and_exit_1(
    telemetry: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from c360tui.cli.app import err_console

    # A console wider than any message: a wrap inside a long temp path ("missing.<newline>db")
    # would read as two sentences, depending only on how long pytest's temp dir name is.
    monkeypatch.setattr(err_console, "width", 400)
    other = tmp_path / "v2.db"
    other.write_bytes(telemetry.read_bytes())
    with sqlite3.connect(other) as conn:
        conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    truncated = tmp_path / "cut.db"
    truncated.write_bytes(telemetry.read_bytes()[:5000])
    text = tmp_path / "notes.db"
    text.write_text("rep notes, not a database\n", encoding="utf-8")
    cases = {
        other: "schema version 2",
        truncated: "truncated",
        text: "not a SQLite file",
        tmp_path / "missing.db": "No telemetry file",
    }
    for path, words in cases.items():
        code, err = run_main(["report", "--telemetry", str(path)], capsys)
        assert code == 1
        sentence = " ".join(err.split())  # the console wraps long lines
        assert words in sentence
        assert sentence.startswith("error: ") and sentence.endswith(".")
        assert "Traceback" not in err and sentence.count(". ") == 0  # one sentence


def test_csv_and_json_together_are_refused(
    telemetry: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run_main(["report", "--telemetry", str(telemetry), "--csv", "--json"], capsys)
    assert code == 1 and "one of --json and --csv" in err


def test_reading_does_not_block_a_writer_appending_to_the_same_file(telemetry: Path) -> None:
    ctx = Context("S9", "rep", "rep-c", role="csm", view="csm_at_risk")
    with open_reader(telemetry) as reader:
        rows = reader.connection.execute("SELECT id FROM events")  # a read transaction stays open
        assert rows.fetchone() is not None
        writer = TelemetryWriter(telemetry)
        writer.record(ScreenOpened(ctx, "csm"))
        assert writer.flush(timeout=5.0)
        writer.close()
        assert writer.committed == 1 and writer.error is None
    with open_reader(telemetry) as reader:
        assert any(r.ctx.session_id == "S9" for r in reader.events())


def test_an_unknown_role_is_one_sentence_and_exit_1(
    telemetry: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run_main(["report", "--role", "sales", "--telemetry", str(telemetry)], capsys)
    assert code == 1
    assert err.strip() == "error: --role 'sales' is not a role; choose one of support, sdr, csm."
