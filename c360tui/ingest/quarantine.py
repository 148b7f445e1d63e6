"""A quarantined row: a row that could not be accepted, kept with where it was and why."""

from __future__ import annotations

from dataclasses import dataclass

# The raw text kept for one quarantined row; longer rows keep their start and say how much was cut,
# so a 10 MB junk line cannot bloat the store while the reason still names the problem.
RAW_KEEP_CHARS = 4_000


@dataclass(frozen=True, slots=True)
class QuarantinedRow:
    """One rejected row: feed, file name, physical line (1-based), raw text and a reason."""

    feed: str
    file: str
    line: int
    raw: str
    reason: str


def clip_raw(text: str) -> str:
    """Drop the line terminator and keep at most RAW_KEEP_CHARS characters of a raw row."""
    text = text.rstrip("\r\n")
    if len(text) <= RAW_KEEP_CHARS:
        return text
    return f"{text[:RAW_KEEP_CHARS]}… ({len(text) - RAW_KEEP_CHARS} more characters)"


class RowRejected(Exception):
    """A row-level problem found while reading; its message is the quarantine reason."""
