"""The dashboard's tables: their columns, and their rows from the metrics as Rich Text cells.

Pure (no widgets): the screen clears each DataTable and adds these rows. Every string from a
telemetry file goes through safe_text, so it reaches the screen as text, never as markup.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from c360tui.metrics.compute import Metrics, rate
from c360tui.tui.safe_text import join, safe_content, safe_text
from c360tui.tui.screens.lead_charts import bar, format_ms, pct, spark
from c360tui.tui.screens.lead_model import Dashboard

Row = tuple[Text, ...]

# Each table's columns, by widget id, in the order the screen lays the tables out.
COLUMNS: dict[str, tuple[str, ...]] = {
    "#lead-decisions": (
        "Role",
        "View",
        "Open rate",
        "Acts",
        "Median",
        "p90",
        "by day",
        "Overr.",
        "by day",
    ),
    "#lead-attention": (
        "View",
        "Field",
        "Where",
        "Shown",
        "Exp.",
        "Why",
        "Flag",
        "Touched per view",
    ),
    "#lead-flags": ("Flagged wrong: view", "Field", "Source", "Flags", "Trust then"),
    "#lead-override-leaks": ("Overrides on: view", "Field", "Trust", "Acts", "Overr.", "Rate"),
}


def decision_rows(board: Dashboard) -> list[Row]:
    """Per role and view: open rate as a bar, actions, median and p90, overrides, by day."""
    rows: list[Row] = []
    for row in board.rows:
        share = rate(row.opened, row.presented)
        rows.append(
            (
                safe_text(row.role, 12),
                safe_text(row.view or "—", 22),
                Text(f"{bar(share, 6)} {pct(share):>4}"),
                Text(f"{row.actions:,}", justify="right"),
                Text(format_ms(row.median_ms), justify="right"),
                Text(format_ms(row.p90_ms), justify="right"),
                Text(spark(row.daily_median)),
                Text(pct(rate(row.overrides, row.actions)), justify="right"),
                Text(spark(row.daily_override, top=1.0)),
            )
        )
    return rows


def attention_rows(metrics: Metrics) -> list[Row]:
    """Per view and field, most touched first: counts and a bar; never-touched fields dimmed."""
    ordered = sorted(
        metrics.field_attention, key=lambda a: (a.view, -(a.touched / (a.shown or 1)), a.field)
    )
    peak = max((a.touched / a.shown for a in ordered if a.shown), default=0.0) or 1.0
    rows: list[Row] = []
    for a in ordered:
        per_view = a.touched / a.shown if a.shown else None
        where = a.section or ("fold" if a.above_fold else "below")
        never = a.shown and not a.touched
        style = "dim" if never else ""
        label = "never touched" if never else f"{per_view:.2f}" if per_view is not None else ""
        rows.append(
            (
                safe_text(a.view, 22, style=style),
                safe_text(a.field, 24, style=style),
                safe_text(where, 12, style="dim"),
                Text(f"{a.shown:,}", justify="right"),
                Text(f"{a.expanded:,}", justify="right"),
                Text(f"{a.why:,}", justify="right"),
                Text(f"{a.flagged:,}", justify="right", style="bold" if a.flagged else ""),
                Text(f"{bar((per_view or 0) / peak, 12)} {label}", style=style),
            )
        )
    return rows


def trust_lines(metrics: Metrics) -> Content:
    """Override rate per trust state of the deciding signals, one bar each."""
    lines = [Content.styled("Override rate by trust state of the deciding signals", "bold")]
    for row in metrics.override_by_trust:
        lines.append(
            join(
                safe_content(f"{row.group:<11}"),
                Content(f" {bar(row.rate, 20)} {pct(row.rate):>4} "),
                Content.styled(f"{row.overrides:,} of {row.actions:,} actions", "$text-muted"),
            )
        )
    if len(lines) == 1:
        lines.append(Content.styled("no actions yet", "$text-muted"))
    return Content("\n").join(lines)


def flag_rows(metrics: Metrics) -> list[Row]:
    """Values flagged wrong, by view, field and source, with the trust they had then."""
    rows: list[Row] = []
    for leak in metrics.flag_leaks:
        trusts = ", ".join(f"{state} {n}" for state, n in leak.trust)
        rows.append(
            (
                safe_text(leak.view, 22),
                safe_text(leak.field, 24),
                safe_text(leak.source or "—", 16),
                Text(f"{leak.flags:,}", justify="right", style="bold"),
                safe_text(trusts, 40),
            )
        )
    return rows


def override_leak_rows(metrics: Metrics) -> list[Row]:
    """Overrides by view, field and trust state of the deciding signal, with the rate."""
    return [
        (
            safe_text(over.view, 22),
            safe_text(over.field, 24),
            safe_text(over.trust, 12),
            Text(f"{over.actions:,}", justify="right"),
            Text(f"{over.overrides:,}", justify="right", style="bold"),
            Text(f"{bar(over.rate, 8)} {pct(over.rate):>4}"),
        )
        for over in metrics.override_leaks
    ]
