"""Weighted match rules (min_score): swapped names, missing values and vetoes, on a small spec."""

from __future__ import annotations

from typing import Any

import pytest

from c360tui.core.compare import SCORERS
from c360tui.core.identity_spec import IdentitySpec
from c360tui.core.records import AttrValue, RecordKey, SourceRecord
from c360tui.core.resolution import resolve


def spec_with(*compare: dict[str, Any], min_score: float = 20) -> IdentitySpec:
    return IdentitySpec.model_validate(
        {
            "fields": {"first_name": "first_name", "last_name": "name", "dob": "id"},
            "rules": [
                {
                    "name": "weighted",
                    "kind": "person",
                    "min_score": min_score,
                    "blocking": [["last_name"], ["dob"]],
                    "compare": list(compare),
                }
            ],
        }
    )


FIRST = {
    "field": "first_name", "method": "name", "swap_with": "last_name", "penalty": 2,
    "veto": True, "levels": [{"at": 1.0, "weight": 7}],
}  # fmt: skip
LAST = {
    "field": "last_name", "method": "fuzzy", "scorer": "jaro_winkler", "threshold": 0.88,
    "swap_with": "first_name", "penalty": 2, "levels": [{"at": 1.0, "weight": 8}],
}  # fmt: skip
DOB = {"field": "dob", "method": "normalized", "weight": 12, "penalty": 4}


def linked(spec: IdentitySpec, left: dict[str, AttrValue], right: dict[str, AttrValue]) -> bool:
    records = [SourceRecord("t", "p", "a", None, left), SourceRecord("t", "p", "b", None, right)]
    result = resolve(records, spec, region="AU")
    return result.assignment[RecordKey("p", "a")] == result.assignment[RecordKey("p", "b")]


def test_names_entered_the_wrong_way_round_agree() -> None:
    spec = spec_with(FIRST, LAST, DOB)
    left = {"first_name": "jock", "last_name": "wilde", "dob": "19001220"}
    right = {"first_name": "wilde", "last_name": "jock", "dob": "19001220"}
    assert linked(spec, left, right)


def test_a_missing_first_name_is_missing_not_a_contradiction() -> None:
    # before: the missing first name was scored against the other's surname and vetoed the rule
    spec = spec_with(FIRST, LAST, DOB)
    left = {"first_name": "jock", "last_name": "wilde", "dob": "19001220"}
    right = {"last_name": "wilde", "dob": "19001220"}
    assert linked(spec, left, right)


def test_different_first_names_without_surnames_to_cross_still_veto() -> None:
    spec = spec_with(FIRST, LAST, DOB, min_score=12)
    assert not linked(
        spec, {"first_name": "jock", "dob": "1900"}, {"first_name": "amy", "dob": "1900"}
    )
    assert linked(spec, {"first_name": "jock", "dob": "1900"}, {"dob": "1900"})


def test_a_different_first_name_still_vetoes() -> None:
    spec = spec_with(FIRST, LAST, DOB)
    left = {"first_name": "jock", "last_name": "wilde", "dob": "19001220"}
    right = {"first_name": "ethan", "last_name": "wilde", "dob": "19001220"}
    assert not linked(spec, left, right)


NATIONAL_ID = {
    "field": "national_id", "method": "fuzzy", "scorer": "transposition", "threshold": 0.9,
    "penalty": 4, "veto": True, "required": True, "levels": [{"at": 0.9, "weight": 13}],
}  # fmt: skip


def id_spec(national_id: dict[str, Any]) -> IdentitySpec:
    """Surname plus a national id that must be there and agree (exact or transposed)."""
    return IdentitySpec.model_validate(
        {
            "fields": {"last_name": "name", "national_id": "id"},
            "rules": [
                {
                    "name": "same_id",
                    "kind": "person",
                    "min_score": 20,
                    "blocking": [["last_name"]],
                    "compare": [{**LAST, "swap_with": None}, national_id],
                }
            ],
        }
    )


def test_transposition_scorer_tells_a_swap_from_a_different_digit() -> None:
    transposition = SCORERS["transposition"]
    assert transposition("7161189", "7161189") == 1.0
    assert transposition("7161189", "7161819") == 0.9  # 1 and 8 swapped
    assert transposition("7161189", "1761189") == 0.9  # at the start
    assert transposition("7161189", "7161188") == 0.0  # the next number: a twin's id
    assert transposition("7161189", "7161918") == 0.0  # two swaps
    assert transposition("7161189", "716189") == 0.0


def test_a_transposed_national_id_agrees_a_different_digit_vetoes() -> None:
    spec = id_spec(NATIONAL_ID)
    base = {"last_name": "wilde", "national_id": "4981468"}
    assert linked(spec, base, base | {"national_id": "4981648"})
    assert not linked(spec, base, base | {"national_id": "4981469"})


def at_min_score(spec: IdentitySpec, min_score: float) -> IdentitySpec:
    rule = spec.rules[0].model_copy(update={"min_score": min_score})
    return spec.model_copy(update={"rules": [rule]})


def test_a_required_value_missing_on_one_side_stops_the_rule() -> None:
    base = {"last_name": "wilde", "national_id": "4981468"}
    surname_only = {"last_name": "wilde"}
    # at min_score 8 the surname alone is enough: only `required` keeps them apart
    assert linked(at_min_score(id_spec(NATIONAL_ID | {"required": False}), 8), base, surname_only)
    assert not linked(at_min_score(id_spec(NATIONAL_ID), 8), base, surname_only)


def test_required_needs_a_weighted_rule() -> None:
    rule = {"name": "r", "kind": "person", "blocking": [["dob"]]}
    rule["compare"] = [{"field": "dob", "method": "normalized", "required": True}]
    with pytest.raises(ValueError, match="has no min_score"):
        IdentitySpec.model_validate({"fields": {"dob": "id"}, "rules": [rule]})
