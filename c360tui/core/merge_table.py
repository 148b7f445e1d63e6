"""Every link one resolution made, as record positions grouped by customer.

A million customers come from about two million links. Kept as MergeEvidence objects, with a
list per customer and a position per link, they took about 300 MB; as columns of machine
integers and shared rule names and evidence tuples they take about 70 MB.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from c360tui.core.columnar import Ints, machine_ints
from c360tui.core.customer import FieldEvidence, MergeEvidence
from c360tui.core.records import RecordKey

Evidence = tuple[FieldEvidence, ...]


@dataclass(slots=True)
class MergeLog:
    """The links in the order they were made: left and right record positions, rule, evidence.

    Rule names and evidence tuples are shared by many links (the matcher interns its evidence),
    so each link costs four machine words.
    """

    left: array[int] = field(default_factory=lambda: array("q"))
    right: array[int] = field(default_factory=lambda: array("q"))
    rules: list[str] = field(default_factory=list)
    fields: list[Evidence] = field(default_factory=list)

    def add(self, left: int, right: int, rule: str, fields: Evidence) -> None:
        self.left.append(left)
        self.right.append(right)
        self.rules.append(rule)
        self.fields.append(fields)


@dataclass(frozen=True, slots=True)
class MergeTable:
    """The links grouped by customer: customer c's are rows `starts[c]` to `starts[c + 1]`, in
    the order they were made."""

    starts: array[int]
    left: array[int]
    right: array[int]
    rules: list[str]
    fields: list[Evidence]

    @classmethod
    def grouped(cls, log: MergeLog, owner: Sequence[int] | Ints, customers: int) -> MergeTable:
        """The log's links grouped by the customer of each link's left record (`owner[i]` is
        the customer position of record i); the log is emptied as they move."""
        of_link = np.asarray(owner, dtype=np.int64)[np.frombuffer(log.left, np.int64)]
        # a stable sort by customer keeps each customer's links in the order they were made
        order = machine_ints(np.argsort(of_link, kind="stable"))
        counts = np.bincount(of_link, minlength=customers)
        starts = machine_ints(np.concatenate((np.zeros(1, np.int64), np.cumsum(counts))))
        del of_link, counts
        # the log's columns in that order, each let go as soon as it is copied
        left = machine_ints(np.frombuffer(log.left, np.int64)[order])
        log.left = array("q")
        right = machine_ints(np.frombuffer(log.right, np.int64)[order])
        log.right = array("q")
        rules = list(map(log.rules.__getitem__, order))
        log.rules = []
        fields = list(map(log.fields.__getitem__, order))
        log.fields = []
        return cls(starts, left, right, rules, fields)

    def __len__(self) -> int:
        return len(self.left)

    def rows(self, customer: int) -> range:
        """The rows of customer `customer`'s links."""
        return range(self.starts[customer], self.starts[customer + 1])

    def evidence(self, customer: int, keys: Sequence[RecordKey]) -> list[MergeEvidence]:
        """Customer `customer`'s links as MergeEvidence, `keys[i]` naming record i."""
        return [
            MergeEvidence(
                keys[self.left[row]], keys[self.right[row]], self.rules[row], self.fields[row]
            )
            for row in self.rows(customer)
        ]
