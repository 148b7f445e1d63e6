"""The JSON contract: versioned JSON Schemas generated from the pydantic models.

Two documents an agent reads: a decision view (`c360 profile --json`, MCP get_decision_view) and
a customer profile (MCP get_profile). Their schemas are committed in docs/schema/ and rebuilt by
`c360 schema`; a test fails when the committed files differ from what the models generate.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from c360tui.agent.profile import PROFILE_VERSION, CustomerProfile
from c360tui.core.decision_model import DECISION_VIEW_VERSION, DecisionView

DIALECT = "https://json-schema.org/draft/2020-12/schema"

# Contract name → (model, version). A change to a model that an agent would notice (a field
# removed, renamed or retyped) bumps its version; adding an optional field does not.
CONTRACTS: dict[str, tuple[type[BaseModel], str]] = {
    "decision_view": (DecisionView, DECISION_VIEW_VERSION),
    "customer_profile": (CustomerProfile, PROFILE_VERSION),
}


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of one contract (serialised form), with its id and version pinned."""
    model, version = CONTRACTS[name]
    body = model.model_json_schema(mode="serialization")
    properties = body["properties"]
    properties["schema_version"] = {
        **properties["schema_version"],
        "const": version,
        "description": "The contract version; a consumer refuses versions it does not know.",
    }
    required = body.setdefault("required", [])
    if "schema_version" not in required:
        required.insert(0, "schema_version")
    return {
        "$schema": DIALECT,
        "$id": f"urn:c360tui:schema:{name}:v{version}",
        "x-contract-version": version,
        **body,
    }


def schema_text(name: str) -> str:
    """The schema as the committed file holds it: indented JSON with a final newline."""
    return json.dumps(json_schema(name), indent=2, ensure_ascii=False) + "\n"


def schema_path(directory: Path, name: str) -> Path:
    return directory / f"{name}.schema.json"


def write_schemas(directory: Path) -> list[Path]:
    """Write every contract's schema into `directory` (created if needed); the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name in CONTRACTS:
        path = schema_path(directory, name)
        path.write_text(schema_text(name), encoding="utf-8")
        written.append(path)
    return written


def outdated_schemas(directory: Path) -> list[str]:
    """Names of contracts whose file in `directory` is missing or differs from the models."""
    outdated = []
    for name in CONTRACTS:
        path = schema_path(directory, name)
        if not path.is_file() or path.read_text(encoding="utf-8") != schema_text(name):
            outdated.append(name)
    return outdated
