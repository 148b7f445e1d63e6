"""The MCP server in-process (the SDK's own Client on an MCPServer): tools, guidance, failures."""

from __future__ import annotations

import tomllib
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import anyio
from mcp import Client
from mcp.types import TextContent

from c360tui.agent.server import build_server
from c360tui.agent.service import AgentService
from c360tui.core.customer import Candidate, Provenance, ReconciledAttribute, ResolvedCustomer
from c360tui.core.view_spec import ViewSpec
from c360tui.errors import C360Error
from c360tui.store import SearchHit

SPECS = Path(__file__).resolve().parents[2] / "specs"
NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
SUPPORT = ViewSpec.model_validate(
    tomllib.loads((SPECS / "support_close_case.toml").read_text(encoding="utf-8"))
)


class FakeStore:
    """The three Store methods the service reads; two ids fail the way a real store can."""

    region = "US"

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        return [SearchHit("C-1", "Ada Lovelace", "Engines", "email", f"email {query}", 1.0)]

    def load_customer(self, customer_id: str) -> ResolvedCustomer | None:
        if customer_id == "C-DAMAGED":
            raise C360Error("The store is damaged; re-run `c360 ingest`.")
        if customer_id == "C-BUG":
            raise RuntimeError("secret internal detail")
        if customer_id != "C-1":
            return None
        bill = Provenance("billing", "billing_accounts", "BA-1", NOW - timedelta(days=1))
        return ResolvedCustomer(
            "C-1",
            attributes={
                "plan": ReconciledAttribute(
                    "plan", "source_priority", "resolved", Candidate("growth", bill)
                )
            },
        )


def client_session(allow_actions: bool, body: Callable[[Client], Awaitable[None]]) -> None:
    service = AgentService(FakeStore(), {"support_close_case": SUPPORT}, lambda: NOW)  # type: ignore[arg-type]
    server = build_server(service, allow_actions=allow_actions)

    async def run() -> None:
        with anyio.fail_after(30):
            async with Client(server) as client:
                await body(client)

    anyio.run(run)


def text(result: Any) -> str:
    block = result.content[0]
    assert isinstance(block, TextContent)
    return block.text


def test_tool_descriptions_say_when_to_act_and_when_to_hand_over() -> None:
    async def body(client: Client) -> None:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
        assert set(tools) == {"find_customers", "get_decision_view", "get_profile", "list_views"}
        view_tool = tools["get_decision_view"]
        assert "agent.ready true: you may take" in (view_tool.description or "")
        assert "you must not act" in (view_tool.description or "")
        assert view_tool.output_schema is not None
        assert {"agent", "recommendation", "signals"} <= set(view_tool.output_schema["properties"])
        assert view_tool.annotations is not None and view_tool.annotations.read_only_hint

    client_session(False, body)


def test_record_action_is_offered_only_when_allowed() -> None:
    async def body(client: Client) -> None:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
        action = tools["record_action"]
        assert "Only call this when get_decision_view says agent.ready is true" in (
            action.description or ""
        )
        assert action.annotations is not None and action.annotations.read_only_hint is False

    client_session(True, body)


def test_store_failures_are_tool_errors_and_the_server_keeps_serving() -> None:
    async def body(client: Client) -> None:
        args = {"view": "support_close_case"}
        damaged = await client.call_tool("get_decision_view", {"customer_id": "C-DAMAGED", **args})
        assert damaged.is_error and "The store is damaged" in text(damaged)
        bug = await client.call_tool("get_decision_view", {"customer_id": "C-BUG", **args})
        assert bug.is_error and "secret internal detail" not in text(bug)
        good = await client.call_tool("get_decision_view", {"customer_id": "C-1", **args})
        assert not good.is_error and good.structured_content is not None
        assert good.structured_content["customer_id"] == "C-1"

    client_session(False, body)
