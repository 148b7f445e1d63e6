"""A customer's `profile.attributes` document straight from its ranked stored records.

`core.reconcile.reconcile` builds a Candidate per value and a ReconciledAttribute per attribute,
which `store.codec.attributes_doc` then walks into the document. Most attributes have one
candidate, or candidates holding one value (perhaps spelled differently: "(415) 555-0100" and
"+14155550100"); their outcome follows from the ranking alone, so it goes to the document rows
directly. Only candidates that really differ go through the reference rules
(`reconcile._decide`). tests/unit/test_chunk_rows.py checks the rows equal the reference's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from c360tui.core.customer import Candidate, Provenance
from c360tui.core.reconcile import _decide, _is_role_address
from c360tui.core.reconcile_fast import candidate, provenance, single_outcome_of
from c360tui.core.reconcile_plan import AttrPlan, Plan
from c360tui.core.records import AttrValue
from c360tui.store.search import INDEXED_ATTRIBUTES, NO_WINNER, IndexedValues


class RankedRecord:
    """One stored record as reconcile ranks it, decoded once per chunk.

    `rank` is reconcile's rank key without the position (priority, then newest first, system,
    feed, record id); `provenance` is made only when a disagreement needs Candidates.
    """

    __slots__ = (
        "attrs", "feed", "observed_at", "provenance", "rank", "record_id", "system", "time_text"
    )  # fmt: skip

    def __init__(
        self,
        system: str,
        feed: str,
        record_id: str,
        observed_at: datetime | None,
        time_text: str | None,
        priority: int,
        attrs: dict[str, AttrValue],
    ) -> None:
        self.system, self.feed, self.record_id = system, feed, record_id
        self.observed_at, self.time_text, self.attrs = observed_at, time_text, attrs
        if observed_at is None:
            self.rank = (-priority, True, 0.0, system, feed, record_id)
        else:
            self.rank = (-priority, False, -observed_at.timestamp(), system, feed, record_id)
        self.provenance: Provenance | None = None


# A candidate as this path keeps it: value, record, position among the customer's records.
_Entry = tuple[AttrValue, RankedRecord, int]


def _newest_first(entry: _Entry) -> tuple[object, ...]:
    """reconcile_fast.newest_first of an entry: its record's rank without the priority."""
    return entry[1].rank[1:]


def attributes_document(
    plan: Plan, own: list[RankedRecord], mates: list[RankedRecord]
) -> tuple[dict[str, Any], dict[str, AttrValue], int, dict[str, IndexedValues]]:
    """A customer's `profile.attributes` document, its winners, how many attributes are
    conflicted and the values the search index reads, as `reconcile` then `attributes_doc` give
    them; `own` and `mates` in (feed, record id) order.
    """
    known, account_scoped = plan.attributes, plan.account_scoped
    everyone = own + mates if mates else own
    ranked = sorted([(r.rank, position, r) for position, r in enumerate(everyone)])
    count = len(own)
    buckets: dict[str, list[_Entry]] = {}
    for _, position, record in ranked:
        attrs = record.attrs
        if position >= count:
            # an account mate's record offers its account facts only
            for name in account_scoped:
                if name in attrs:
                    entry = (attrs[name], record, position)
                    bucket = buckets.get(name)
                    if bucket is None:
                        buckets[name] = [entry]
                    else:
                        bucket.append(entry)
            continue
        for name, value in attrs.items():
            if name in known:
                entry = (value, record, position)
                bucket = buckets.get(name)
                if bucket is None:
                    buckets[name] = [entry]
                else:
                    bucket.append(entry)
    doc = _Document()
    winners: dict[str, AttrValue] = {}
    indexed: dict[str, IndexedValues] = {}
    conflicted = 0
    rows = doc.rows
    source, indexes = doc.source, doc.indexes
    for name, attr in known.items():
        bucket = buckets.get(name)
        if bucket is None:
            continue
        if len(bucket) == 1:
            value, record, _ = bucket[0]
            status, reason = attr.single.get(record.system) or single_outcome_of(
                attr, record.system
            )
            winners[name] = value
            # the record's provenance index, looked up inline: most records win several values
            index = indexes.get(id(record))
            if index is None:
                index = source(record)
            rows.append([name, status, attr.spec.rule, value, index, None, None, reason])
            if name in _INDEXED:
                indexed[name] = (value, (), ())
            continue
        first = bucket[0][0]
        kind = type(first)
        trusted_systems = attr.trusted
        for entry in bucket:
            if type(entry[0]) is not kind or entry[0] != first:
                break
        else:
            trusted = [entry for entry in bucket if entry[1].system in trusted_systems]
            _agreeing(attr, bucket, trusted, doc, winners, indexed)
            continue
        alike = _trusted_if_alike(attr, bucket)
        if alike is not None:
            _agreeing(attr, bucket, alike, doc, winners, indexed)
        else:
            conflicted += _disagreement(attr, bucket, plan, doc, winners, indexed)
    return {"p": doc.sources, "a": rows}, winners, conflicted, indexed


def _disagreement(
    attr: AttrPlan,
    bucket: list[_Entry],
    plan: Plan,
    doc: _Document,
    winners: dict[str, AttrValue],
    indexed: dict[str, IndexedValues],
) -> int:
    """Decide candidates that differ with the reference rules; 1 if conflicted."""
    ranked: list[Candidate] = []
    position_of: dict[int, int] = {}
    record_of = doc.record_of
    for value, record, position in bucket:
        made = record.provenance
        if made is None:
            made = record.provenance = provenance(
                record.system, record.feed, record.record_id, record.observed_at
            )
        record_of[id(made)] = record
        position_of[id(made)] = position
        ranked.append(candidate(value, made))

    def given(subset: list[Candidate]) -> list[Candidate]:
        return sorted(subset, key=lambda c: position_of[id(c.provenance)])

    decided = _decide(attr, ranked, plan, given)
    source = doc.source
    win = decided.winner
    if win is None:
        won: AttrValue | None = None
        index = None
    else:
        won = winners[attr.name] = win.value
        index = source(record_of[id(win.provenance)])
    alternates = (
        [[c.value, source(record_of[id(c.provenance)])] for c in decided.alternates]
        if decided.alternates
        else None
    )
    contenders = (
        [[c.value, source(record_of[id(c.provenance)])] for c in decided.contenders]
        if decided.contenders
        else None
    )
    row = [
        attr.name, decided.status, decided.rule, won, index, alternates, contenders,
        decided.reason,
    ]  # fmt: skip
    if decided.confirmed is not None:
        row.append(source(record_of[id(decided.confirmed)]))
    doc.rows.append(row)
    if attr.name in _INDEXED:
        indexed[attr.name] = (
            NO_WINNER if win is None else won,
            [c.value for c in decided.alternates],
            [c.value for c in decided.contenders],
        )
    return decided.status == "conflicted"


# Attributes the customer row and the search index read.
_INDEXED = frozenset(INDEXED_ATTRIBUTES)


class _Document:
    """A customer's `profile.attributes` document under construction: the provenance list,
    an index per record handed out in the order values are met, and the attribute rows."""

    __slots__ = ("by_value", "indexes", "record_of", "rows", "sources")

    def __init__(self) -> None:
        self.sources: list[list[Any]] = []
        self.indexes: dict[int, int] = {}
        self.by_value: dict[tuple[str, str, str, datetime | None], int] = {}
        self.record_of: dict[int, RankedRecord] = {}
        self.rows: list[list[Any]] = []

    def source(self, record: RankedRecord) -> int:
        """The provenance index of `record`; records alike in every provenance field share one."""
        found = self.indexes.get(id(record))
        if found is None:
            key = (record.system, record.feed, record.record_id, record.observed_at)
            found = self.by_value.get(key)
            if found is None:
                found = self.by_value[key] = len(self.sources)
                self.sources.append(
                    [record.system, record.feed, record.record_id, record.time_text]
                )
            self.indexes[id(record)] = found
        return found


def _trusted_if_alike(attr: AttrPlan, bucket: list[_Entry]) -> list[_Entry] | None:
    """The accepted candidates when every candidate holds one value once normalised ("+1 415
    555 0100" and "(415) 555-0100") and no junk check splits them, else None.

    Then `reconcile._decide` has nothing to weigh: its outcome is `_agreeing`'s over these
    candidates (a team inbox gives way to a personal address, as there).
    """
    keyer = attr.keyer
    spec_type = attr.spec.type
    if spec_type == "email" or spec_type == "phone":
        usable = keyer.usable
        first_usable = usable(bucket[0][0])
        for entry in bucket:
            if usable(entry[0]) != first_usable:
                return None  # some junk among usable values: the general path sets it aside
    key = keyer(bucket[0][0])
    for entry in bucket:
        if keyer(entry[0]) != key:
            return None
    trusted_systems = attr.trusted
    trusted = [entry for entry in bucket if entry[1].system in trusted_systems]
    if spec_type == "email" and len(trusted) > 1:
        personal = [entry for entry in trusted if not _is_role_address(entry[0])]
        if personal:
            trusted = personal
    return trusted


def _agreeing(
    attr: AttrPlan,
    bucket: list[_Entry],
    trusted: list[_Entry],
    doc: _Document,
    winners: dict[str, AttrValue],
    indexed: dict[str, IndexedValues],
) -> None:
    """The outcome when every candidate (in rank order) holds one value, as normalised:
    `reconcile_fast.one_value`, with the accepted candidates given (`trusted`).

    Nothing can disagree, so alternates are the first candidate of each other system.
    """
    source = doc.source
    spec = attr.spec
    confirmed = None
    if not trusted:
        winner = bucket[0]
        systems = sorted({entry[1].system for entry in bucket})
        reason = f"only {' and '.join(systems)} has it; system of record: {attr.owners}"
        status = "unverified"
    else:
        winner = trusted[0] if spec.rule == "source_priority" else min(trusted, key=_newest_first)
        status = "resolved"
        reason = f"{attr.label}: {winner[1].system}"
        newest = winner[1].observed_at
        if newest is not None and len(trusted) > 1:
            for entry in trusted:
                stamp = entry[1].observed_at
                if stamp is not None and stamp > newest:
                    newest, confirmed = stamp, entry[1]
    value = winners[attr.name] = winner[0]
    indexes = doc.indexes  # provenance indexes looked up inline, as in attributes_document
    index = indexes.get(id(winner[1]))
    if index is None:
        index = source(winner[1])
    seen = {winner[1].system}
    alternates: list[list[Any]] = []
    for entry in bucket:
        record = entry[1]
        if record.system not in seen:
            seen.add(record.system)
            found = indexes.get(id(record))
            alternates.append([entry[0], found if found is not None else source(record)])
    row = [attr.name, status, spec.rule, value, index, alternates or None, None, reason]
    if confirmed is not None:
        row.append(source(confirmed))
    doc.rows.append(row)
    if attr.name in _INDEXED:
        indexed[attr.name] = (value, [alternate[0] for alternate in alternates], ())
