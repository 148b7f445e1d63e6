"""safe_text: unsafe characters become visible markers, markup stays literal, long text is cut."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from rich.text import Text
from textual.content import Content

from c360tui.tui.safe_text import clean, join, safe_content, safe_text


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[2J", "␛[2J"),
        ("a\x00b\x07c\x7f", "a␀b␇c\u2421"),
        ("line\nbreak\ttab\r", "line␊break␉tab␍"),
        ("csi\x9bJ", "csi<U+009B>J"),
        ("\u202egnp.exe", "<U+202E>gnp.exe"),
        ("\u2066isolate\u2069", "<U+2066>isolate<U+2069>"),
        ("zero\u200bwidth\u200c\u200d\ufeff", "zero<U+200B>width<U+200C><U+200D><U+FEFF>"),
        ("Zoë Ünal 山田", "Zoë Ünal 山田"),
    ],
)
def test_unsafe_characters_become_visible_markers(raw: str, shown: str) -> None:
    assert clean(raw) == shown
    assert safe_content(raw).plain == shown
    assert safe_text(raw).plain == shown


@pytest.mark.parametrize(
    "raw", ["[@click=app.quit]Call[/]", "Smith [/] Jones", "ACME [UK] Ltd", "[b]x"]
)
def test_markup_is_never_parsed(raw: str) -> None:
    content = safe_content(raw)
    assert isinstance(content, Content)
    assert content.plain == raw
    assert not any("@click" in str(span.style) for span in content.spans)
    text = safe_text(raw)
    assert isinstance(text, Text)
    assert text.plain == raw
    assert join("Name: ", content).plain == f"Name: {raw}"


def test_markers_are_styled_so_they_stand_out() -> None:
    content = safe_content("a\x1bb")
    assert [(span.start, span.end) for span in content.spans if "reverse" in str(span.style)] == [
        (1, 2)
    ]


@pytest.mark.parametrize("width", [1, 5, 12, 40])
def test_long_values_are_cut_with_an_ellipsis_within_the_width(width: int) -> None:
    value = "山田 Yamada Holdings International " * 5
    cut = clean(value, width)
    assert cell_len(cut) <= width
    assert cut.endswith("…")
    assert value.startswith(cut[:-1])


def test_short_values_are_not_cut() -> None:
    assert clean("Dana", 4) == "Dana"
    assert safe_content("Dana", 10).plain == "Dana"


def test_a_marker_is_never_split_by_the_cut() -> None:
    cut = clean("ab\u202ecdefgh", 6)
    assert cut in {"ab…", "ab<U+202E>…"}
    assert "<U+20" not in cut.replace("<U+202E>", "")
