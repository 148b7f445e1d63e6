"""Opening the app: `launch` (what `c360`, `c360 support|sdr|csm` and `c360 demo` run) and the
plain command lines that may skip typer.

Nothing here imports typer: its option coercion imports pydantic and builds a validator per
option, ~100-150 ms of CPU before the first paint. `quick_request` reads the command lines a rep
types every morning (`c360 support --db PATH`); anything else, `--help` included, goes to typer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from c360tui.errors import C360Error

# Commands whose options are exactly the five below (see cli/cmd_tui.py).
QUICK_COMMANDS = ("support", "sdr", "csm")
_PATH_OPTIONS = {"--db": "db", "--telemetry": "telemetry", "--specs": "specs"}
_AS_OF = "--as-of"
_NO_TELEMETRY = "--no-telemetry"


@dataclass(frozen=True, slots=True)
class LaunchRequest:
    """A role's screen and the options of the command line that asked for it."""

    start: str
    paths: dict[str, Path] = field(default_factory=dict)
    no_telemetry: bool = False
    as_of: str | None = None


def quick_request(argv: Sequence[str]) -> LaunchRequest | None:
    """What a plain `c360 [support|sdr|csm] [options]` asks for, or None to let typer decide.

    Plain means: bare `c360` (the launcher), or one of QUICK_COMMANDS followed only by its own
    options, each given once as `--opt VALUE` or `--opt=VALUE` with a value not starting with "-".
    """
    if not argv:
        return LaunchRequest("launcher")
    command, *rest = argv
    if command not in QUICK_COMMANDS:
        return None
    paths: dict[str, Path] = {}
    values: dict[str, str] = {}
    no_telemetry = False
    index = 0
    while index < len(rest):
        name, equals, value = rest[index].partition("=")
        index += 1
        if name == _NO_TELEMETRY and not equals and not no_telemetry:
            no_telemetry = True
            continue
        if (name not in _PATH_OPTIONS and name != _AS_OF) or name in values:
            return None
        if not equals:
            if index >= len(rest):
                return None
            value, index = rest[index], index + 1
        if not value or value.startswith("-"):
            return None
        values[name] = value
    for option, key in _PATH_OPTIONS.items():
        if option in values:
            paths[key] = Path(values[option])
    return LaunchRequest(command, paths, no_telemetry, values.get(_AS_OF))


def run_request(request: LaunchRequest) -> None:
    """Open the screen a quick command line asked for, as its typer command would."""
    launch(
        request.start,
        db=request.paths.get("db"),
        telemetry=request.paths.get("telemetry"),
        no_telemetry=request.no_telemetry,
        specs=request.paths.get("specs"),
        as_of=request.as_of,
        require_store=request.start != "launcher",
    )


def parse_clock(as_of: str | None) -> Callable[[], datetime]:
    """The app clock: the real time, or a fixed ISO instant (timezone required) for replays."""
    if as_of is None:
        return lambda: datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(as_of.replace("Z", "+00:00"))
    except ValueError:
        raise C360Error(
            f"--as-of {as_of!r} is not an ISO time; write 2026-11-30T15:00:00Z."
        ) from None
    if moment.tzinfo is None:
        raise C360Error(f"--as-of {as_of!r} has no time zone; add Z or an offset such as +01:00.")
    return lambda: moment


def launch(
    start: str,
    *,
    db: Path | None = None,
    telemetry: Path | None = None,
    no_telemetry: bool = False,
    specs: Path | None = None,
    as_of: str | None = None,
    require_store: bool = True,
) -> None:
    """Open the app on `start` (launcher, support, sdr or csm) and block until it quits.

    Freshness is judged as of `as_of`, else now. Before the user has a store of their own, the
    demo's is opened with its telemetry and judged as of the sample's date (and said so), so
    `c360 demo` then `c360 support` shows the sample rather than an error.
    """
    from c360tui.settings import Settings, demo_dir, demo_note, sample_as_of

    settings = Settings()
    db_path, demo = settings.store_to_read(db)
    if demo:
        as_of = as_of or sample_as_of()
        _say(demo_note(as_of))
        if telemetry is None and settings.telemetry is None:
            telemetry = demo_dir() / "telemetry.db"
    clock = parse_clock(as_of)
    if require_store:
        from c360tui.store.engine import connect

        connect(db_path, create=False).close()  # a missing or foreign file: one sentence, now
    specs_dir = settings.specs_dir(specs)
    telemetry_path = None if no_telemetry else settings.telemetry_path(telemetry)
    recorder = None
    if telemetry_path is not None:
        from c360tui.telemetry.writer import TelemetryWriter

        recorder = TelemetryWriter(telemetry_path)
    from c360tui.tui.app import C360App

    try:
        C360App(
            db_path,
            specs_dir,
            recorder,
            clock,
            start=start,
            telemetry_path=telemetry_path,
        ).run()
    finally:
        if recorder is not None:
            recorder.close()


def _say(message: str) -> None:
    """One line on stderr before the screen opens (it is there again when the app quits)."""
    import sys

    print(message, file=sys.stderr)
