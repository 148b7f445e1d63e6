"""Commands for agents: `c360 mcp` (the MCP server) and `c360 schema` (the JSON contract files)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from c360tui.cli.app import app, err_console
from c360tui.cli.options import AsOfOption, DbOption, SpecsOption, parse_as_of
from c360tui.errors import C360Error

DEFAULT_PORT = 8360
SCHEMA_DIR = Path("docs") / "schema"


@app.command("mcp")
def mcp_command(
    http: Annotated[
        bool,
        typer.Option("--http", help="Serve streamable HTTP on 127.0.0.1 instead of stdio."),
    ] = False,
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="The HTTP port (with --http).")
    ] = DEFAULT_PORT,
    allow_actions: Annotated[
        bool,
        typer.Option(
            "--allow-actions",
            help="Offer the record_action tool (writes action_taken telemetry as the agent).",
        ),
    ] = False,
    db: DbOption = None,
    specs: SpecsOption = None,
    telemetry: Annotated[
        Path | None,
        typer.Option(
            "--telemetry", help="The telemetry file (default: user data dir; C360_TELEMETRY)."
        ),
    ] = None,
    no_telemetry: Annotated[
        bool, typer.Option("--no-telemetry", help="Record no telemetry for this server.")
    ] = False,
    as_of: AsOfOption = None,
) -> None:
    """Serve the customer data to an MCP-capable agent (stdio by default).

    Tools: find_customers, get_decision_view, get_profile, list_views, and record_action with
    --allow-actions. The contract and a client configuration: docs/agent-contract.md.

    Example: c360 mcp --db ~/c360.db --allow-actions
    """
    from c360tui.agent.server import build_server, serve
    from c360tui.agent.service import AgentService
    from c360tui.settings import Settings
    from c360tui.specs_io import load_sources, load_views
    from c360tui.store import open_store
    from c360tui.telemetry.events import Context, EndReason, SessionEnd, SessionStart
    from c360tui.telemetry.writer import NullWriter, Recorder, TelemetryWriter

    clock = _clock(as_of)
    settings = Settings()
    specs_dir = settings.specs_dir(specs)
    views = load_views(specs_dir)
    sources = load_sources(specs_dir)
    db_path = settings.db_path(db)
    if not db_path.exists():
        raise C360Error(f"There is no c360 database at {db_path}; run `c360 ingest` first.")
    recorder: Recorder = (
        NullWriter() if no_telemetry else TelemetryWriter(settings.telemetry_path(telemetry))
    )
    ctx = Context.start(actor="agent", rep=agent_id())
    store = open_store(db_path, create=False, region=sources.default_region)
    try:
        from c360tui import __version__

        recorder.record(SessionStart(ctx, __version__))
        service = AgentService(store, views, clock, sources=sources, recorder=recorder, ctx=ctx)
        server = build_server(service, allow_actions=allow_actions)
        if http:
            err_console.print(
                f"c360 MCP server on http://127.0.0.1:{port}/mcp (ctrl+c to stop)", markup=False
            )
        reason: EndReason = "quit"
        try:
            serve(server, "streamable-http" if http else "stdio", port=port)
        except KeyboardInterrupt:
            reason = "interrupted"
        recorder.record(SessionEnd(ctx, reason))
    finally:
        recorder.close()
        store.close()


def agent_id() -> str:
    """The pseudonymous id an agent's telemetry carries: "agent-" and a hash of the OS user."""
    from c360tui.telemetry.events import default_rep_id

    return "agent-" + default_rep_id().removeprefix("rep-")


def _clock(as_of: str | None) -> Callable[[], datetime]:
    """A fixed clock for --as-of (deterministic answers), else the current UTC time per call."""
    if as_of is None:
        return lambda: datetime.now(UTC)
    moment = parse_as_of(as_of)
    return lambda: moment


@app.command("schema")
def schema_command(
    out: Annotated[
        Path, typer.Option("--out", help="The directory to write the schema files into.")
    ] = SCHEMA_DIR,
    check: Annotated[
        bool,
        typer.Option("--check", help="Write nothing; exit 1 if the files are out of date."),
    ] = False,
) -> None:
    """Write the JSON Schemas of the agent contract (decision view, customer profile).

    Example: c360 schema --out docs/schema
    """
    from c360tui.agent.contract import outdated_schemas, write_schemas

    if check:
        outdated = outdated_schemas(out)
        if outdated:
            raise C360Error(
                f"The schemas in {out} are out of date ({', '.join(outdated)}); "
                f"run `c360 schema --out {out}`."
            )
        typer.echo(f"The schemas in {out} are up to date.")
        return
    for path in write_schemas(out):
        typer.echo(f"Wrote {path}")
