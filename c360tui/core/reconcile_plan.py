"""What reconciliation reads from a SourcesSpec, once per spec, and its per-attribute memos.

Ingest reconciles every customer against one spec, so each attribute's rule, trusted systems,
window and the reasons it writes are worked out once; small bounded memos normalise a value
once however often one customer's records repeat it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from c360tui.core.customer import ReconcileStatus
from c360tui.core.normalize import (
    fold_name,
    normalize_address,
    normalize_company,
    normalize_domain,
    normalize_email,
    normalize_phone,
)
from c360tui.core.records import AttrValue
from c360tui.core.sources_spec import AttributeSpec, SourcesSpec

Key = object  # a normalised value: folded text, or (type, value) for numbers and flags

# Distinct values remembered per attribute (and per memo); a full memo starts over.
MEMO_LIMIT = 1 << 10

# Text attributes whose spelling varies between systems without the value changing:
# "Acme, Inc." and "ACME Inc" name one company, "José" and "Jose" one person.
_TEXT_FOLDERS: dict[str, Callable[[str], str | None]] = {
    "company": normalize_company,
    "first_name": fold_name,
    "last_name": fold_name,
    "company_domain": normalize_domain,
    "address": normalize_address,
}


class Normaliser:
    """Compares values in normalised form so formatting differences are not disagreements.

    Remembers the values it has seen (up to MEMO_LIMIT): one customer repeats its email on
    every ticket, and a phone is checked for junk and then compared.
    """

    __slots__ = ("attr_type", "folder", "memo", "region", "usable_memo")

    def __init__(
        self, attr_type: str, region: str, folder: Callable[[str], str | None] | None = None
    ) -> None:
        self.attr_type = attr_type
        self.region = region
        self.folder = folder
        self.memo: dict[str, Key] = {}
        self.usable_memo: dict[str, bool] = {}

    def __call__(self, value: AttrValue) -> Key:
        if isinstance(value, list):
            return ("list", *value)
        if not isinstance(value, str):
            return (type(value).__name__, value)
        key = self.memo.get(value)
        return key if key is not None else self._learn(value)[0]

    def usable(self, value: AttrValue) -> bool:
        """True when an email or phone value normalises to a real identifier (not junk)."""
        if not isinstance(value, str):
            return False
        found = self.usable_memo.get(value)
        return found if found is not None else self._learn(value)[1]

    def _learn(self, value: str) -> tuple[Key, bool]:
        """Normalise a text value and remember it; for an email or phone, also whether it is a
        real identifier (the check reads the value as given, which spacing may change)."""
        if len(self.memo) >= MEMO_LIMIT:
            self.memo.clear()
            self.usable_memo.clear()
        text = " ".join(value.split())
        if self.attr_type == "email" or self.attr_type == "phone":
            normalize: Callable[[str], str | None] = (
                normalize_email if self.attr_type == "email" else self._phone
            )
            normal = normalize(text)
            usable = (normal if text == value else normalize(value)) is not None
            key = self.memo[value] = normal or text.casefold()
            self.usable_memo[value] = usable
            return key, usable
        if self.folder is not None:
            key = self.memo[value] = self.folder(text) or text.casefold()
        else:
            key = self.memo[value] = text.casefold()
        return key, False

    def _phone(self, text: str) -> str | None:
        return normalize_phone(text, self.region)


@dataclass(frozen=True, slots=True)
class AttrPlan:
    """One attribute's rule with its parsed window and system-of-record set, read once.

    `single` remembers, per system, the (status, reason) of a lone candidate from it.
    """

    name: str
    spec: AttributeSpec
    trusted: frozenset[str]
    window: timedelta
    label: str
    keyer: Normaliser
    owners: str
    single: dict[str, tuple[ReconcileStatus, str]] = field(default_factory=dict)


def attr_plan(name: str, spec: AttributeSpec, label: str, region: str) -> AttrPlan:
    """The plan of one attribute; `label` names its rule in reasons."""
    return AttrPlan(
        name,
        spec,
        frozenset(spec.system_of_record),
        spec.conflict_window_delta,
        label,
        Normaliser(spec.type, region, _TEXT_FOLDERS.get(name)),
        ", ".join(spec.system_of_record) or "none declared",
    )


@dataclass(frozen=True, slots=True)
class Plan:
    """What reconcile needs from a SourcesSpec, computed once per spec (ingest calls it a lot)."""

    attributes: dict[str, AttrPlan]
    collection_of: dict[str, str]
    collections: tuple[str, ...]
    priority: dict[str, int]
    region: str
    account_scoped: tuple[str, ...]  # in catalogue order


_PLANS: dict[int, tuple[SourcesSpec, Plan]] = {}


def plan_for(sources: SourcesSpec) -> Plan:
    """The spec's plan, made on first use and kept while the spec lives."""
    cached = _PLANS.get(id(sources))
    if cached is not None and cached[0] is sources:
        return cached[1]
    region = sources.default_region
    attributes = {
        name: attr_plan(name, spec, spec.rule.replace("_", " "), region)
        for name, spec in sources.attributes.items()
        if not spec.collection
    }
    collection_of = {n: a.collection for n, a in sources.attributes.items() if a.collection}
    plan = Plan(
        attributes=attributes,
        collection_of=collection_of,
        collections=tuple(sorted(set(collection_of.values()))),
        priority={system: s.priority for system, s in sources.systems.items()},
        region=region,
        account_scoped=tuple(n for n, a in attributes.items() if a.spec.scope == "account"),
    )
    if len(_PLANS) > 16:  # specs are few and long-lived; never grow without bound
        _PLANS.clear()
    _PLANS[id(sources)] = (sources, plan)
    return plan
