"""Marks and scans shared by the coercers that take a batch of rows one column at a time."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import compress, repeat
from operator import is_
from typing import TypeVar

T = TypeVar("T")


class Refused:
    """The mark of a cell its coercer refused (its row is then rebuilt one cell at a time)."""


REFUSED = Refused()


def positions(values: Sequence[object], mark: object) -> list[int]:
    """The indices of `values` holding the object `mark` itself (a C-level scan)."""
    return list(compress(range(len(values)), map(is_, values, repeat(mark))))


def blank_positions(stripped: list[str]) -> list[int]:
    """The indices of the empty strings in a list of stripped cells."""
    return positions(stripped, "") if "" in stripped else []


def on_filled(
    fast: Callable[[list[str]], Sequence[T]], stripped: list[str], blanks: list[int]
) -> list[T | None]:
    """`fast` applied to the non-blank stripped cells, with None in the blanks' places."""
    if not blanks:
        return list(fast(stripped))
    keep = [index for index, text in enumerate(stripped) if text]
    out: list[T | None] = [None] * len(stripped)
    for index, value in zip(keep, fast([stripped[index] for index in keep]), strict=True):
        out[index] = value
    return out


def with_blanks(raw: list[object]) -> list[str] | None:
    """JSON values that are all text or missing, as text ("" for missing); else None."""
    kinds = set(map(type, raw))
    if kinds <= {str}:
        return raw  # type: ignore[return-value]  # every value is a str
    if kinds <= {str, type(None)}:
        return ["" if value is None else value for value in raw]  # type: ignore[misc]
    return None
