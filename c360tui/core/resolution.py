"""Identity resolution: normalise, block, compare and cluster source records into customers.

Records are sorted by key first and every later step walks them in that order, so the same
records give the same customers and evidence whatever order they arrive in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from hashlib import sha256
from operator import itemgetter

import numpy as np

from c360tui.core.blocking import (
    Column,
    FieldTable,
    TableCodes,
    block_key_parts,
    drop_shared_values,
)
from c360tui.core.columnar import Ints, runs, split_runs
from c360tui.core.customer import FieldEvidence, HeldMerge, MergeEvidence
from c360tui.core.identity_spec import IdentitySpec, MatchRule
from c360tui.core.matching import RuleMatcher, Signature
from c360tui.core.merge_table import MergeLog, MergeTable
from c360tui.core.records import KeyColumn, RecordKey, SourceRecord
from c360tui.core.unionfind import GuardedUnionFind, SplitMark


@dataclass(slots=True)
class ResolutionStats:
    """Counts a summary line or a benchmark reports about one resolution run."""

    records: int = 0
    customers: int = 0
    merges: int = 0
    held: int = 0
    comparisons: int = 0
    skipped_blocks: int = 0
    # per field, values that linked too many distinct people and so linked nobody
    shared_values: dict[str, list[str]] = field(default_factory=dict)


@dataclass(slots=True)
class Resolution:
    """The outcome: a customer id per record, the members of each customer and the evidence."""

    assignment: dict[RecordKey, str]
    clusters: dict[str, list[RecordKey]]
    merges: dict[str, list[MergeEvidence]]
    held: dict[str, list[HeldMerge]]
    stats: ResolutionStats
    # the records of each customer, in the order of `clusters` (one record per key)
    members: dict[str, list[SourceRecord]] = field(default_factory=dict)
    # each customer's record positions (in sorted key order), beside its id in `ids`
    groups: list[list[int]] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    # every link, by customer position (`merges` holds the same as MergeEvidence, with maps)
    merge_table: MergeTable = field(default_factory=lambda: MergeTable.grouped(MergeLog(), (), 0))


def resolve(
    records: Iterable[SourceRecord],
    spec: IdentitySpec,
    *,
    region: str,
    previous_ids: Mapping[RecordKey, str] | None = None,
    splits: Iterable[tuple[RecordKey, RecordKey]] = (),
) -> Resolution:
    """Cluster records into customers by the spec's rules, strongest rule first.

    `region` reads phone numbers without a country code; `previous_ids` (record -> customer id
    from the last run) keeps ids stable; `splits` are pairs of records that must stay apart.
    """
    # (feed, record id) tuples hash and sort in C; RecordKey objects are made once per record
    by_pair = {(record.feed, record.record_id): record for record in records}
    pairs = sorted(by_pair)
    ordered = [by_pair[pair] for pair in pairs]
    del by_pair
    keys = [RecordKey(feed, record_id) for feed, record_id in pairs]
    del pairs
    table = FieldTable.of(ordered, spec, region)
    resolution = resolve_table(keys, table, spec, previous_ids=previous_ids, splits=splits)
    resolution.members = {
        customer_id: [ordered[i] for i in group]
        for customer_id, group in zip(resolution.ids, resolution.groups, strict=True)
    }
    return resolution


def resolve_table(
    keys: Sequence[RecordKey],
    table: FieldTable,
    spec: IdentitySpec,
    *,
    previous_ids: Mapping[RecordKey, str] | None = None,
    splits: Iterable[tuple[RecordKey, RecordKey]] = (),
    maps: bool = True,
) -> Resolution:
    """`resolve` over records given as their sorted keys and the FieldTable in the same order.

    The table is resolution's working copy: shared values are removed from it, and its
    columns (most of a large ingest's memory) are let go once the rules have run.
    The customers come as `groups` (record positions) beside `ids`, their links as
    `merge_table`; `maps=False` leaves the per-record `assignment`, the `clusters` and the
    `merges` maps empty (a large ingest needs only the groups and the table).
    """
    stats = ResolutionStats(records=len(keys))
    codes = TableCodes(table)  # the blocking fields as integers, shared by the rules
    stats.shared_values = drop_shared_values(table, spec, codes)

    union_find = GuardedUnionFind(
        len(keys), _unique_columns(table, spec), _tolerances(spec), _split_marks(keys, splits)
    )
    linker = _Linker(table, codes, spec, union_find, keys, stats)
    for number, rule in enumerate(spec.rules):
        linker.apply(rule)
        # the codes only later rules block on are kept (after the last rule, none)
        codes.retain(_blocked_on(spec.rules[number + 1 :]))
    _release(table)

    groups, owner = _customers(union_find.roots())
    del union_find
    ids = assign_ids(groups, keys, previous_ids or {})
    merge_table = MergeTable.grouped(linker.merges, owner, len(groups))
    linker.merges = MergeLog()  # the table holds them now
    assignment: dict[RecordKey, str] = {}
    clusters: dict[str, list[RecordKey]] = {}
    merges: dict[str, list[MergeEvidence]] = {}
    if maps:
        for position, (group, customer_id) in enumerate(zip(groups, ids, strict=True)):
            group_keys = clusters[customer_id] = [keys[i] for i in group]
            assignment.update(dict.fromkeys(group_keys, customer_id))
            if merge_table.rows(position):
                merges[customer_id] = merge_table.evidence(position, keys)
    held = _attach_held(linker.held, _customers_of_held(linker, owner, ids))
    stats.customers = len(groups)
    stats.merges = len(merge_table)
    stats.held = len({id(h) for items in held.values() for h in items})
    return Resolution(
        assignment, clusters, merges, held, stats, groups=groups, ids=ids, merge_table=merge_table
    )


def _customers(roots: Ints) -> tuple[list[list[int]], Ints]:
    """The records of each set (ascending), the sets in the order of their first record, and
    each record's set position: from every record's root (`GuardedUnionFind.roots`)."""
    order, starts, ends = runs(roots)
    by_first = np.argsort(order[starts])
    groups = split_runs(order, starts[by_first], ends[by_first])
    position = np.empty(len(starts), np.int64)
    position[by_first] = np.arange(len(starts), dtype=np.int64)
    owner = np.empty(len(roots), np.int64)
    owner[order] = np.repeat(position, ends - starts)
    return groups, owner


def _blocked_on(rules: Sequence[MatchRule]) -> list[tuple[str, int | None]]:
    """The (field, prefix length) parts of the rules' blocking keys."""
    return [part for rule in rules for key in rule.blocking for part in block_key_parts(key)]


def _release(table: FieldTable) -> None:
    """Let go of the table's columns, which nothing reads after the rules."""
    table.values.clear()
    table.raw.clear()
    table.name_columns.clear()
    table.person = []


def _customers_of_held(linker: _Linker, owner: Ints, ids: Sequence[str]) -> dict[RecordKey, str]:
    """The customer of each record a held link names, found by the positions the linker kept."""
    found: dict[RecordKey, str] = {}
    for item, (left, right) in zip(linker.held, linker.held_positions, strict=True):
        found[item.left] = ids[int(owner[left])]
        found[item.right] = ids[int(owner[right])]
    return found


# Blocks of more distinct signatures than this find a weighted rule's candidate pairs through
# an index of values (`RuleMatcher.later_candidates`) instead of trying every pair.
_INDEXED_BLOCK = 12


class _Linker:
    """Finds a rule's matching pairs block by block and joins them, guarding unique keys."""

    def __init__(
        self,
        table: FieldTable,
        codes: TableCodes,
        spec: IdentitySpec,
        union_find: GuardedUnionFind,
        keys: Sequence[RecordKey],
        stats: ResolutionStats,
    ) -> None:
        self.table = table
        self.codes = codes
        self.spec = spec
        self.union_find = union_find
        self.keys = keys
        self.stats = stats
        self.merges = MergeLog()
        self.held: list[HeldMerge] = []
        self.held_positions: list[tuple[int, int]] = []  # beside `held`: the two records

    def apply(self, rule: MatchRule) -> None:
        matcher = RuleMatcher(rule, self.table, self.spec)
        eligible = matcher.eligible(self.table.size)
        if len(eligible) < 2:
            return  # no block can hold two records
        limit = rule.max_block_size or self.spec.max_block_size
        find = self.union_find.find
        columns = matcher.columns
        weighted = rule.min_score is not None
        # pairs that did not fire, to skip when a later blocking key brings them together again
        # (same first records, so the same signatures): first index * size + second index
        failed: set[int] = set()
        # as machine integers: the blocks' lists hold int objects of their own (the list's,
        # three million at a million customers, would be a second copy)
        candidates = np.asarray(eligible, np.int64)
        del eligible
        for number, key in enumerate(rule.blocking):
            keep = failed if number < len(rule.blocking) - 1 else None
            # blocks already one customer when the key's pass starts are left out in bulk
            roots = self.union_find.roots() if len(self.merges.left) else None
            blocks = self.codes.blocks(key, candidates, roots)
            del roots
            for block in blocks:
                # a block whose records became one customer during this pass can add nothing
                first_root = find(block[0])
                for index in block:
                    if find(index) != first_root:
                        break
                else:
                    continue
                # records with identical compared values are one candidate: compare each once.
                # Signatures are made block by block, for the blocks that can still link: made
                # for every eligible record up front, they held 270 MB at a million customers.
                pick = itemgetter(*block)
                groups: dict[Signature, list[int]] = {}
                signatures = zip(*[pick(column) for column in columns], strict=True)
                for index, signature in zip(block, signatures, strict=True):
                    members = groups.get(signature)
                    if members is None:
                        groups[signature] = [index]
                    else:
                        members.append(index)
                if len(groups) > limit:
                    self.stats.skipped_blocks += 1
                    continue
                if len(groups) < len(block):
                    for signature, members in groups.items():
                        if len(members) > 1:
                            same = matcher.score(signature, signature)
                            if same is not None:
                                for index in members[1:]:
                                    self._link(rule, members[0], index, same)
                if len(groups) > 1:
                    self._pairs(matcher, groups, weighted, failed, keep)

    def _pairs(
        self,
        matcher: RuleMatcher,
        groups: dict[Signature, list[int]],
        weighted: bool,
        failed: set[int],
        keep: set[int] | None,
    ) -> None:
        """Compare and link the block's distinct signatures pairwise, in block order; pairs in
        `failed` are known not to fire, and those found not to are added to `keep`."""
        find = self.union_find.find
        size = self.table.size
        rule = matcher.rule
        signatures = list(groups)
        firsts = [members[0] for members in groups.values()]
        # weighted rules: pairs that cannot reach min_score are told apart cheaply, and in a
        # big block only pairs holding a value min_score needs equal are tried at all
        masks = [matcher.presence(s) for s in signatures] if weighted else []
        later = (
            matcher.later_candidates(signatures, masks)
            if weighted and len(signatures) > _INDEXED_BLOCK
            else None
        )
        count = len(signatures)
        for a in range(count - 1):
            left_signature = signatures[a]
            left = firsts[a]
            for b in range(a + 1, count) if later is None else later[a]:
                right = firsts[b]
                if find(left) == find(right):
                    continue
                self.stats.comparisons += 1
                right_signature = signatures[b]
                if weighted and not matcher.may_fire(
                    left_signature, right_signature, masks[a] & masks[b]
                ):
                    continue
                pair = left * size + right
                if pair in failed:
                    continue
                scores = matcher.score(left_signature, right_signature)
                if scores is not None:
                    self._link(rule, left, right, scores)
                elif keep is not None:
                    keep.add(pair)

    def _link(
        self, rule: MatchRule, left: int, right: int, fields: tuple[FieldEvidence, ...]
    ) -> None:
        outcome = self.union_find.join(left, right)
        if outcome is True:
            self.merges.add(left, right, rule.name, fields)
        elif outcome:
            reason = f"Held for review: {outcome}."
            self.held.append(HeldMerge(self.keys[left], self.keys[right], rule.name, reason))
            self.held_positions.append((left, right))


def _unique_columns(table: FieldTable, spec: IdentitySpec) -> dict[str, Column]:
    """The column of each field one customer may hold only one value of."""
    return {key.field: table.values[key.field] for key in spec.unique_keys}


def _tolerances(spec: IdentitySpec) -> dict[str, int]:
    return {key.field: key.max_edits for key in spec.unique_keys}


def _split_marks(
    keys: Sequence[RecordKey], splits: Iterable[tuple[RecordKey, RecordKey]]
) -> dict[int, set[SplitMark]]:
    requests = sorted(set(splits), key=_pair_order)
    named = {key for pair in requests for key in pair}
    # the positions of the named records only: a map of every key took 200 MB at 1M customers
    position = {key: index for index, key in enumerate(keys) if key in named} if named else {}
    marks: dict[int, set[SplitMark]] = {}
    for number, (left, right) in enumerate(requests):
        if left in position and right in position and left != right:
            marks.setdefault(position[left], set()).add((number, 0))
            marks.setdefault(position[right], set()).add((number, 1))
    return marks


def _pair_order(pair: tuple[RecordKey, RecordKey]) -> tuple[str, str, str, str]:
    return (pair[0].feed, pair[0].record_id, pair[1].feed, pair[1].record_id)


def _attach_held(
    held: list[HeldMerge], assignment: Mapping[RecordKey, str]
) -> dict[str, list[HeldMerge]]:
    """File each held link under both customers it would have joined: the first (strongest
    rule's) link per pair of customers, so a reviewer sees one item per decision.
    """
    out: dict[str, list[HeldMerge]] = {}
    seen: set[tuple[str, str]] = set()
    for item in held:
        left = assignment[item.left]
        right = assignment[item.right]
        if left == right:
            continue
        marker = (min(left, right), max(left, right))
        if marker in seen:
            continue
        seen.add(marker)
        out.setdefault(left, []).append(item)
        out.setdefault(right, []).append(item)
    return out


def new_customer_id(smallest: RecordKey, salt: int = 0) -> str:
    """A deterministic id for a brand-new customer, derived from its smallest member key."""
    return _new_id(smallest.feed, smallest.record_id, salt)


def _new_id(feed: str, record_id: str, salt: int = 0) -> str:
    """`new_customer_id` of the key (feed, record id)."""
    text = f"{feed}\x1f{record_id}" + (f"\x1f{salt}" if salt else "")
    return "C" + sha256(text.encode("utf-8")).hexdigest()[:10]


def assign_ids(
    groups: Sequence[Sequence[int]],
    keys: Sequence[RecordKey],
    previous_ids: Mapping[RecordKey, str],
) -> list[str]:
    """One id per group of records (positions in `keys`): the previous id most members had
    (ties: the smallest id), else new.

    A previous id goes to the group holding most of its records (ties: the group with the
    smallest member); a group that loses its id to another gets its next best, else a new one.
    Groups must list members in key order.
    """
    claims: list[tuple[int, str, int]] = []
    for position, members in enumerate(groups if previous_ids else ()):
        counts = Counter(
            previous_ids[key] for key in (keys[i] for i in members) if key in previous_ids
        )
        claims.extend((-count, old_id, position) for old_id, count in counts.items())
    claims.sort()
    ids: list[str | None] = [None] * len(groups)
    taken: set[str] = set()
    for _, old_id, position in claims:
        if ids[position] is None and old_id not in taken:
            ids[position] = old_id
            taken.add(old_id)
    # the smallest key's parts, without a RecordKey per customer where the keys are columns
    parts = keys.parts if isinstance(keys, KeyColumn) else _parts(keys)
    result: list[str] = []
    for position, members in enumerate(groups):
        chosen = ids[position]
        if chosen is None:
            feed, record_id = parts(members[0])
            chosen = _new_id(feed, record_id)
            salt = 0
            while chosen in taken:
                salt += 1
                chosen = _new_id(feed, record_id, salt)
            taken.add(chosen)
        result.append(chosen)
    return result


def _parts(keys: Sequence[RecordKey]) -> Callable[[int], tuple[str, str]]:
    """KeyColumn.parts over a plain sequence of keys."""

    def parts(index: int) -> tuple[str, str]:
        key = keys[index]
        return key.feed, key.record_id

    return parts
