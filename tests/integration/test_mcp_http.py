"""`c360 mcp --http`: streamable HTTP on 127.0.0.1, driven by the MCP SDK's own HTTP client."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import anyio
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client
from mcp_store import AS_OF_TEXT, READY, make_store

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0  # seconds for the server to start answering


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_listening(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"c360 mcp --http did not listen on port {port} in {START_TIMEOUT}s")


def test_http_transport_serves_the_same_tools_on_loopback(tmp_path: Path) -> None:
    db = make_store(tmp_path / "c360.db")
    port = free_port()
    command = [sys.executable, "-m", "c360tui", "mcp", "--http", "--port", str(port)]
    command += ["--db", str(db), "--as-of", AS_OF_TEXT, "--no-telemetry"]
    server = subprocess.Popen(
        command, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        wait_until_listening(port, server)

        async def session() -> None:
            with anyio.fail_after(60):
                async with (
                    streamable_http_client(f"http://127.0.0.1:{port}/mcp") as (read, write),
                    ClientSession(read, write) as client,
                ):
                    await client.initialize()
                    tools = {tool.name for tool in (await client.list_tools()).tools}
                    assert "get_decision_view" in tools and "record_action" not in tools
                    result = await client.call_tool(
                        "get_decision_view", {"customer_id": READY, "view": "support_close_case"}
                    )
                    assert not result.is_error
                    assert result.structured_content is not None
                    assert result.structured_content["agent"] == {"ready": True, "reasons": []}
                    missing = await client.call_tool(
                        "get_decision_view", {"customer_id": "C-NOPE", "view": "support_close_case"}
                    )
                    assert missing.is_error

        anyio.run(session)
        assert server.poll() is None, "the server must keep serving after a session ends"
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)
    banner = server.stderr.read().decode() if server.stderr else ""
    assert f"http://127.0.0.1:{port}/mcp" in banner
