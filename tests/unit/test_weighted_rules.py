"""Weighted match rules (min_score): swapped names, missing values and vetoes, on a small spec."""

from __future__ import annotations

from typing import Any

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


def test_a_different_first_name_still_vetoes() -> None:
    spec = spec_with(FIRST, LAST, DOB)
    left = {"first_name": "jock", "last_name": "wilde", "dob": "19001220"}
    right = {"first_name": "ethan", "last_name": "wilde", "dob": "19001220"}
    assert not linked(spec, left, right)
