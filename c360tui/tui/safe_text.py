"""Make untrusted customer text safe for a terminal: visible markers, no markup, bounded length.

Every customer string goes through here before it reaches a widget. Markup is never parsed (the
result is a `Content` or Rich `Text`, not a str), and characters a terminal would act on or hide
(ESC, C0/C1 controls, bidi overrides, zero-width characters) become visible markers, because
Textual only strips a handful of control characters itself.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.content import Content

from c360tui.text_safety import ELLIPSIS
from c360tui.text_safety import pieces as _pieces

# Markers are shown reversed so they cannot be mistaken for text the customer typed.
MARKER_STYLE = "reverse"


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
