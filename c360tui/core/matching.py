"""One rule's comparison of two candidate records: prepared columns, plain and weighted scoring."""

from __future__ import annotations

from c360tui.core.blocking import Column, FieldTable
from c360tui.core.compare import compare_values, similarity
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
        # a weighted rule: the present fields must be able to reach min_score in full agreement
        best = [(column, c.best_weight) for column, c in compared]
        return [
            i
            for i in range(size)
            if sum(weight for column, weight in best if column[i] is not None) >= rule.min_score
        ]

    def signature(self, index: int) -> Signature:
        return tuple(column[index] for column in self.columns)

    def signatures(self) -> list[Signature]:
        """Every record's signature, built in one pass over the columns (index = record)."""
        return list(zip(*self.columns, strict=True))

    def score(self, left: Signature, right: Signature) -> tuple[FieldEvidence, ...] | None:
        """The evidence when the rule holds for two signatures, else None."""
        min_score = self.rule.min_score
        weighted = min_score is not None
        total = 0.0
        # the most the comparisons still to come could add, to stop once min_score is out of reach
        reachable = self._best_total if weighted else 0.0
        evidence: list[FieldEvidence] = []
        for position, comparison in enumerate(self.rule.compare):
            a, b = left[position], right[position]
            swap = self._swap.get(position)
            if min_score is not None:
                reachable -= comparison.best_weight
                value = self._similarity(comparison, a, b, swap, left, right)
                if value is not None:
                    if comparison.veto and value < comparison.lowest_agreement:
                        return None
                    total += comparison.weight_for(value)
                if total + reachable < min_score:
                    return None
                if value is None:
                    continue
            else:
                value = compare_values(comparison, a, b)
                if value is None and swap is not None:
                    crossed = self._similarity(comparison, a, b, swap, left, right)
                    value = crossed if crossed and crossed >= comparison.min_score else None
                if value is None:
                    return None
            evidence.append(FieldEvidence(comparison.field, comparison.method, round(value, 4)))
        if weighted and total < (self.rule.min_score or 0.0):
            return None
        return tuple(evidence)

    @staticmethod
    def _similarity(
        comparison: Comparison,
        a: str | None,
        b: str | None,
        swap: int | None,
        left: Signature,
        right: Signature,
    ) -> float | None:
        """Similarity of the field, or of the field against the other side's swapped field."""
        direct = similarity(comparison, a, b)
        if swap is None or (direct is not None and direct >= comparison.min_score):
            return direct
        crossed = [
            s
            for s in (similarity(comparison, a, right[swap]), similarity(comparison, left[swap], b))
            if s is not None
        ]
        candidates = [s for s in (direct, *crossed) if s is not None]
        return max(candidates) if candidates else None


def _column(comparison: Comparison, name: str, table: FieldTable, spec: IdentitySpec) -> Column:
    """The values one comparison reads: raw text for exact, nickname-mapped for name."""
    values = table.values[name]
    if comparison.method == "exact" and spec.fields[name] not in _DERIVED_KINDS:
        # junk and shared values were removed from the normalised column: honour that
        return [r if n is not None else None for r, n in zip(table.raw[name], values, strict=True)]
    if comparison.method == "name":
        return [canonical_first_name(v) if v else None for v in values]
    return values
