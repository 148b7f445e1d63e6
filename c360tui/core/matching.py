"""One rule's comparison of two candidate records: prepared columns, plain and weighted scoring."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import NamedTuple

from c360tui.core.blocking import Column, FieldTable
from c360tui.core.compare import SCORERS, Similarity
from c360tui.core.customer import FieldEvidence
from c360tui.core.identity_spec import Comparison, IdentitySpec, MatchRule
from c360tui.core.normalize import canonical_first_name

Signature = tuple[str | None, ...]
# derived fields have no raw text of their own: `exact` compares their normalised value
_DERIVED_KINDS = ("full_name", "company_domain")


class RuleMatcher:
    """Prepares the columns a rule compares and scores pairs of records' values.

    A record's signature holds one value per comparison, then one per `swap_with` field; records
    with equal signatures are interchangeable for the rule, so a block compares each once.
    """

    def __init__(self, rule: MatchRule, table: FieldTable, spec: IdentitySpec) -> None:
        self.rule = rule
        self.columns: list[Column] = [_column(c, c.field, table, spec) for c in rule.compare]
        self._best_total = sum(c.best_weight for c in rule.compare)
        self._swap: dict[int, int] = {}
        for position, comparison in enumerate(rule.compare):
            if comparison.swap_with:
                self._swap[position] = len(self.columns)
                self.columns.append(_column(comparison, comparison.swap_with, table, spec))
        self._steps = [_step(c, self._swap.get(i)) for i, c in enumerate(rule.compare)]
        self._min_score = rule.min_score
        # evidence by its (comparison, score) pairs: a million merges share a few thousand tuples
        self._interned: dict[tuple[tuple[int, float], ...], tuple[FieldEvidence, ...]] = {}
        self._needs: dict[int, tuple[int, ...] | None] = {}

    def eligible(self, size: int) -> list[int]:
        """Record indices that could satisfy the rule given which of their values are present."""
        rule = self.rule
        compared = list(zip(self.columns, rule.compare, strict=False))
        if rule.min_score is None:
            required = [column for column, c in compared if c.if_missing == "fail"]
            if not required:
                return list(range(size))
            # filter by the sparsest column first: most rules read an id few records carry
            required.sort(key=lambda column: column.count(None), reverse=True)
            indices = [i for i, value in enumerate(required[0]) if value is not None]
            for column in required[1:]:
                indices = [i for i in indices if column[i] is not None]
            return indices
        # a weighted rule: required fields present, and the present fields able to reach
        # min_score in full agreement
        needed = [column for column, c in compared if c.required]
        sparse = _holding_sparse(compared, rule.min_score)
        candidates: Sequence[int] = range(size) if sparse is None else sparse
        # column by column, adding each present field's weight in the order a per-record sum would
        totals: list[float] = [0] * len(candidates)
        for column, c in compared:
            weight = c.best_weight
            values = [column[i] for i in candidates]
            totals = [t if v is None else t + weight for t, v in zip(totals, values, strict=True)]
        indices = [
            i for i, total in zip(candidates, totals, strict=True) if total >= rule.min_score
        ]
        for column in needed:
            indices = [i for i in indices if column[i] is not None]
        return indices

    def signature(self, index: int) -> Signature:
        return tuple(column[index] for column in self.columns)

    def score(self, left: Signature, right: Signature) -> tuple[FieldEvidence, ...] | None:
        """The evidence when the rule holds for two signatures, else None."""
        if self._min_score is not None:
            return self._score_weighted(left, right, self._min_score)
        evidence: list[tuple[int, float]] = []
        for position, step in enumerate(self._steps):
            a, b = left[position], right[position]
            # compare_values, inlined: a missing side passes only a guard
            if a is None or b is None:
                value = 0.0 if step.passes else None
            elif a == b:
                value = 1.0
            elif step.scorer is None:
                value = None
            else:
                value = step.scorer(a, b)
                if value < step.min_score:
                    value = None
            if value is None and step.swap is not None:
                crossed = _similarity(step, a, b, left, right)
                value = crossed if crossed and crossed >= step.min_score else None
            if value is None:
                return None
            evidence.append((position, round(value, 4)))
        return self._evidence(tuple(evidence))

    def _score_weighted(
        self, left: Signature, right: Signature, min_score: float
    ) -> tuple[FieldEvidence, ...] | None:
        total = 0.0
        # the most the comparisons still to come could add, to stop once min_score is out of reach
        reachable = self._best_total
        evidence: list[tuple[int, float]] = []
        for position, step in enumerate(self._steps):
            reachable -= step.best_weight
            # _similarity, its direct comparison inlined: this runs for every candidate pair
            a, b = left[position], right[position]
            if a is None or b is None:
                value = None
            elif a == b:
                value = 1.0
            else:
                value = 0.0 if step.scorer is None else step.scorer(a, b)
                if step.swap is not None and value < step.min_score:
                    value = _similarity(step, a, b, left, right)
            if value is not None:
                if step.veto and value < step.lowest_agreement:
                    return None
                total += _weight_for(step, value)
            elif step.required:
                return None
            if total + reachable < min_score:
                return None
            if value is None:
                continue
            evidence.append((position, round(value, 4)))
        if total < min_score:
            return None
        return self._evidence(tuple(evidence))

    def presence(self, signature: Signature) -> int:
        """A bit per comparison whose own value the signature holds (for `may_fire`)."""
        mask = 0
        for position in range(len(self._steps)):
            if signature[position] is not None:
                mask |= 1 << position
        return mask

    def may_fire(self, left: Signature, right: Signature, both: int) -> bool:
        """False when a weighted rule cannot fire for two signatures (their presence masks
        ANDed in `both`); True means only that `score` must decide.

        Exact because in `_score_weighted` a comparison with a side missing adds nothing and
        no comparison adds more than its best weight: when the others at their best and this
        one just below its top level stay under min_score, the top level is needed, and for a
        top level at similarity 1.0 on a scorer that gives 1.0 only to equal values, that needs
        equal values (directly or across the swapped field).
        """
        need = self._need(both)
        if need is None:
            return False
        for position in need:
            a, b = left[position], right[position]
            if a == b:
                continue
            swap = self._steps[position].swap
            if swap is None or (a != right[swap] and left[swap] != b):
                return False
        return True

    def later_candidates(
        self, signatures: Sequence[Signature], masks: Sequence[int]
    ) -> list[list[int]]:
        """For each signature, the later ones (ascending) that `may_fire` can pass with it.

        A superset of those `may_fire` passes, found by looking up one value `may_fire` needs
        equal instead of testing every pair: a block of n signatures costs about n look-ups,
        not n * n / 2 tests, so a big block (a common surname) stays cheap.
        """
        by_mask: dict[int, list[int]] = {}
        for index, mask in enumerate(masks):
            by_mask.setdefault(mask, []).append(index)
        # per pair of masks, how to find the later signatures of the second one
        plans = {left: [self._plan(left, right, members, signatures)
                        for right, members in by_mask.items()] for left in by_mask}  # fmt: skip
        out: list[list[int]] = []
        for a, left in enumerate(signatures):
            found: list[int] = []
            for plan in plans[masks[a]]:
                if plan is None:
                    continue
                if isinstance(plan, list):
                    found.extend(plan[bisect_right(plan, a) :])
                    continue
                position, swap, direct, crossed = plan
                value = left[position]
                found.extend(b for b in direct.get(value, ()) if b > a)
                if crossed is not None:
                    found.extend(b for b in crossed.get(value, ()) if b > a)
                    if left[swap] is not None:
                        found.extend(b for b in direct.get(left[swap], ()) if b > a)
            out.append(sorted(set(found)) if len(found) > 1 else found)
        return out

    def _plan(
        self, left: int, right: int, members: list[int], signatures: Sequence[Signature]
    ) -> _Plan:
        """How to find the signatures of mask `right` that may fire with one of mask `left`:
        None (none can), a list (all can), or an index of one value they must share."""
        need = self._need(left & right)
        if need is None or not need:
            return None if need is None else members

        def index_of(column: int) -> dict[str | None, list[int]]:
            index: dict[str | None, list[int]] = {}
            for member in members:
                index.setdefault(signatures[member][column], []).append(member)
            return index

        # any one needed position will do: the one with the most distinct values is likeliest
        # to tell signatures apart (not the field the block was keyed on, which all share)
        indexes = {position: index_of(position) for position in need}
        position = max(need, key=lambda p: len(indexes[p]))
        swap = self._steps[position].swap
        crossed = index_of(swap) if swap is not None else None
        return position, swap or 0, indexes[position], crossed

    def _need(self, both: int) -> tuple[int, ...] | None:
        """`_needs_equal`, computed once per presence mask."""
        if both in self._needs:
            return self._needs[both]
        need = self._needs[both] = self._needs_equal(both)
        return need

    def _needs_equal(self, both: int) -> tuple[int, ...] | None:
        """None if the fields present on both sides cannot reach min_score; else the positions
        whose values must be equal for it."""
        steps = self._steps
        present = [p for p in range(len(steps)) if both >> p & 1]
        best = sum(steps[p].best_weight for p in present)
        min_score = self._min_score or 0.0
        if best < min_score:
            return None
        need = []
        for position in present:
            step = steps[position]
            if step.below_top is None:
                continue
            if best - step.best_weight + step.below_top < min_score:
                need.append(position)
        return tuple(need)

    def _evidence(self, scores: tuple[tuple[int, float], ...]) -> tuple[FieldEvidence, ...]:
        """The (shared, immutable) evidence tuple for these comparison scores."""
        found = self._interned.get(scores)
        if found is None:
            steps = self._steps
            found = tuple(
                FieldEvidence(steps[position].field, steps[position].method, score)
                for position, score in scores
            )
            self._interned[scores] = found
        return found


# later_candidates' way to one mask's signatures: none, all of them (ascending), or
# (position, swapped column, value -> signatures at position, value -> signatures at swapped column)
_Plan = (
    None
    | list[int]
    | tuple[int, int, dict[str | None, list[int]], dict[str | None, list[int]] | None]
)


def _holding_sparse(
    compared: list[tuple[Column, Comparison]], min_score: float
) -> list[int] | None:
    """The records with a value in one of the sparser fields, when the denser ones' best
    weights add up to less than min_score: no other record can reach it (None: all may).

    A person rule over business contacts: every record has a name, few a date of birth.
    """
    if any(c.best_weight < 0 for _, c in compared):
        return None
    # densest first, while their weights together stay under min_score
    by_density = sorted(compared, key=lambda item: item[0].count(None))
    dense = 0.0
    sparse_from = 0
    for position, (_, c) in enumerate(by_density):
        # a margin for float rounding: a record's own sum adds the weights in another order
        if dense + c.best_weight >= min_score - 1e-9 * max(1.0, abs(min_score)):
            break
        dense += c.best_weight
        sparse_from = position + 1
    sparse = by_density[sparse_from:]
    if not sparse or sparse_from == 0:
        return None
    holding: set[int] = set()
    for column, _ in sparse:
        holding.update(i for i, value in enumerate(column) if value is not None)
    return sorted(holding)


class _Step(NamedTuple):
    """One comparison's settings read once from the spec model (the scoring loop's hot data)."""

    field: str
    method: str
    swap: int | None
    min_score: float
    passes: bool  # a guard: a missing side holds with score 0.0
    scorer: Similarity | None  # None for exact and normalized: equal or not
    best_weight: float
    veto: bool
    required: bool  # a missing side stops a weighted rule
    lowest_agreement: float
    levels: tuple[tuple[float, float], ...]
    weight: float
    penalty: float
    # the most a weighted comparison adds without equal values, when its best needs them
    below_top: float | None


# Scorers giving similarity 1.0 to equal strings only (exact and normalized do too).
_ONE_MEANS_EQUAL = frozenset({"jaro_winkler", "osa"})


def _below_top(comparison: Comparison) -> float | None:
    """The most `weight_for` gives a similarity under 1.0, when 1.0 needs equal values (else
    None: no shortcut for this comparison)."""
    equal_only = comparison.method in ("exact", "normalized", "name") or (
        comparison.method == "fuzzy" and comparison.scorer in _ONE_MEANS_EQUAL
    )
    if not equal_only:
        return None
    if comparison.levels:
        if comparison.levels[0].at < 1.0:
            return None
        return max([level.weight for level in comparison.levels[1:]] + [-comparison.penalty])
    if comparison.min_score < 1.0:
        return None
    return -comparison.penalty


def _step(comparison: Comparison, swap: int | None) -> _Step:
    scorer: Similarity | None = None
    if comparison.method == "name":
        scorer = SCORERS["jaro_winkler"]
    elif comparison.method not in ("exact", "normalized"):
        scorer = SCORERS[comparison.scorer]
    return _Step(
        comparison.field,
        comparison.method,
        swap,
        comparison.min_score,
        comparison.if_missing == "pass",
        scorer,
        comparison.best_weight,
        comparison.veto,
        comparison.required,
        comparison.lowest_agreement,
        tuple((level.at, level.weight) for level in comparison.levels),
        comparison.weight,
        comparison.penalty,
        _below_top(comparison),
    )


def _weight_for(step: _Step, score: float) -> float:
    """Comparison.weight_for over the step's copy of the levels."""
    for at, weight in step.levels:
        if score >= at:
            return weight
    if not step.levels and score >= step.min_score:
        return step.weight
    return -step.penalty


def _similarity(
    step: _Step, a: str | None, b: str | None, left: Signature, right: Signature
) -> float | None:
    """Similarity of the field, or of the field against the other side's swapped field.

    A value missing on either side is missing (None), never crossed: a record without a first
    name must not have its last name scored against the other's first name and contradict it.
    """
    direct = _plain_similarity(step, a, b)
    swap = step.swap
    if swap is None or direct is None or direct >= step.min_score:
        return direct
    crossed = [
        s
        for s in (_plain_similarity(step, a, right[swap]), _plain_similarity(step, left[swap], b))
        if s is not None
    ]
    return max([direct, *crossed])


def _plain_similarity(step: _Step, a: str | None, b: str | None) -> float | None:
    """compare.similarity over the step: None if a side is missing, 1.0 if equal."""
    if a is None or b is None:
        return None
    if a == b:
        return 1.0
    if step.scorer is None:
        return 0.0
    return step.scorer(a, b)


def _column(comparison: Comparison, name: str, table: FieldTable, spec: IdentitySpec) -> Column:
    """The values one comparison reads: raw text for exact, nickname-mapped for name."""
    values = table.values[name]
    if comparison.method == "exact" and spec.fields[name] not in _DERIVED_KINDS:
        # junk and shared values were removed from the normalised column: honour that
        return [r if n is not None else None for r, n in zip(table.raw[name], values, strict=True)]
    if comparison.method == "name":
        # nickname-mapped once per field for all the rules that compare it by name
        mapped = table.name_columns.get(name)
        if mapped is None:
            mapped = [canonical_first_name(v) if v else None for v in values]
            table.name_columns[name] = mapped
        return mapped
    return values
