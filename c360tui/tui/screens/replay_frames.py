"""The replay drawn ahead: each step's timeline row and frame (customer line, the recorded view's
lines, the event line), built once in the loading worker so showing a step swaps prebuilt Content.

Pure text building: every recorded string goes through safe_content, never markup. Equal lines
are interned to one object, so the widgets can tell what changed between steps by identity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from rich.cells import cell_len
from textual.content import Content
from textual.geometry import Size

from c360tui.core.durations import age_against_budget, format_age, format_ms
from c360tui.metrics.replay import ShownView, Step, describe
from c360tui.telemetry.events import ShownSignal
from c360tui.tui.safe_text import join, safe_content

# Trust as glyph and word (the decision view's look), so NO_COLOR still tells them apart.
TRUST = {
    "trusted": ("✓", "$success"),
    "stale": ("⌛", "$warning"),
    "conflicted": ("⚠", "bold $error"),
    "missing": ("∅", "$text-muted"),
    "unverified": ("?", "italic $warning"),
}
# The signal id column: as wide as the session's longest id, up to this many cells.
NAME_WIDTH = 20
# What the highlighted line says the rep just did.
DOING = {
    "field_expanded": "◀ expand",
    "field_collapsed": "◀ collapse",
    "provenance_opened": "◀ why",
    "value_flagged": "◀ flag",
    "section_expanded": "◀ open",
    "section_collapsed": "◀ close",
}


def clock(ms: int) -> str:
    """Time since the session started: 0:03.5, 12:40.0, 1:02:03.0."""
    minutes, tenths = divmod(round(ms / 100), 600)  # rounded first: 59.96 s is 1:00.0, not 0:60.0
    hours, minutes = divmod(minutes, 60)
    seconds = tenths / 10
    return f"{hours}:{minutes:02d}:{seconds:04.1f}" if hours else f"{minutes}:{seconds:04.1f}"


def gap(ms: int) -> str:
    """The time since the previous event: +850 ms, +3.2 s, +4m 05s."""
    return f"+{format_ms(ms)}"


def short(step: Step) -> str:
    """A step in a few words for the timeline (the full sentence is shown below the view)."""
    who = f" {step.customer_id}" if step.customer_id else ""
    if step.type == "action_taken":
        verdict = f"✗ overrode {step.recommended_action}" if step.override else "✓ as recommended"
        return f"● {step.action}{who} {verdict}"
    if step.type == "view_opened" and step.view is not None:
        return f"▣ view{who} ★ {step.view.recommended_action}"
    if step.type in DOING and step.target is not None:
        verb = DOING[step.type].removeprefix("◀ ")
        return f"{'⚑ ' if verb == 'flag' else ''}{verb} {step.target}"
    if step.type == "screen_opened":
        return f"screen {step.screen}"
    return step.type.replace("_", " ") + who


def age_text(signal: ShownSignal) -> str:
    """Age against budget as the live view said it ("2d / 24h"), from what was recorded.

    The budget is in the spec's words the event recorded; an older event without them says the
    seconds as the live view would (age_against_budget, the function both use).
    """
    age = None if signal.age_seconds is None else timedelta(seconds=signal.age_seconds)
    if signal.budget_seconds is None:
        return "?" if age is None else format_age(age)
    budget = timedelta(seconds=signal.budget_seconds)
    return age_against_budget(age, budget, signal.budget, unknown="?")


def signal_line(
    signal: ShownSignal, view: ShownView, step: Step | None, name_width: int = NAME_WIDTH
) -> Content:
    """One recorded signal: open mark, rank, id, trust glyph+word, freshness, age/budget, flag.

    The line of the signal `step` is about is reversed and says what the rep did to it.
    """
    glyph, style = TRUST[signal.trust]
    open_mark = "▾" if signal.id in view.expanded else " "
    flagged = signal.id in view.flagged
    name = safe_content(signal.id, name_width)
    line = join(
        Content(f"{open_mark}{signal.rank:>2}"),
        Content.styled("⚑", "bold $error") if flagged else " ",
        name.pad_right(max(0, name_width - name.cell_length)),
        " ",
        Content.styled(f"{glyph} {signal.trust:<10}", style),
        " ",
        Content(f"{signal.freshness:<7} {age_text(signal):<9} "),
        Content.styled("flagged ", "bold $error") if flagged else Content(""),
    )
    if step is not None and step.target == signal.id and step.type in DOING:
        return join(line, " ", Content.styled(DOING[step.type], "bold")).stylize("reverse")
    return line


def view_lines(view: ShownView, step: Step | None, name_width: int = NAME_WIDTH) -> list[Content]:
    """The recorded view: ranked signals, the fold, then each section open or closed."""
    lines: list[Content] = []
    ranked = [s for s in view.signals if s.section is None]
    below = False
    for signal in sorted(ranked, key=lambda s: s.rank):
        if not signal.above_fold and not below:
            below = True
            lines.append(Content.styled("   ── below the fold ──", "$text-muted"))
        lines.append(signal_line(signal, view, step, name_width))
    sections: dict[str, list[ShownSignal]] = {}
    for signal in view.signals:
        if signal.section is not None:
            sections.setdefault(signal.section, []).append(signal)
    for section, members in sections.items():
        is_open = section in view.open_sections
        head = join(
            Content("▾ " if is_open else "▸ "),
            safe_content(section, 30),
            Content.styled(f"  {len(members)} signal(s)", "$text-muted"),
        )
        if step is not None and step.target == section and step.type in DOING:
            head = join(head, " ", Content.styled(DOING[step.type], "bold")).stylize("reverse")
        lines.append(head)
        if is_open:
            lines += [join("  ", signal_line(s, view, step, name_width)) for s in members]
    return lines


def event_line(step: Step) -> Content:
    """What happened at this step, the action and whether it overrode the recommendation."""
    if step.type == "action_taken":
        verdict = (
            Content.styled(f" OVERRODE {step.recommended_action} ", "bold reverse $error")
            if step.override
            else Content.styled(" as recommended ", "bold reverse $success")
        )
        return join(
            Content.styled("ACTION ", "bold"),
            safe_content(step.action or "", 24, style="bold"),
            " ",
            verdict,
            Content.styled(f"  {format_ms(step.ms_since_view or 0)} after the view opened", "dim"),
        )
    return join(Content.styled("EVENT ", "bold"), safe_content(describe(step), 100))


def customer_line(view: ShownView | None) -> Content:
    """Who the view was about, which view, how it was reached and what it recommended."""
    if view is None:
        return Content.styled("No decision view on screen at this moment.", "dim")
    return join(
        safe_content(view.customer_id, 24, style="bold"),
        Content.styled(" · ", "dim"),
        safe_content(view.view or "—", 28),
        Content.styled(f" · via {view.via} · recommends ", "dim"),
        safe_content(f"★ {view.recommended_action}", 24, style="bold"),
    )


@dataclass(frozen=True, slots=True)
class Frame:
    """One step drawn ahead of time, so showing it only swaps prebuilt Content."""

    customer: Content
    lines: tuple[Content, ...]
    event: Content


@dataclass(frozen=True, slots=True)
class Replay:
    """A loaded session: its steps, their timeline rows and frames, the view's largest size."""

    steps: list[Step]
    header: Content
    rows: list[Content]
    frames: list[Frame]
    view_size: Size
    rows_width: int = 0  # the widest timeline row, in cells
    view_keep: int = 0  # the widest view line without the "◀ what the rep did" marker


class _Interner:
    """Equal Content (same text and spans) as one object, so show() can compare by identity."""

    def __init__(self) -> None:
        self._seen: dict[object, object] = {}

    def content(self, content: Content) -> Content:
        key = (content.plain, tuple(content.spans))
        return self._seen.setdefault(key, content)  # type: ignore[return-value]

    def lines(self, lines: list[Content]) -> tuple[Content, ...]:
        kept = tuple(self.content(line) for line in lines)
        return self._seen.setdefault(tuple(map(id, kept)), kept)  # type: ignore[return-value]


def _unmarked_width(lines: Sequence[Content], step: Step) -> int:
    """The widest line without the "◀ flag" marker of the step (ids never hold a ◀)."""
    marker = f" {DOING[step.type]}" if step.type in DOING else None
    cut = cell_len(marker) if marker else 0
    return max(
        (
            line.cell_length - (cut if marker and line.plain.endswith(marker) else 0)
            for line in lines
        ),
        default=0,
    )


def build_replay(steps: list[Step]) -> Replay:
    """Every step's timeline row and frame, built once (in the loading worker)."""
    same = _Interner()
    ats = [clock(step.offset_ms) for step in steps]
    gaps = [gap(step.gap_ms) if step.index else "" for step in steps]
    at_w = max(map(len, ats), default=2)
    gap_w = max(map(len, gaps), default=3)
    header = Content.styled(f" {'at':<{at_w}}  {'gap':<{gap_w}}  event", "bold")
    views = {id(step.view): step.view for step in steps if step.view is not None}.values()
    names = [len(s.id) for view in views for s in view.signals]
    name_width = min(NAME_WIDTH, max(names, default=NAME_WIDTH))
    rows, frames = [], []
    keep = 0
    for step, at, since in zip(steps, ats, gaps, strict=True):
        style = "bold" if step.type in ("action_taken", "view_opened") else ""
        if step.override:
            style = "bold reverse"
        rows.append(
            join(
                Content.styled(f" {at:<{at_w}}  {since:>{gap_w}}  ", "dim"),
                safe_content(short(step), 60, style=style),
            )
        )
        shown = view_lines(step.view, step, name_width) if step.view is not None else []
        lines = same.lines(shown)
        keep = max(keep, _unmarked_width(lines, step))
        customer = same.content(customer_line(step.view))
        frames.append(Frame(customer, lines, same.content(event_line(step))))
    width = max((line.cell_length for f in frames for line in f.lines), default=0)
    height = max((len(f.lines) for f in frames), default=0)
    rows_width = max((row.cell_length for row in rows), default=0)
    return Replay(steps, header, rows, frames, Size(width, height), rows_width, keep)
