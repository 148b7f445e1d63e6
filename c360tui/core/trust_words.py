"""How a trust state is said: a glyph and a word, so it survives NO_COLOR and colour-blind eyes."""

from __future__ import annotations

from typing import Final

from c360tui.core.decision_model import TrustState

TRUST_GLYPHS: Final[dict[TrustState, str]] = {
    "trusted": "✓",
    "stale": "⌛",
    "conflicted": "⚠",
    "missing": "∅",
    "unverified": "?",
}
FLAGGED_GLYPH: Final = "⚑"


def trust_label(state: TrustState, flagged: bool = False) -> str:
    """ "✓ trusted", "⚠ conflicted", with "⚑ flagged" appended when a person flagged the value."""
    label = f"{TRUST_GLYPHS[state]} {state}"
    return f"{label} {FLAGGED_GLYPH} flagged" if flagged else label
