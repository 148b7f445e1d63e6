"""Untrusted text made safe for a terminal, for every front end (CLI tables, TUI, reports).

Characters a terminal would act on or hide become visible markers: C0 controls (ESC included)
their Unicode control pictures ("␛"), DEL "␡", and C1 controls, bidi overrides, zero-width and
line-separator characters "<U+202E>". Markup is never involved: callers wrap the result in
rich.text.Text or textual Content.
"""

from __future__ import annotations

from functools import lru_cache

ELLIPSIS = "…"

_BIDI = {*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C}
_ZERO_WIDTH = {0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD}
_SEPARATORS = {0x2028, 0x2029, 0x0085}


@lru_cache(maxsize=4096)
def marker(char: str) -> str | None:
    """The visible marker for one character, or None when the character is safe as it is."""
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    if 0x80 <= code <= 0x9F or code in _BIDI or code in _ZERO_WIDTH or code in _SEPARATORS:
        return f"<U+{code:04X}>"
    return None


def pieces(value: str) -> list[tuple[str, bool]]:
    """Split text into runs of (text, is_marker) with every unsafe character replaced."""
    runs: list[tuple[str, bool]] = []
    plain: list[str] = []
    for char in value:
        replacement = marker(char)
        if replacement is None:
            plain.append(char)
            continue
        if plain:
            runs.append(("".join(plain), False))
            plain = []
        runs.append((replacement, True))
    if plain:
        runs.append(("".join(plain), False))
    return runs


def printable(value: str, limit: int | None = None) -> str:
    """`value` with unsafe characters as markers, cut to `limit` characters with an ellipsis."""
    if not value.isprintable():
        value = "".join(text for text, _ in pieces(value))
    if limit is not None and len(value) > limit:
        value = value[: max(0, limit - 1)] + ELLIPSIS
    return value
