"""Make untrusted customer text safe for a terminal: visible markers, no markup, bounded length.

Every customer string goes through here before it reaches a widget. Markup is never parsed (the
result is a `Content` or Rich `Text`, not a str), and characters a terminal would act on or hide
(ESC, C0/C1 controls, bidi overrides, zero-width characters) become visible markers, because
Textual only strips a handful of control characters itself.
"""

from __future__ import annotations

from functools import lru_cache

from rich.cells import cell_len
from rich.text import Text
from textual.content import Content

ELLIPSIS = "…"
# Markers are shown reversed so they cannot be mistaken for text the customer typed.
MARKER_STYLE = "reverse"

_BIDI = {*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C}
_ZERO_WIDTH = {0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD}
_SEPARATORS = {0x2028, 0x2029, 0x0085}


@lru_cache(maxsize=4096)
def _marker(char: str) -> str | None:
    """The visible marker for one character, or None when the character is safe as it is."""
    code = ord(char)
    if code < 0x20:
        # C0 controls (ESC is U+241B "␛") become their Unicode control pictures.
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    if 0x80 <= code <= 0x9F or code in _BIDI or code in _ZERO_WIDTH or code in _SEPARATORS:
        return f"<U+{code:04X}>"
    return None


def _pieces(value: str) -> list[tuple[str, bool]]:
    """Split text into runs of (text, is_marker) with every unsafe character replaced."""
    pieces: list[tuple[str, bool]] = []
    plain: list[str] = []
    for char in value:
        marker = _marker(char)
        if marker is None:
            plain.append(char)
            continue
        if plain:
            pieces.append(("".join(plain), False))
            plain = []
        pieces.append((marker, True))
    if plain:
        pieces.append(("".join(plain), False))
    return pieces


def _truncate(pieces: list[tuple[str, bool]], width: int) -> list[tuple[str, bool]]:
    """Cut runs to at most `width` cells, ending with an ellipsis when anything was cut."""
    total = sum(cell_len(text) for text, _ in pieces)
    if total <= width:
        return pieces
    budget = max(0, width - 1)
    kept: list[tuple[str, bool]] = []
    for text, is_marker in pieces:
        size = cell_len(text)
        if size <= budget:
            kept.append((text, is_marker))
            budget -= size
            continue
        if not is_marker:
            cut = []
            for char in text:
                char_size = cell_len(char)
                if char_size > budget:
                    break
                cut.append(char)
                budget -= char_size
            if cut:
                kept.append(("".join(cut), False))
        break
    kept.append((ELLIPSIS, False))
    return kept


def clean(value: object, max_width: int | None = None) -> str:
    """Plain string with unsafe characters replaced and, if asked, cut to `max_width` cells."""
    pieces = _pieces(str(value))
    if max_width is not None:
        pieces = _truncate(pieces, max_width)
    return "".join(text for text, _ in pieces)


def safe_content(value: object, max_width: int | None = None, style: str = "") -> Content:
    """Textual Content showing `value` literally, markers highlighted, never parsed as markup."""
    pieces = _pieces(str(value))
    if max_width is not None:
        pieces = _truncate(pieces, max_width)
    parts = [
        (text, f"{style} {MARKER_STYLE}".strip() if is_marker else style)
        for text, is_marker in pieces
    ]
    if not parts:
        return Content("")
    return Content.assemble(*parts)


def safe_text(value: object, max_width: int | None = None, style: str = "") -> Text:
    """Rich Text showing `value` literally, for tables and notifications that take Rich text."""
    pieces = _pieces(str(value))
    if max_width is not None:
        pieces = _truncate(pieces, max_width)
    text = Text(style=style, no_wrap=True, overflow="ellipsis", end="")
    for piece, is_marker in pieces:
        text.append(piece, style=MARKER_STYLE if is_marker else None)
    return text


def join(*parts: Content | str) -> Content:
    """Join trusted literal strings and already-safe Content without ever parsing markup."""
    return Content.assemble(
        *(part if isinstance(part, Content) else Content(part) for part in parts)
    )
