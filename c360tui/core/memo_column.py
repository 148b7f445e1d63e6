"""A column of normalised values filled one raw value at a time, new values normalised in batches.

Ingest normalises each record's identity fields as it reads them. A memo keyed by the raw value
makes a repeated value (one person's many tickets) cost one dictionary look-up; a value the
memo does not hold yet waits in the column, as itself, until `flush` normalises every waiting
value in one vectorised pass (core/normalize_batch.py) and puts the results in their places.
Normalised values are interned, so every record holding one shares one string.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from sys import intern

# Raw values a memo remembers; past it the memo starts afresh. Bounds the raw text kept alive
# while millions of rows are read.
MEMO_LIMIT = 1 << 16

Batch = Callable[[Sequence[str | None]], list[str | None]]
# MemoColumn.wait, as the hot loops that fill columns hold it.
Wait = Callable[[object], None]


class MemoColumn:
    """Normalised values in the order their raw values were added (see the module docstring).

    `batch` normalises a list of texts; `text` turns a raw value into the text it reads (None
    for no text). A hot loop fills it with the bound methods `memo.get`, `column.append` (a
    remembered value) and `wait` (a new one). Read `column` only after `flush`.
    """

    __slots__ = ("batch", "column", "memo", "text", "waiting", "waiting_at")

    def __init__(self, batch: Batch, text: Callable[[object], str | None]) -> None:
        self.batch = batch
        self.text = text
        self.memo: dict[object, str | None] = {None: None}
        self.column: list[str | None] = []
        # distinct raw values met since the last flush, and where the column holds them
        self.waiting: dict[object, None] = {}
        self.waiting_at: list[int] = []

    def wait(self, value: object) -> None:
        """Put a value the memo does not hold yet at the end of the column, until `flush`."""
        self.waiting_at.append(len(self.column))
        self.waiting[value] = None
        self.column.append(value)  # type: ignore[arg-type]

    def flush(self) -> None:
        """Normalise the waiting values together and put the results in their places."""
        if not self.waiting_at:
            return
        values = list(self.waiting)
        text = self.text
        results = self.batch([text(value) for value in values])
        found = {
            value: None if result is None else intern(result)
            for value, result in zip(values, results, strict=True)
        }
        memo = self.memo
        if len(memo) + len(found) > MEMO_LIMIT:
            memo.clear()
            memo[None] = None
        memo.update(found)
        column = self.column
        for position in self.waiting_at:
            column[position] = found[column[position]]
        self.waiting = {}
        self.waiting_at = []

    def take(self) -> list[str | None]:
        """The normalised column so far, handed over; the column starts empty (the memo stays)."""
        self.flush()
        column, self.column = self.column, []
        return column
