"""Union-find over record indices that refuses unions joining two values of a unique key."""

from __future__ import annotations

from array import array
from collections.abc import Mapping, Sequence

import numpy as np

from c360tui.core.columnar import Ints
from c360tui.core.compare import edit_distance

# A split request's marker on a record: (request number, side 0 or 1).
SplitMark = tuple[int, int]


class GuardedUnionFind:
    """Disjoint sets of record indices, each root remembering its unique-key values.

    `unique` maps each unique-key field to its column (record index -> value or None);
    `max_edits` gives each field's typo tolerance; `splits` maps record index -> split marks
    (two records a person said are different people).
    """

    def __init__(
        self,
        size: int,
        unique: Mapping[str, Sequence[str | None]],
        max_edits: dict[str, int],
        splits: dict[int, set[SplitMark]],
    ) -> None:
        # machine integers: a list would hold an int object per record (100 MB at 1M customers)
        self._parent = array("q", range(size))
        self._size = [1] * size
        self._max_edits = max_edits
        self._unique = list(unique.items())
        # per unique field, per root of two or more records: the value its members hold, or
        # the values (a set) where a typo within tolerance let a second one in. A single
        # record's value is read from its column: a dict and a set per record took 250 MB at a
        # million customers.
        self._held: dict[str, dict[int, str | set[str]]] = {name: {} for name in unique}
        # 1 where a record's set holds any unique-key value: most links join sets holding none
        self._holding = bytearray(size)
        for _, column in self._unique:
            for index, value in enumerate(column):
                if value is not None:
                    self._holding[index] = 1
        self._splits: dict[int, set[SplitMark]] = {i: set(m) for i, m in splits.items()}

    def find(self, index: int) -> int:
        parent = self._parent
        root = index
        while parent[root] != root:
            root = parent[root]
        while parent[index] != root:
            parent[index], index = root, parent[index]
        return root

    def roots(self) -> Ints:
        """The root of every record, found for all at once (the sets are left as they are)."""
        # each record's parent replaced by its grandparent until every one is a root: a few
        # passes, since union by size keeps the trees shallow
        roots = np.frombuffer(self._parent, np.int64).copy()
        while True:
            above = roots[roots]
            if np.array_equal(above, roots):
                return roots
            roots = above

    def join(self, left: int, right: int) -> bool | str:
        """Join the sets of two records unless a guard forbids it: True when joined, False when
        they were one set already, else why they must stay apart (`conflict`)."""
        parent = self._parent
        # find, inlined for both records: this runs once per link
        root_left = left
        while parent[root_left] != root_left:
            root_left = parent[root_left]
        while parent[left] != root_left:
            parent[left], left = root_left, parent[left]
        root_right = right
        while parent[root_right] != root_right:
            root_right = parent[root_right]
        while parent[right] != root_right:
            parent[right], right = root_right, parent[right]
        if root_left == root_right:
            return False
        splits = self._splits
        # only two roots that both hold unique values, or both split marks, can conflict
        holding = self._holding
        if (holding[root_left] and holding[root_right]) or (
            root_left in splits and root_right in splits
        ):
            reason = self.conflict(root_left, root_right)
            if reason is not None:
                return reason
        self.union(root_left, root_right)
        return True

    def _value(self, name: str, column: Sequence[str | None], root: int) -> str | set[str] | None:
        """What a root's set holds of one unique field: a value, a set of values, or None."""
        if self._size[root] > 1:
            return self._held[name].get(root)
        return column[root]

    def conflict(self, left: int, right: int) -> str | None:
        """Why the sets of two roots must not be joined, or None when they may be."""
        marks_left = self._splits.get(left)
        marks_right = self._splits.get(right)
        if marks_left and marks_right:
            for number, side in marks_left:
                if (number, 1 - side) in marks_right:
                    return "a person said these records are different people (split request)"
        for name, column in self._unique:
            value_left = self._value(name, column, left)
            value_right = self._value(name, column, right)
            if value_left is None or value_right is None or value_left == value_right:
                continue
            tolerance = self._max_edits.get(name, 0)
            lefts = (value_left,) if isinstance(value_left, str) else value_left
            rights = (value_right,) if isinstance(value_right, str) else value_right
            for a in lefts:
                for b in rights:
                    if a != b and (tolerance == 0 or edit_distance(a, b) > tolerance):
                        return f"it would put two different {name} values in one customer"
        return None

    def union(self, left: int, right: int) -> int:
        """Join the sets of two distinct roots (caller checked `conflict`); returns the new root."""
        if self._size[left] < self._size[right]:
            left, right = right, left
        if self._holding[right]:
            self._join_values(left, right)
            self._holding[left] = 1
        elif self._holding[left] and self._size[left] == 1:
            self._join_values(left, right)  # the single record's value now stands for its set
        self._parent[right] = left
        self._size[left] += self._size[right]
        marks = self._splits.pop(right, None)
        if marks:
            self._splits.setdefault(left, set()).update(marks)
        return left

    def _join_values(self, left: int, right: int) -> None:
        """The unique-key values of root `left`'s set once root `right`'s joins it."""
        for name, column in self._unique:
            kept = self._value(name, column, left)
            moved = self._value(name, column, right)
            held = self._held[name]
            held.pop(right, None)
            if moved is None or moved == kept:
                if kept is not None:
                    held[left] = kept  # (a single record's value now stands for its set)
                continue
            if kept is None:
                held[left] = moved
                continue
            joined = kept if isinstance(kept, set) else {kept}
            joined.update((moved,) if isinstance(moved, str) else moved)
            held[left] = joined
