"""`c360 mcp` over stdio, driven by the MCP SDK's own client as an agent would drive it.

Each test spawns `python -m c360tui mcp` on a small store (tests/integration/mcp_store.py) with a
fixed --as-of, so answers are deterministic; every session is bounded by a timeout.
"""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import jsonschema
import pytest
from mcp import ClientSession, StdioServerParameters, stdio_client
from mcp.types import CallToolResult, TextContent
from mcp_store import AS_OF_TEXT, DOUBT, READY, SPECS, make_store
from typer.testing import CliRunner

from c360tui.cli import app, cmd_agent  # noqa: F401  (registers the agent commands)
from c360tui.telemetry.reader import open_reader

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "docs" / "schema"
SESSION_TIMEOUT = 90  # seconds for one whole client session, start-up included
READ_TOOLS = {"find_customers", "get_decision_view", "get_profile", "list_views"}


def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SCHEMAS / f"{name}.schema.json").read_text())
    return loaded


@asynccontextmanager
async def mcp_session(db: Path, *more: str) -> AsyncIterator[ClientSession]:
    options = ["--as-of", AS_OF_TEXT, *more]
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "c360tui", "mcp", "--db", str(db), "--specs", str(SPECS), *options],
        cwd=str(ROOT),
        env={"C360_DEBUG": ""},
    )
    async with (
        stdio_client(params) as (read, write),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        yield session


def run_session(body: Callable[[], Awaitable[None]]) -> None:
    async def bounded() -> None:
        with anyio.fail_after(SESSION_TIMEOUT):
            await body()

    anyio.run(bounded)


def structured(result: CallToolResult) -> dict[str, Any]:
    assert not result.is_error, text_of(result)
    assert result.structured_content is not None
    # Clients without structured output read the same document as text.
    assert json.loads(text_of(result)) == result.structured_content
    return result.structured_content


def text_of(result: CallToolResult) -> str:
    block = result.content[0]
    assert isinstance(block, TextContent)
    return block.text


def screen_verdict(db: Path, customer_id: str, view: str) -> dict[str, Any]:
    """The verdict `c360 profile --json` prints: the decision view the support screen shows."""
    printed = CliRunner().invoke(
        app,
        ["profile", customer_id, "--view", view, "--as-of", AS_OF_TEXT, "--json", "--db", str(db)],
    )
    assert printed.exit_code == 0, printed.output
    verdict: dict[str, Any] = json.loads(printed.output)["agent"]
    return verdict


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return make_store(tmp_path / "c360.db")


def test_an_agent_finds_a_customer_and_reads_a_valid_view(db: Path) -> None:
    async def body() -> None:
        async with mcp_session(db, "--no-telemetry") as session:
            tools = {tool.name: tool for tool in (await session.list_tools()).tools}
            assert set(tools) == READ_TOOLS  # no record_action without --allow-actions
            guidance = tools["get_decision_view"].description or ""
            assert "agent.ready" in guidance and "Hand the customer to a person" in guidance

            found = structured(await session.call_tool("find_customers", {"query": "415.555.0100"}))
            assert found["exact"] and found["candidates"][0]["customer_id"] == READY
            assert found["candidates"][0]["why"] == "phone +14155550100"

            views = structured(await session.call_tool("list_views", {}))
            assert "support_close_case" in [v["name"] for v in views["views"]]

            for customer_id in (READY, DOUBT):
                view = structured(
                    await session.call_tool(
                        "get_decision_view",
                        {"customer_id": customer_id, "view": "support_close_case"},
                    )
                )
                jsonschema.validate(view, schema("decision_view"))
                assert view["as_of"] == AS_OF_TEXT
                assert view["agent"] == screen_verdict(db, customer_id, "support_close_case")

            profile = structured(
                await session.call_tool(
                    "get_profile", {"customer_id": DOUBT, "view": "support_close_case"}
                )
            )
            jsonschema.validate(profile, schema("customer_profile"))
            assert profile["attributes"]["phone"]["value"] is None
            assert profile["attributes"]["phone"]["trust"] == "conflicted"

    run_session(body)
    assert screen_verdict(db, DOUBT, "support_close_case") == {
        "ready": False,
        "reasons": ["tier unverified: only from crm", "payment_status stale: 30d > 7d"],
    }


BAD_CALLS: list[tuple[str, dict[str, Any], str]] = [
    ("get_decision_view", {"customer_id": "C-NOPE", "view": "support_close_case"}, "No customer"),
    ("get_decision_view", {"customer_id": READY, "view": "no_such_view"}, "No view named"),
    ("get_decision_view", {"customer_id": 42, "view": "support_close_case"}, "customer_id"),
    ("get_decision_view", {"customer_id": READY}, "view"),
    ("get_profile", {"customer_id": ["C-READY"]}, "customer_id"),
    ("find_customers", {"query": "x" * 1_000_000}, "at most 200"),
    ("find_customers", {"query": "ada", "limit": "many"}, "limit"),
    ("find_customers", {"query": None}, "query"),
    ("record_action", {"customer_id": READY}, "record_action"),
]


def test_bad_arguments_get_tool_errors_and_the_server_keeps_serving(db: Path) -> None:
    async def body() -> None:
        async with mcp_session(db, "--no-telemetry") as session:
            for tool, arguments, mention in BAD_CALLS:
                result = await session.call_tool(tool, arguments)
                assert result.is_error, (tool, mention)
                assert mention in text_of(result), (tool, text_of(result)[:300])
                # a good call right after each bad one still works
                found = structured(await session.call_tool("find_customers", {"query": "Hopper"}))
                assert [c["customer_id"] for c in found["candidates"]] == [DOUBT]

    run_session(body)


def test_actions_are_offered_only_when_allowed_and_recorded_as_the_agent(
    db: Path, tmp_path: Path
) -> None:
    telemetry = tmp_path / "telemetry.db"

    async def body() -> None:
        async with mcp_session(db, "--allow-actions", "--telemetry", str(telemetry)) as session:
            tools = {tool.name for tool in (await session.list_tools()).tools}
            assert tools == READ_TOOLS | {"record_action"}
            await session.call_tool("find_customers", {"query": "ada@engines.example"})
            await session.call_tool(
                "get_decision_view", {"customer_id": READY, "view": "support_close_case"}
            )
            done = structured(
                await session.call_tool(
                    "record_action",
                    {
                        "customer_id": READY,
                        "view": "support_close_case",
                        "action": "escalate",
                        "reason": "The customer asked for a manager.",
                    },
                )
            )
            assert (done["recommended_action"], done["override"], done["recorded"]) == (
                "resolve",
                True,
                True,
            )
            refused = await session.call_tool(
                "record_action",
                {
                    "customer_id": DOUBT,
                    "view": "support_close_case",
                    "action": "resolve",
                    "reason": "Looks fine.",
                },
            )
            assert refused.is_error
            assert "payment_status stale: 30d > 7d" in text_of(refused)
            assert "Hand this customer to a person" in text_of(refused)

    run_session(body)
    with open_reader(telemetry) as reader:
        events = list(reader.events())
    assert {e.ctx.actor for e in events} == {"agent"}
    kinds = [e.type for e in events]
    assert kinds == ["session_start", "search", "view_opened", "action_taken", "session_end"]
    action = events[3].event
    assert (action.action, action.recommended_action, action.override) == (  # type: ignore[attr-defined]
        "escalate",
        "resolve",
        True,
    )
    assert events[2].customer_id == READY and events[2].ctx.view == "support_close_case"
