"""Union-find over record indices that refuses unions joining two values of a unique key."""

from __future__ import annotations

from array import array
from collections.abc import Mapping, Sequence

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
        # per root of two or more records: field -> the distinct values its members hold. A
        # single record's values are read from the columns: a set per record holding one took
        # 250 MB at a million customers.
        self._values: dict[int, dict[str, set[str]]] = {}
        self._splits: dict[int, set[SplitMark]] = {i: set(m) for i, m in splits.items()}

    def _values_of(self, root: int) -> dict[str, set[str]] | None:
        """The unique-key values a root's set holds (None: none)."""
        if self._size[root] > 1:
            return self._values.get(root)
        found: dict[str, set[str]] | None = None
        for name, column in self._unique:
            value = column[root]
            if value is not None:
                if found is None:
                    found = {}
                found[name] = {value}
        return found

    def find(self, index: int) -> int:
        parent = self._parent
        root = index
        while parent[root] != root:
            root = parent[root]
        while parent[index] != root:
            parent[index], index = root, parent[index]
        return root

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
        if (self._holds_unique(root_left) and self._holds_unique(root_right)) or (
            root_left in splits and root_right in splits
        ):
            reason = self.conflict(root_left, root_right)
            if reason is not None:
                return reason
        self.union(root_left, root_right)
        return True

    def _holds_unique(self, root: int) -> bool:
        if self._size[root] > 1:
            return root in self._values
        return any(column[root] is not None for _, column in self._unique)

    def conflict(self, left: int, right: int) -> str | None:
        """Why the sets of two roots must not be joined, or None when they may be."""
        marks_left = self._splits.get(left)
        marks_right = self._splits.get(right)
        if marks_left and marks_right:
            for number, side in marks_left:
                if (number, 1 - side) in marks_right:
                    return "a person said these records are different people (split request)"
        values_left = self._values_of(left)
        values_right = self._values_of(right)
        if not values_left or not values_right:
            return None
        for name, lefts in values_left.items():
            rights = values_right.get(name)
            if not rights:
                continue
            tolerance = self._max_edits.get(name, 0)
            for a in lefts:
                for b in rights:
                    if a != b and (tolerance == 0 or edit_distance(a, b) > tolerance):
                        return f"it would put two different {name} values in one customer"
        return None

    def union(self, left: int, right: int) -> int:
        """Join the sets of two distinct roots (caller checked `conflict`); returns the new root."""
        if self._size[left] < self._size[right]:
            left, right = right, left
        if self._unique:
            # the joined set's values, kept from now on (a single record's were read from the
            # columns: _values_of made them fresh sets; a root's are its own to extend)
            kept = self._values_of(left)
            moved = self._values_of(right)
            if moved:
                kept = kept or {}
                for name, values in moved.items():
                    kept.setdefault(name, set()).update(values)
            if kept:
                self._values[left] = kept
            self._values.pop(right, None)
        self._parent[right] = left
        self._size[left] += self._size[right]
        marks = self._splits.pop(right, None)
        if marks:
            self._splits.setdefault(left, set()).update(marks)
        return left
