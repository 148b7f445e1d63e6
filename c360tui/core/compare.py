"""Field comparisons for match rules: similarity scorers and the per-comparison verdict."""

from __future__ import annotations

from collections.abc import Callable

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, JaroWinkler

from c360tui.core.identity_spec import Comparison, Scorer

Similarity = Callable[[str, str], float]


def _token_sort(left: str, right: str) -> float:
    return float(fuzz.token_sort_ratio(left, right)) / 100.0


def _token_set(left: str, right: str) -> float:
    return float(fuzz.token_set_ratio(left, right)) / 100.0


def _ratio(left: str, right: str) -> float:
    return float(fuzz.ratio(left, right)) / 100.0


def _jaro_winkler(left: str, right: str) -> float:
    return float(JaroWinkler.normalized_similarity(left, right))


def _osa(left: str, right: str) -> float:
    return 1.0 - OSA.distance(left, right) / max(len(left), len(right), 1)


def _transposition(left: str, right: str) -> float:
    """1.0 equal, 0.9 when one swap of neighbouring characters makes them equal, else 0.0.

    The commonest keying slip in an id; unlike one edit it never turns one number into the
    next one issued (a twin's national id may be the next number).
    """
    if left == right:
        return 1.0
    if len(left) != len(right):
        return 0.0
    diff = [i for i, (a, b) in enumerate(zip(left, right, strict=True)) if a != b]
    if len(diff) == 2 and diff[1] == diff[0] + 1:
        i, j = diff
        if left[i] == right[j] and left[j] == right[i]:
            return 0.9
    return 0.0


SCORERS: dict[Scorer, Similarity] = {
    "osa": _osa,
    "jaro_winkler": _jaro_winkler,
    "ratio": _ratio,
    "token_sort": _token_sort,
    "token_set": _token_set,
    "transposition": _transposition,
}


def compare_values(comparison: Comparison, left: str | None, right: str | None) -> float | None:
    """Score one comparison of two prepared values; None when it does not hold.

    A missing side fails the comparison unless it is a guard (`if_missing = "pass"`), which
    then holds with score 0.0, so the evidence shows it was not really compared.
    """
    if left is None or right is None:
        return 0.0 if comparison.if_missing == "pass" else None
    if left == right:
        return 1.0
    if comparison.method in ("exact", "normalized"):
        return None
    scorer = _jaro_winkler if comparison.method == "name" else SCORERS[comparison.scorer]
    score = scorer(left, right)
    return score if score >= comparison.min_score else None


def similarity(comparison: Comparison, left: str | None, right: str | None) -> float | None:
    """How alike two prepared values are (0..1) by the comparison's method; None if one is missing.

    exact and normalized give 1.0 or 0.0; fuzzy and name give the scorer's similarity.
    """
    if left is None or right is None:
        return None
    if left == right:
        return 1.0
    if comparison.method in ("exact", "normalized"):
        return 0.0
    scorer = _jaro_winkler if comparison.method == "name" else SCORERS[comparison.scorer]
    return scorer(left, right)


def edit_distance(left: str, right: str) -> int:
    """Optimal-string-alignment distance: a transposition of two neighbours counts as one edit."""
    return int(OSA.distance(left, right))
