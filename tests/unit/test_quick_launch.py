"""The `c360` entry point: plain screen command lines skip typer, everything else goes to it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from c360tui.tui.launch import LaunchRequest, quick_request


def test_bare_c360_opens_the_launcher() -> None:
    assert quick_request([]) == LaunchRequest("launcher")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["support"], LaunchRequest("support")),
        (
            ["sdr", "--db", "a.db", "--telemetry=t.db", "--no-telemetry"],
            LaunchRequest("sdr", {"db": Path("a.db"), "telemetry": Path("t.db")}, True),
        ),
        (
            ["csm", "--as-of", "2026-11-30T15:00:00Z", "--specs", "specs"],
            LaunchRequest("csm", {"specs": Path("specs")}, False, "2026-11-30T15:00:00Z"),
        ),
    ],
)
def test_plain_screen_command_lines_are_read_here(argv: list[str], expected: LaunchRequest) -> None:
    assert quick_request(argv) == expected


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["support", "--help"],
        ["support", "--db"],  # missing value: typer says so
        ["support", "--db", "--no-telemetry"],  # a value that looks like an option
        ["support", "--db="],
        ["support", "--db", "a.db", "--db", "b.db"],  # given twice
        ["support", "--no-telemetry", "--no-telemetry"],
        ["support", "extra"],
        ["support", "--bogus"],
        ["demo"],
        ["ingest", "data"],
        ["version"],
    ],
)
def test_everything_else_goes_to_typer(argv: list[str]) -> None:
    assert quick_request(argv) is None


def run(*args: str, code: str | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "c360tui", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def test_a_quick_launch_error_is_one_sentence_and_exit_1(tmp_path: Path) -> None:
    done = run("support", "--db", str(tmp_path / "missing.db"))
    assert done.returncode == 1
    assert done.stderr.startswith("error: There is no c360 database at ")
    assert "Traceback" not in done.stderr
    bad_clock = run("sdr", "--db", str(tmp_path), "--as-of", "yesterday")
    assert bad_clock.returncode == 1
    assert "--as-of 'yesterday' is not an ISO time" in bad_clock.stderr


def test_the_typer_path_keeps_its_own_errors() -> None:
    done = run("support", "--bogus")
    assert done.returncode == 2
    assert "No such option: --bogus" in done.stderr


def test_the_path_to_a_screen_imports_neither_typer_nor_pydantic() -> None:
    code = (
        "import sys\n"
        "from c360tui.entry import main\n"
        "from c360tui.tui.launch import launch\n"
        "import c360tui.settings, c360tui.tui.app, c360tui.tui.screens.support\n"
        "import c360tui.tui.screens.sdr, c360tui.telemetry.writer\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'typer', 'pydantic', 'sqlmodel'}))"
    )
    done = run(code=code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
