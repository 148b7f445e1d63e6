"""Every link one resolution made, as record positions grouped by customer.

A million customers come from about two million links. Kept as MergeEvidence objects, with a
list per customer and a position per link, they took about 300 MB; as columns of machine
integers and shared rule names and evidence tuples they take about 70 MB.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate

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

    def __len__(self) -> int:
        return len(self.left)


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
    def grouped(cls, log: MergeLog, owner: Sequence[int], customers: int) -> MergeTable:
        """The log's links grouped by the customer of each link's left record (`owner[i]` is
        the customer position of record i)."""
        links = len(log)
        of_link = array("q", [owner[position] for position in log.left])
        counts = array("q", bytes(8 * (customers + 1)))
        for customer in of_link:
            counts[customer + 1] += 1
        starts = array("q", accumulate(counts))
        del counts
        # a counting sort: each link goes to the next free row of its customer, so each
        # customer's links keep the order they were made in (and no list of links is sorted)
        free = array("q", starts)
        left, right = array("q", bytes(8 * links)), array("q", bytes(8 * links))
        rules: list[str] = [""] * links
        fields: list[Evidence] = [()] * links
        for link, customer in enumerate(of_link):
            row = free[customer]
            free[customer] = row + 1
            left[row] = log.left[link]
            right[row] = log.right[link]
            rules[row] = log.rules[link]
            fields[row] = log.fields[link]
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
