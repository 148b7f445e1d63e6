"""The dashboard's drawings, as plain text: sparklines, bars, column charts, times and shares.

Pure (no I/O, no widgets): the dashboard screen turns them into Content, and tests read them.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content

from c360tui.core import durations
from c360tui.tui.safe_text import join

SPARKS = " ▁▂▃▄▅▆▇█"
EIGHTHS = " ▏▎▍▌▋▊▉█"
NO_DATA = "·"
CHART_HEIGHT = 5


def spark(values: Sequence[float | None], top: float | None = None) -> str:
    """One character per value, ▁ to █ against `top` (default the largest); · for no data."""
    known = [v for v in values if v is not None]
    peak = top if top is not None else max(known, default=0.0)
    out = []
    for value in values:
        if value is None:
            out.append(NO_DATA)
        elif peak <= 0:
            out.append(SPARKS[1])
        else:
            out.append(SPARKS[max(1, min(8, round(value / peak * 8)))])
    return "".join(out)


def bar(share: float | None, width: int) -> str:
    """A horizontal bar of `width` cells filled to `share` (0..1) in eighths; blank for None."""
    if share is None:
        return " " * width
    eighths = round(max(0.0, min(1.0, share)) * width * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full + (EIGHTHS[part] if part else "")
    return text.ljust(width, "░") if full < width else text[:width]


def column_chart(values: Sequence[float | None], height: int, step: int = 2) -> list[str]:
    """Columns `step` cells apart, `height` rows tall (top row first), scaled to the largest."""
    peak = max((v for v in values if v is not None), default=0.0)
    rows = []
    for row in range(height, 0, -1):
        line = []
        for value in values:
            if value is None or peak <= 0:
                cell = NO_DATA if value is None and row == 1 else " "
            else:
                level = value / peak * height * 8 - (row - 1) * 8
                cell = "█" if level >= 8 else SPARKS[max(0, round(level))] if level > 0 else " "
                if row == 1 and cell == " ":
                    cell = SPARKS[1]  # a day with decisions always shows
            line.append(cell.ljust(step))
        rows.append("".join(line).rstrip())
    return rows


def format_ms(ms: int | None) -> str:
    """Milliseconds for people: 850 ms, 3.2 s, 4m 05s; — when unknown."""
    return "—" if ms is None else durations.format_ms(ms)


def pct(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f}%"


def chart(title: str, values: list[float | None], days: Sequence[str], peak: str) -> Content:
    """A titled column chart, its peak on the first row and the first and last day below."""
    lines = [Content.styled(title, "bold")]
    if not days:
        return join(lines[0], "\n", Content.styled("no decisions", "$text-muted"))
    rows = column_chart(values, CHART_HEIGHT)
    width = max(len(days) * 2, 12)
    for index, row in enumerate(rows):
        label = peak if index == 0 else ""
        lines.append(join(Content(f"{label:>7} │"), Content.styled(row, "$accent")))
    lines.append(Content(f"{'':>7} └" + "─" * width))
    first, last = days[0][5:], days[-1][5:]
    axis = first if len(days) == 1 else first + last.rjust(width - len(first))
    lines.append(Content.styled(f"{'':>9}{axis}", "$text-muted"))
    return Content("\n").join(lines)
