"""Agent tool latency: the service in-process, and the same calls over `c360 mcp` stdio.

Generates sample data (`c360 sample`), ingests it into a temporary store, then times each tool
`--calls` times: first as plain AgentService calls (the work c360 does), then through the MCP
SDK's client over stdio (what an agent waits for, SDK and JSON-RPC included), and the server's
start-up to the first answer. Run: python -m benchmarks.bench_mcp [--customers N] [--calls N]
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import anyio
from mcp import ClientSession, StdioServerParameters, stdio_client
from typer.testing import CliRunner

from c360tui.agent.service import AgentService
from c360tui.cli import app, cmd_agent  # noqa: F401  (registers the agent commands)
from c360tui.specs_io import load_sources, load_views
from c360tui.store import open_store

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
AS_OF = "2026-11-30T15:00:00Z"
VIEW = "support_close_case"


def cli(*args: str) -> None:
    result = CliRunner().invoke(app, list(args))
    if result.exit_code != 0:
        raise SystemExit(f"c360 {' '.join(args)} failed: {result.output}")


def line(name: str, samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"{name:<28} p50 {statistics.median(ordered):8.2f} ms   p99 {p99:8.2f} ms"


def timed(call: Callable[[], object], count: int) -> list[float]:
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


async def timed_async(call: Callable[[], Awaitable[object]], count: int) -> list[float]:
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=500)
    parser.add_argument("--calls", type=int, default=100)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        exports, db = Path(folder) / "exports", Path(folder) / "c360.db"
        cli("sample", "-n", str(options.customers), "--seed", "3", "--out", str(exports))
        cli("ingest", str(exports), "--db", str(db))
        with (exports / "crm_contacts.csv").open(encoding="utf-8", newline="") as handle:
            email = next(row["email"] for row in csv.DictReader(handle) if "@" in row["email"])
        print(f"customers: {options.customers}, calls per tool: {options.calls}")
        now = datetime.fromisoformat(AS_OF.replace("Z", "+00:00")).astimezone(UTC)
        with open_store(db, create=False) as store:
            service = AgentService(
                store, load_views(SPECS), lambda: now, sources=load_sources(SPECS)
            )
            customer_id = service.find_customers(email).candidates[0].customer_id
            print("in-process (AgentService):")
            for name, call in (
                ("find_customers", lambda: service.find_customers(email)),
                ("get_decision_view", lambda: service.get_decision_view(customer_id, VIEW)),
                ("get_profile", lambda: service.get_profile(customer_id, VIEW)),
            ):
                print("  " + line(name, timed(call, options.calls)))
        anyio.run(over_stdio, db, email, customer_id, options.calls)


async def over_stdio(db: Path, email: str, customer_id: str, calls: int) -> None:
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "c360tui", "mcp", "--db", str(db), "--as-of", AS_OF, "--no-telemetry"],
        cwd=str(ROOT),
    )
    start = time.perf_counter()
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        await session.list_tools()
        ready = time.perf_counter() - start
        print(f"over stdio (MCP SDK client): start-up to tools listed {ready:.2f} s")
        view_args = {"customer_id": customer_id, "view": VIEW}
        for name, arguments in (
            ("find_customers", {"query": email}),
            ("get_decision_view", view_args),
            ("get_profile", view_args),
        ):
            samples = await timed_async(lambda n=name, a=arguments: session.call_tool(n, a), calls)
            print("  " + line(name, samples))


if __name__ == "__main__":
    main()
