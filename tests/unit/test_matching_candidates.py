"""A weighted rule's candidate look-up in big blocks misses no pair `may_fire` would pass."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from c360tui.core.blocking import FieldTable
from c360tui.core.identity_spec import IdentitySpec, MatchRule, parse_identity_spec
from c360tui.core.matching import RuleMatcher
from c360tui.core.records import AttrValue, RecordKey, SourceRecord
from c360tui.core.resolution import resolve

SPEC_PATH = Path(__file__).resolve().parents[2] / "specs" / "identity.toml"
SPEC = parse_identity_spec(SPEC_PATH.read_text(encoding="utf-8"))
PERSON_EVIDENCE = next(rule for rule in SPEC.rules if rule.name == "person_evidence")

# few values per field, so that equal values, swapped names and missing ones all occur
NAMES = st.sampled_from(["ann", "lee", "bob", "robert", "smith", "smyth", "jo", None])
PEOPLE = st.lists(
    st.fixed_dictionaries(
        {
            "first_name": NAMES,
            "last_name": NAMES,
            "dob": st.sampled_from(["1980-01-02", "1980-01-03", "1981-01-02", None]),
            "national_id": st.sampled_from(["123456780", "123456708", "987654321", None]),
            "address": st.sampled_from(["1 main st", "1 main street", "9 high rd", None]),
        }
    ),
    min_size=2,
    max_size=40,
)


def records(people: list[dict[str, str | None]]) -> list[SourceRecord]:
    return [
        SourceRecord("crm", "crm_contacts", f"r{i:03}", None,
                     {k: v for k, v in person.items() if v is not None})
        for i, person in enumerate(people)
    ]  # fmt: skip


def check_candidates(
    rule: MatchRule, spec: IdentitySpec, people: list[dict[str, str | None]]
) -> None:
    table = FieldTable.of(records(people), spec, "US")
    matcher = RuleMatcher(rule, table, spec)
    signatures = list(dict.fromkeys(matcher.signature(i) for i in range(table.size)))
    masks = [matcher.presence(s) for s in signatures]
    later = matcher.later_candidates(signatures, masks)
    for a, candidates in enumerate(later):
        assert candidates == sorted(set(candidates))
        assert all(b > a for b in candidates)
        passing = [
            b
            for b in range(a + 1, len(signatures))
            if matcher.may_fire(signatures[a], signatures[b], masks[a] & masks[b])
        ]
        assert set(passing) <= set(candidates)


@settings(max_examples=300, deadline=None)
@given(PEOPLE)
def test_the_shipped_person_rule_finds_every_pair_may_fire_passes(people: list) -> None:
    check_candidates(PERSON_EVIDENCE, SPEC, people)


def swapped_names_spec() -> IdentitySpec:
    """Names that must agree (directly or swapped) and a required id."""
    return IdentitySpec.model_validate(
        {
            "fields": {"first_name": "first_name", "last_name": "name", "dob": "id",
                       "national_id": "id", "address": "address"},
            "rules": [{
                "name": "weighted", "kind": "person", "min_score": 20,
                "blocking": [["last_name"]],
                "compare": [
                    {"field": "first_name", "method": "name", "swap_with": "last_name",
                     "penalty": 2, "veto": True, "levels": [{"at": 1.0, "weight": 7}]},
                    {"field": "last_name", "method": "fuzzy", "scorer": "jaro_winkler",
                     "threshold": 0.88, "swap_with": "first_name", "penalty": 2,
                     "levels": [{"at": 1.0, "weight": 8}]},
                    {"field": "dob", "method": "normalized", "weight": 12, "penalty": 4},
                ],
            }],
        }
    )  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(PEOPLE)
def test_swapped_names_and_vetoes_find_every_pair_may_fire_passes(people: list) -> None:
    spec = swapped_names_spec()
    check_candidates(spec.rules[0], spec, people)


def test_a_big_block_of_one_surname_links_only_the_same_person() -> None:
    # 40 billing records of one surname (more than a block compares pair by pair): the two with
    # the same name at nearly the same address are linked, no one else
    people: list[dict[str, AttrValue]] = [
        {"first_name": f"name{i:02}", "last_name": "smith", "address": f"{i} elm st"}
        for i in range(40)
    ]
    people.append({"first_name": "name07", "last_name": "smith", "address": "7 elm street"})
    rows = [
        SourceRecord("billing", "billing_accounts", f"b{i:02}", None, dict(person))
        for i, person in enumerate(people)
    ]
    result = resolve(rows, SPEC, region="US")
    assert result.stats.customers == 40
    (merge,) = [m for items in result.merges.values() for m in items]
    assert {merge.left, merge.right} == {
        RecordKey("billing_accounts", "b07"),
        RecordKey("billing_accounts", "b40"),
    }
    assert merge.rule == "person_evidence"


@settings(max_examples=200, deadline=None)
@given(PEOPLE)
def test_weighted_eligibility_is_every_record_whose_present_fields_reach_min_score(
    people: list,
) -> None:
    table = FieldTable.of(records(people), SPEC, "US")
    matcher = RuleMatcher(PERSON_EVIDENCE, table, SPEC)
    expected = [
        i
        for i in range(table.size)
        if sum(
            c.best_weight
            for column, c in zip(matcher.columns, PERSON_EVIDENCE.compare, strict=False)
            if column[i] is not None
        )
        >= (PERSON_EVIDENCE.min_score or 0)
    ]
    assert matcher.eligible(table.size) == expected
