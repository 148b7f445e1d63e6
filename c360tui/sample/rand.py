"""A seeded random stream with cheap picks, for generating millions of rows.

`random.Random.randrange`/`choice`/`choices` cost several times a bare `random()`; these
versions cost one `random()` each. They are a tiny bit non-uniform, which sample data can afford.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import MutableSequence, Sequence
from itertools import accumulate
from typing import TypeVar

T = TypeVar("T")


class Rand(random.Random):
    """`random.Random` seeded as usual; `randrange`, `choice`, `weighted`, `shuffle` draw once."""

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:
        if stop is None:
            start, stop = 0, start
        if step == 1:
            return start + int(self.random() * (stop - start))
        return start + step * int(self.random() * ((stop - start) // step))

    def choice(self, seq: Sequence[T]) -> T:  # type: ignore[override]
        return seq[int(self.random() * len(seq))]

    def weighted(self, seq: Sequence[T], cum_weights: Sequence[float]) -> T:
        """One item of `seq` drawn by cumulative weights (see `cumulative`)."""
        return seq[bisect(cum_weights, self.random() * cum_weights[-1])]

    def shuffle(self, x: MutableSequence[T]) -> None:
        r = self.random
        for i in range(len(x) - 1, 0, -1):
            j = int(r() * (i + 1))
            x[i], x[j] = x[j], x[i]


def cumulative(weights: Sequence[float]) -> tuple[float, ...]:
    """Cumulative weights for `Rand.weighted`."""
    return tuple(accumulate(weights))
