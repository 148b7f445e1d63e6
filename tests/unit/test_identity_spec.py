"""specs/identity.toml validates, references real attributes, and bad specs are refused clearly."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from c360tui.core.identity_spec import IdentitySpec, parse_identity_spec
from c360tui.core.sources_spec import SourcesSpec

SPECS = Path(__file__).resolve().parents[2] / "specs"


def shipped() -> dict[str, Any]:
    return tomllib.loads((SPECS / "identity.toml").read_text(encoding="utf-8"))


def test_shipped_spec_reads_only_attributes_sources_define() -> None:
    spec = parse_identity_spec((SPECS / "identity.toml").read_text(encoding="utf-8"))
    sources = SourcesSpec.model_validate(
        tomllib.loads((SPECS / "sources.toml").read_text(encoding="utf-8"))
    )
    assert spec.unknown_attributes(sources.attributes) == []
    assert {"email", "phone", "dob", "address", "national_id"} <= spec.source_attributes()


def test_shipped_spec_has_business_and_person_rules() -> None:
    spec = IdentitySpec.model_validate(shipped())
    kinds = {rule.name: rule.kind for rule in spec.rules}
    assert {"same_email", "same_crm_id", "same_billing_account", "phone_and_name",
            "domain_and_full_name"} <= {n for n, k in kinds.items() if k == "business"}  # fmt: skip
    assert {"name_and_dob", "same_national_id", "last_name_dob_address"} <= {
        n for n, k in kinds.items() if k == "person"
    }
    assert {key.field for key in spec.unique_keys} == {"billing_account_id", "national_id", "dob"}


def test_unknown_attribute_is_reported() -> None:
    data = shipped()
    data["fields"]["loyalty_no"] = "id"
    spec = IdentitySpec.model_validate(data)
    assert spec.unknown_attributes(["email"])[:2] == ["address", "billing_account_id"]
    assert "loyalty_no" in spec.unknown_attributes(["email"])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["rules"][0]["compare"].append({"field": "fax"}), "uses field 'fax'"),
        (lambda d: d["rules"][3]["compare"][1].pop("threshold"), "needs a threshold"),
        (lambda d: d["rules"][0]["compare"][0].update(threshold=0.5), "takes no threshold"),
        (lambda d: d["rules"].append(dict(d["rules"][0])), "declared twice"),
        (lambda d: d["rules"][0].update(blocking=[["email:soundex"]]), "transform must be"),
        (lambda d: d["rules"][0].update(blocking=[[]]), "at least one field"),
        (lambda d: d.update(colour="blue"), "Extra inputs are not permitted"),
        (lambda d: d["unique_keys"].append({"field": "passport"}), "names field 'passport'"),
        (lambda d: d["rules"][0]["compare"][0].update(method="sounds_like"), "method"),
        (lambda d: d["rules"][0]["compare"][0].update(weight=3), "has no min_score"),
        (lambda d: d["rules"][-1].update(min_score=500), "can never fire"),
        (
            lambda d: d["rules"][-1]["compare"][0].update(
                levels=[{"at": 0.5, "weight": 1}, {"at": 0.9, "weight": 2}]
            ),
            "highest `at` down",
        ),
        (lambda d: d["rules"][-1]["compare"][0].update(swap_with="nickname"), "'nickname'"),
    ],
)
def test_bad_specs_are_refused_with_a_pointer(change: Any, message: str) -> None:
    data = shipped()
    change(data)
    with pytest.raises(ValidationError) as error:
        IdentitySpec.model_validate(data)
    assert message in str(error.value)
