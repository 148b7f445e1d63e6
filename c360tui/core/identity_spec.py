"""The identity spec (specs/identity.toml): fields, junk, unique keys, limits and match rules."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# How a field's raw value is normalised before blocking and comparison. Two kinds are derived:
# full_name reads first_name and last_name; company_domain falls back to a company email domain.
NormalizerKind = Literal[
    "email", "phone", "name", "first_name", "company", "domain", "company_domain", "full_name",
    "date", "address", "id", "text",
]  # fmt: skip
Method = Literal["exact", "normalized", "fuzzy", "name"]
Scorer = Literal["jaro_winkler", "ratio", "token_sort", "token_set", "osa", "transposition"]
BlockTransform = Literal["initial", "prefix3", "year"]
RuleKind = Literal["business", "person"]

# The source attributes each derived normaliser reads.
DERIVED_INPUTS: dict[str, tuple[str, ...]] = {
    "full_name": ("first_name", "last_name"),
    "company_domain": ("company_domain", "email"),
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Level(_Strict):
    """One agreement level of a weighted comparison: similarity at least `at` adds `weight`."""

    at: float = Field(gt=0, le=1)
    weight: float = Field(ge=0)


class Comparison(_Strict):
    """One field comparison of a rule; every comparison of a rule must hold for it to fire.

    exact: trimmed raw values equal. normalized: normalised values equal. fuzzy: a similarity
    (`scorer`, 0..1) of normalised values at least `threshold`. name: first names equal after
    nickname mapping ("bob" = "robert"), else Jaro-Winkler at least `threshold`.
    `if_missing = "pass"` makes it a guard: it only blocks the rule when both sides have a value.
    In a weighted rule (one with `min_score`) a comparison that holds adds `weight`, one that
    fails with both values present subtracts `penalty`, and a missing value adds nothing.
    `levels` (highest first) give graded weights instead: exact agreement can count more than a
    near miss. `veto = true` (weighted rules) makes two present values that agree at no level
    stop the rule whatever the rest adds up to; `required = true` (weighted rules) makes a value
    missing on either side stop it too. Scorers: jaro_winkler, ratio (edit similarity),
    token_sort and token_set (word order ignored), osa (1 - typo edits / length, a
    transposition being one edit), transposition (1.0 equal, 0.9 two neighbouring characters
    swapped, else 0.0: an id keyed with two digits swapped, not one a digit off).
    """

    field: str
    method: Method = "normalized"
    threshold: float | None = Field(default=None, gt=0, le=1)
    scorer: Scorer = "jaro_winkler"
    if_missing: Literal["fail", "pass"] = "fail"
    weight: float = Field(default=0.0, ge=0)
    penalty: float = Field(default=0.0, ge=0)
    levels: list[Level] = Field(default_factory=list)
    # also try this field on the other side: first and last names entered the wrong way round
    swap_with: str | None = None
    # weighted rules only: two present values below the lowest level stop the rule outright
    veto: bool = False
    # weighted rules only: a value missing on either side stops the rule (with veto: must agree)
    required: bool = False

    @field_validator("levels")
    @classmethod
    def _levels_descend(cls, value: list[Level]) -> list[Level]:
        ats = [level.at for level in value]
        if ats != sorted(ats, reverse=True):
            raise ValueError("levels must be listed from the highest `at` down")
        return value

    def weight_for(self, score: float) -> float:
        """The weight a similarity earns in a weighted rule; the negative penalty below all."""
        for level in self.levels:
            if score >= level.at:
                return level.weight
        if not self.levels and score >= self.min_score:
            return self.weight
        return -self.penalty

    @property
    def lowest_agreement(self) -> float:
        """The least similarity that still counts as agreement (the veto line)."""
        return self.levels[-1].at if self.levels else self.min_score

    @property
    def best_weight(self) -> float:
        return max([self.weight, *(level.weight for level in self.levels)])

    @model_validator(mode="after")
    def _threshold_fits_method(self) -> Comparison:
        if self.method == "fuzzy" and self.threshold is None:
            raise ValueError(f"the fuzzy comparison of {self.field!r} needs a threshold (0..1)")
        if self.method in ("exact", "normalized") and self.threshold is not None:
            raise ValueError(f"a {self.method} comparison of {self.field!r} takes no threshold")
        return self

    @property
    def min_score(self) -> float:
        if self.threshold is not None:
            return self.threshold
        return 0.9 if self.method == "name" else 1.0


class MatchRule(_Strict):
    """A named way two records are the same customer, with the blocking keys that find them.

    `blocking` is a list of keys; each key is a list of fields ("field" or "field:initial",
    "field:prefix3", "field:year"); records are compared only with records sharing a key.
    Without `min_score` every comparison must hold; with it, the rule weighs the evidence
    (each comparison's weight or penalty) and fires when the total reaches `min_score`.
    """

    name: str
    kind: RuleKind
    description: str = ""
    compare: list[Comparison] = Field(min_length=1)
    blocking: list[list[str]] = Field(min_length=1)
    max_block_size: int | None = Field(default=None, ge=2)
    min_score: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _weights_fit_mode(self) -> MatchRule:
        weighted = [
            c.field for c in self.compare if c.best_weight or c.penalty or c.veto or c.required
        ]
        if self.min_score is None and weighted:
            raise ValueError(
                f"rule {self.name!r} gives weights to {weighted[0]!r} but has no min_score"
            )
        if self.min_score is not None:
            best = sum(c.best_weight for c in self.compare)
            if best < self.min_score:
                raise ValueError(
                    f"rule {self.name!r} can never fire: its weights add up to {best:g}, "
                    f"less than min_score {self.min_score:g}"
                )
        return self

    @field_validator("blocking")
    @classmethod
    def _keys_not_empty(cls, value: list[list[str]]) -> list[list[str]]:
        for key in value:
            if not key:
                raise ValueError("a blocking key needs at least one field")
            for part in key:
                _split_block_part(part)
        return value

    def fields(self) -> list[str]:
        """Every field the rule compares or blocks on."""
        names = [c.field for c in self.compare]
        names += [c.swap_with for c in self.compare if c.swap_with]
        names += [_split_block_part(part)[0] for key in self.blocking for part in key]
        return list(dict.fromkeys(names))


class UniqueKey(_Strict):
    """A field one customer holds only one value of; `max_edits` tolerates typos (OSA distance)."""

    field: str
    max_edits: int = Field(default=0, ge=0, le=3)


class JunkSpec(_Strict):
    """Placeholder values that identify nobody: everywhere (`everywhere`) and per field.

    `role_mailboxes` are email local parts of team inboxes (billing@, ap@...): such an address
    names a company's team, not a person, so it is treated as no email at all.
    """

    everywhere: list[str] = Field(default_factory=list)
    fields: dict[str, list[str]] = Field(default_factory=dict)
    role_mailboxes: list[str] = Field(default_factory=list)


class IdentitySpec(_Strict):
    """The whole identity.toml; rules are listed strongest first, the order links are made in."""

    version: int = 1
    fields: dict[str, NormalizerKind]
    junk: JunkSpec = JunkSpec()
    unique_keys: list[UniqueKey] = Field(default_factory=list)
    # a value linking more distinct people than this (a switchboard) stops linking
    max_people_per_value: dict[str, int] = Field(default_factory=dict)
    # blocks with more distinct candidates than this are skipped (counted in the stats)
    max_block_size: int = Field(default=500, ge=2)
    rules: list[MatchRule] = Field(min_length=1)

    @model_validator(mode="after")
    def _references_resolve(self) -> IdentitySpec:
        seen: set[str] = set()
        for rule in self.rules:
            if rule.name in seen:
                raise ValueError(f"rule {rule.name!r} is declared twice")
            seen.add(rule.name)
            for name in rule.fields():
                if name not in self.fields:
                    raise ValueError(
                        f"rule {rule.name!r} uses field {name!r}, which is not under [fields]"
                    )
        for where, names in (
            ("unique_keys", [key.field for key in self.unique_keys]),
            ("max_people_per_value", list(self.max_people_per_value)),
            ("junk.fields", list(self.junk.fields)),
        ):
            for name in names:
                if name not in self.fields:
                    raise ValueError(f"{where} names field {name!r}, which is not under [fields]")
        return self

    def source_attributes(self) -> set[str]:
        """The source attributes (sources.toml) this spec reads, derived fields expanded."""
        names: set[str] = set()
        for field_name, kind in self.fields.items():
            names.update(DERIVED_INPUTS.get(kind, (field_name,)))
        return names

    def unknown_attributes(self, known: Iterable[str]) -> list[str]:
        """Source attributes the spec reads that the sources spec does not define, sorted."""
        return sorted(self.source_attributes() - set(known))

    def rule(self, name: str) -> MatchRule:
        for rule in self.rules:
            if rule.name == name:
                return rule
        raise KeyError(name)


def _split_block_part(part: str) -> tuple[str, BlockTransform | None]:
    """Split "last_name:initial" into the field and its transform."""
    name, _, transform = part.partition(":")
    if not transform:
        return name, None
    if transform == "initial":
        return name, "initial"
    if transform == "prefix3":
        return name, "prefix3"
    if transform == "year":
        return name, "year"
    raise ValueError(f"blocking part {part!r}: transform must be initial, prefix3 or year")


def split_block_part(part: str) -> tuple[str, BlockTransform | None]:
    """Public form of the blocking-part parser (field, transform)."""
    return _split_block_part(part)


def parse_identity_spec(text: str) -> IdentitySpec:
    """Parse and validate identity.toml text (the caller reads the file)."""
    return IdentitySpec.model_validate(tomllib.loads(text))
