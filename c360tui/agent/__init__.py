"""The agent interface: the JSON contract (contract.py, profile.py), the tool logic (service.py)
and the MCP server (server.py). See docs/agent-contract.md.

Importing this package imports nothing heavy; the MCP SDK is imported only by server.py.
"""
