"""The person-records spec the benchmark runs on FEBRL (benchmarks/identity_persons.toml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from c360tui.core.identity_spec import IdentitySpec, parse_identity_spec
from c360tui.core.records import AttrValue, RecordKey, SourceRecord
from c360tui.core.resolution import resolve

SPEC_PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "identity_persons.toml"


@pytest.fixture(scope="module")
def spec() -> IdentitySpec:
    return parse_identity_spec(SPEC_PATH.read_text(encoding="utf-8"))


def person(record_id: str, **attributes: AttrValue) -> SourceRecord:
    return SourceRecord("register", "people", record_id, None, dict(attributes))


BASE: dict[str, AttrValue] = {
    "first_name": "madison", "last_name": "dixon", "dob": "19220609", "national_id": "7161189",
    "street_number": "37", "address_1": "sanford place", "suburb": "ringwood", "postcode": "5047",
}  # fmt: skip


def same(spec: IdentitySpec, left: dict[str, AttrValue], right: dict[str, AttrValue]) -> bool:
    result = resolve([person("a", **left), person("b", **right)], spec, region="AU")
    return (
        result.assignment[RecordKey("people", "a")] == result.assignment[RecordKey("people", "b")]
    )


def test_typos_transposed_dob_and_swapped_names_link(spec: IdentitySpec) -> None:
    duplicate = BASE | {
        "first_name": "dixon", "last_name": "madisno", "dob": "19226009",
        "address_1": "sanfor d place", "suburb": "ringqood",
    }  # fmt: skip
    assert same(spec, BASE, duplicate)


def test_a_replaced_national_id_and_missing_dob_still_link(spec: IdentitySpec) -> None:
    duplicate = {k: v for k, v in BASE.items() if k != "dob"} | {"national_id": "4385775"}
    assert same(spec, BASE, duplicate)


def test_twins_at_one_address_stay_apart(spec: IdentitySpec) -> None:
    twin = BASE | {"first_name": "kylie", "national_id": "2108881"}
    assert not same(spec, BASE, twin)


def test_a_shared_name_and_address_alone_do_not_link(spec: IdentitySpec) -> None:
    # a parent and child of one name at one address: different birth dates and national ids
    other = BASE | {"dob": "19520311", "national_id": "3946937"}
    assert not same(spec, BASE, other)


def test_the_unguarded_spec_links_twins_the_guarded_one_keeps_apart(spec: IdentitySpec) -> None:
    path = SPEC_PATH.with_name("identity_persons_unguarded.toml")
    unguarded = parse_identity_spec(path.read_text(encoding="utf-8"))
    twin = BASE | {"first_name": "kylie", "national_id": "2108881"}
    assert same(unguarded, BASE, twin)
    assert not same(spec, BASE, twin)


def test_a_veto_comparison_needs_min_score(spec: IdentitySpec) -> None:
    rule = spec.rules[0].model_dump()
    rule["compare"] = [{"field": "dob", "method": "normalized", "veto": True}]
    del rule["min_score"]
    with pytest.raises(ValueError, match="has no min_score"):
        type(spec.rules[0]).model_validate(rule)
