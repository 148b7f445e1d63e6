"""The committed JSON Schemas: up to date with the models, and they hold what the models emit."""

from __future__ import annotations

import copy
import json
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from c360tui.agent.contract import CONTRACTS, json_schema, outdated_schemas, schema_path
from c360tui.agent.profile import build_profile
from c360tui.cli import app, cmd_agent  # noqa: F401  (registers `c360 schema`)
from c360tui.core.customer import Candidate, Provenance, ReconciledAttribute, ResolvedCustomer
from c360tui.core.decision import build_decision_view
from c360tui.core.view_spec import ViewSpec

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_DIR = ROOT / "docs" / "schema"
NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)


def committed(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(schema_path(SCHEMA_DIR, name).read_text(encoding="utf-8"))
    return loaded


def view_spec(name: str) -> ViewSpec:
    return ViewSpec.model_validate(tomllib.loads((ROOT / "specs" / f"{name}.toml").read_text()))


def doubtful() -> ResolvedCustomer:
    crm = Provenance("crm", "crm_contacts", "003G", NOW - timedelta(days=1))
    bill = Provenance("billing", "billing_accounts", "BA-7", NOW - timedelta(days=30))
    return ResolvedCustomer(
        customer_id="C-DOUBT",
        attributes={
            "phone": ReconciledAttribute(
                "phone",
                "source_priority",
                "conflicted",
                None,
                contenders=(Candidate("+14155550177", crm), Candidate("+14155550188", bill)),
                reason="crm and billing disagree",
            ),
            "plan": ReconciledAttribute(
                "plan", "source_priority", "unverified", Candidate("enterprise", crm)
            ),
            "payment_status": ReconciledAttribute(
                "payment_status", "source_priority", "resolved", Candidate("current", bill)
            ),
            "weekly_usage": ReconciledAttribute(
                "weekly_usage", "source_priority", "resolved", Candidate([1.0, 0.5], crm)
            ),
        },
    )


def test_committed_schemas_are_up_to_date() -> None:
    assert outdated_schemas(SCHEMA_DIR) == [], "run `c360 schema --out docs/schema` and commit"


@pytest.mark.parametrize("name", sorted(CONTRACTS))
def test_schemas_are_versioned_valid_json_schema(name: str) -> None:
    schema = committed(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == f"urn:c360tui:schema:{name}:v2"
    assert schema["properties"]["schema_version"]["const"] == "2"
    assert "schema_version" in schema["required"]


@pytest.mark.parametrize("view", ["support_close_case", "sdr_call_now", "csm_at_risk"])
def test_every_decision_view_validates(view: str) -> None:
    decision = build_decision_view(view_spec(view), doubtful(), NOW)
    document = json.loads(decision.model_dump_json())
    jsonschema.validate(document, committed("decision_view"))
    assert document["agent"]["ready"] is False and document["agent"]["reasons"]


def test_profile_validates_and_the_schema_refuses_a_bare_value() -> None:
    profile = build_profile(doubtful(), NOW, view=view_spec("support_close_case"))
    document = json.loads(profile.model_dump_json())
    schema = committed("customer_profile")
    jsonschema.validate(document, schema)
    bare = copy.deepcopy(document)
    bare["attributes"]["plan"] = "enterprise"  # a value without its trust state
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bare, schema)
    untrusted = copy.deepcopy(document)
    del untrusted["attributes"]["plan"]["trust"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(untrusted, schema)


def test_a_future_version_is_refused() -> None:
    decision = build_decision_view(view_spec("support_close_case"), doubtful(), NOW)
    document = json.loads(decision.model_dump_json())
    document["schema_version"] = str(int(document["schema_version"]) + 1)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, json_schema("decision_view"))


def test_schema_command_writes_and_checks(tmp_path: Path) -> None:
    runner = CliRunner()
    stale = runner.invoke(app, ["schema", "--out", str(tmp_path), "--check"])
    assert stale.exit_code != 0
    wrote = runner.invoke(app, ["schema", "--out", str(tmp_path)])
    assert wrote.exit_code == 0, wrote.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "customer_profile.schema.json",
        "decision_view.schema.json",
    ]
    fresh = runner.invoke(app, ["schema", "--out", str(tmp_path), "--check"])
    assert fresh.exit_code == 0 and "up to date" in fresh.output


def test_the_documented_examples_follow_the_schemas() -> None:
    text = (ROOT / "docs" / "agent-contract.md").read_text(encoding="utf-8")
    blocks = [b.split("\n```", 1)[0] for b in text.split("```json\n")[1:]]
    documents = [json.loads(b) for b in blocks if b.startswith('{\n  "schema_version"')]
    view, profile = documents
    jsonschema.validate(view, committed("decision_view"))
    jsonschema.validate(profile, committed("customer_profile"))
    assert view["agent"]["ready"] is False and profile["attributes"]["phone"]["value"] is None
