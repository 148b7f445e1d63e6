"""Coercing a batch of rows one column at a time: the hot path of ingest.

A column's cells are coerced together. Repeated cells (a plan, a status, a common first name)
come from the column's memo, up to MEMO_LIMIT distinct cells, and every record holding one
shares one value object; a column whose first MEMO_PROBE cells were mostly distinct (ids,
emails, timestamps) stops remembering. Its cells then go through a `fast` pass of C-level calls
(strip, a regex, float, fromisoformat) that accepts exactly what the column's coercer accepts;
a batch holding anything the pass is unsure of goes cell by cell through the coercer itself, so
every value and every refusal is the coercer's own.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from c360tui.core.records import AttrValue
from c360tui.core.sources_spec import AttributeSpec
from c360tui.ingest.cellbatch import (
    REFUSED,
    Refused,
    blank_positions,
    on_filled,
    positions,
    with_blanks,
)
from c360tui.ingest.coerce import EMAIL_SHAPE, INT_TEXT, PHONE_SHAPE, Coercers
from c360tui.ingest.timestamps import iso_texts

# Distinct cells remembered per column; past it new cells are coerced without being kept.
MEMO_LIMIT = 50_000
# When a column's memo reaches this many cells within twice as many rows, it is dropped.
MEMO_PROBE = 2_048
# Integers a float holds exactly: the coercer's float round trip leaves these unchanged.
_EXACT_INT = 2**53

_SHAPES = {"email": EMAIL_SHAPE.fullmatch, "phone": PHONE_SHAPE.fullmatch}

# A fast pass over a batch's stripped non-blank cells; raises ValueError when unsure.
Fast = Callable[[list[str]], Sequence[AttrValue]]
# A fast pass over JSON values (no strings among them, None for missing); same contract.
Native = Callable[[list[object]], list[object]]


Cell = AttrValue | None | Refused


class Column:
    """One mapped column of a file: its coercers, memo and fast passes."""

    __slots__ = ("coercers", "fast", "memo", "native", "rows", "shape")

    def __init__(self, spec: AttributeSpec, coercers: Coercers) -> None:
        self.coercers = coercers
        self.fast, self.native = _fast_passes(spec)
        # stripped text of this shape is its own value (emails, phones); other text is coerced
        self.shape = _SHAPES.get(spec.type) if not spec.choices else None
        # values of lists of floats are mutable, so they are never shared
        self.memo: dict[str, AttrValue] | None = None if spec.type == "floats" else {}
        self.rows = 0

    def texts(self, cells: Sequence[str]) -> tuple[Sequence[Cell], list[int]]:
        """Coerce CSV cells: their values (None for blank) and the positions refused."""
        memo = self.memo
        if memo is not None:
            return self._remembered(memo, cells)
        if self.shape is not None:
            return self._shaped(self.shape, cells)
        fast = self.fast
        if fast is not None:
            stripped = list(map(str.strip, cells))
            try:
                return on_filled(fast, stripped, blank_positions(stripped)), []
            except ValueError:
                pass
        return self._each(cells, self.coercers.text)

    def values(self, raw: list[object]) -> tuple[Sequence[Cell], list[int]]:
        """Coerce JSON values: their values (None for missing or blank), positions refused."""
        texts = with_blanks(raw)
        if texts is not None:
            return self.texts(texts)
        if self.native is not None:
            try:
                return self.native(raw), []  # type: ignore[return-value]  # no Refused among them
            except ValueError:
                pass
        return self._each(raw, self.coercers.value)

    def _remembered(
        self, memo: dict[str, AttrValue], cells: Sequence[str]
    ) -> tuple[Sequence[Cell], list[int]]:
        out: list[Cell] = list(map(memo.get, cells))  # coercers never give None: unseen
        refused: list[int] = []
        coerce = self.coercers.text
        for index in positions(out, None):
            cell = cells[index]
            if not cell or cell.isspace():
                continue
            try:
                value = coerce(cell)
            except ValueError:
                out[index] = REFUSED
                refused.append(index)
                continue
            out[index] = value
            if len(memo) < MEMO_LIMIT:
                memo[cell] = value
        before = self.rows
        self.rows += len(cells)
        if len(memo) >= MEMO_PROBE and before < 2 * MEMO_PROBE:
            self.memo = None  # mostly distinct cells: remembering them does not pay
        return out, refused

    def _shaped(
        self, shape: Callable[[str], object], cells: Sequence[str]
    ) -> tuple[Sequence[Cell], list[int]]:
        out: list[Cell] = list(map(str.strip, cells))
        refused: list[int] = []
        coerce = self.coercers.text
        for index in positions(list(map(shape, out)), None):  # type: ignore[arg-type]
            if not out[index]:
                out[index] = None
                continue
            try:
                out[index] = coerce(cells[index])
            except ValueError:
                out[index] = REFUSED
                refused.append(index)
        return out, refused

    @staticmethod
    def _each(
        cells: Sequence[object], coerce: Callable[[Any], AttrValue]
    ) -> tuple[Sequence[Cell], list[int]]:
        out: list[Cell] = []
        refused: list[int] = []
        for cell in cells:
            if cell is None or (cell.__class__ is str and (not cell or cell.isspace())):
                out.append(None)
                continue
            try:
                out.append(coerce(cell))
            except ValueError:
                refused.append(len(out))
                out.append(REFUSED)
        return out, refused


def _fast_passes(spec: AttributeSpec) -> tuple[Fast | None, Native | None]:
    """The fast passes for an attribute's type; None where the memo or the coercer does."""
    if spec.choices:
        return None, None
    low = -math.inf if spec.min is None else spec.min
    high = math.inf if spec.max is None else spec.max
    match spec.type:
        case "string":
            return _same, None
        case "int":
            return _ints(low, high), _native_ints(low, high)
        case "float":
            return _floats(low, high), None
        case "floats":
            return _float_lists(low, high), None
        case "bool":
            return None, _native_bools
        case "date":
            return _dates, None
        case "datetime":
            return iso_texts, None
    return None, None


def _same(stripped: list[str]) -> Sequence[AttrValue]:
    return stripped  # text is its own value


def _in_range(numbers: Sequence[float], low: float, high: float) -> None:
    if numbers and (min(numbers) < low or max(numbers) > high):
        raise ValueError("a number out of range")


def _ints(low: float, high: float) -> Fast:
    def fast(stripped: list[str]) -> Sequence[AttrValue]:
        if not all(map(INT_TEXT.fullmatch, stripped)):
            raise ValueError("not all whole numbers")
        numbers = list(map(int, stripped))
        _in_range(numbers, low, high)
        return numbers

    return fast


def _native_ints(low: float, high: float) -> Native:
    """JSON integers within a float's exact range are their own values."""

    def native(raw: list[object]) -> list[object]:
        if not set(map(type, raw)) <= {int, type(None)}:
            raise ValueError("not all integers")
        numbers: list[int] = [value for value in raw if value is not None]  # type: ignore[misc]
        _in_range(numbers, max(low, -_EXACT_INT), min(high, _EXACT_INT))
        return raw

    return native


def _native_bools(raw: list[object]) -> list[object]:
    if not set(map(type, raw)) <= {bool, type(None)}:
        raise ValueError("not all booleans")
    return raw


def _finite_numbers(texts: list[str], joined: str) -> list[float]:
    """The cells read as floats, refused (as unsure) on an underscore or a non-finite sum."""
    if "_" in joined:
        raise ValueError("an underscore")
    numbers = list(map(float, texts))
    if not math.isfinite(sum(numbers)):
        raise ValueError("a non-finite number")
    return numbers


def _floats(low: float, high: float) -> Fast:
    def fast(stripped: list[str]) -> Sequence[AttrValue]:
        numbers = _finite_numbers(stripped, "".join(stripped))
        _in_range(numbers, low, high)
        return numbers

    return fast


def _float_lists(low: float, high: float) -> Fast:
    """Semicolon lists: every cell's parts read at once, then cut back into one list each."""

    def fast(stripped: list[str]) -> list[AttrValue]:
        joined = ";".join(stripped)
        if "[" in joined:
            raise ValueError("a JSON array")
        numbers = _finite_numbers(joined.split(";"), joined)
        _in_range(numbers, low, high)
        out: list[AttrValue] = []
        start = 0
        for text in stripped:
            end = start + text.count(";") + 1
            out.append(numbers[start:end])
            start = end
        return out

    return fast


def _dates(stripped: list[str]) -> list[AttrValue]:
    return list(map(date.isoformat, map(date.fromisoformat, stripped)))
