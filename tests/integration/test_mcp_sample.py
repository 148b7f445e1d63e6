"""End to end on generated sample data: `c360 sample`, `c360 ingest`, then an MCP client session.

An agent finds a sample customer by the email in a CRM export row and reads every view; each
view validates against the committed schema and its verdict equals what `c360 profile --json`
(the decision view the screens render) says for the same customer, view and as-of time.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import jsonschema
from mcp import ClientSession
from test_mcp_stdio import mcp_session, run_session, schema, structured
from typer.testing import CliRunner

from c360tui.cli import app, cmd_agent  # noqa: F401  (registers the agent commands)

AS_OF = "2026-11-30T15:00:00Z"


def cli(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_an_agent_reads_sample_customers_like_the_screens_do(tmp_path: Path) -> None:
    exports, db = tmp_path / "exports", tmp_path / "c360.db"
    cli("sample", "--customers", "60", "--seed", "3", "--out", str(exports), "--as-of", AS_OF)
    cli("ingest", str(exports), "--db", str(db))
    with (exports / "crm_contacts.csv").open(encoding="utf-8", newline="") as handle:
        emails = [row["email"] for row in csv.DictReader(handle) if "@" in row["email"]][:5]
    assert emails
    screen: dict[tuple[str, str], Any] = {}
    served: dict[tuple[str, str], Any] = {}

    async def body() -> None:
        async with mcp_session(db, "--no-telemetry") as session:
            views = structured(await session.call_tool("list_views", {}))
            names = [v["name"] for v in views["views"]]
            for email in emails:
                customer_id = await first_candidate(session, email)
                for name in names:
                    view = structured(
                        await session.call_tool(
                            "get_decision_view", {"customer_id": customer_id, "view": name}
                        )
                    )
                    jsonschema.validate(view, schema("decision_view"))
                    served[(customer_id, name)] = view["agent"]

    run_session(body)
    for customer_id, name in served:
        printed = cli(
            "profile", customer_id, "--view", name, "--as-of", AS_OF, "--json", "--db", str(db)
        )
        screen[(customer_id, name)] = json.loads(printed)["agent"]
    assert served == screen
    # the sample data has its traps: some verdicts must block an agent, with reasons
    blocked = [verdict for verdict in served.values() if not verdict["ready"]]
    assert blocked and all(verdict["reasons"] for verdict in blocked)


async def first_candidate(session: ClientSession, email: str) -> str:
    found = structured(await session.call_tool("find_customers", {"query": email}))
    assert found["candidates"], email
    customer_id: str = found["candidates"][0]["customer_id"]
    return customer_id
