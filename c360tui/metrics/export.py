"""Metrics as tables of plain cells: for Rich tables, JSON and spreadsheet-safe CSV.

Every string here may come from a telemetry file (an id, a role, a source system), so CSV cells
are neutralised (`spreadsheet_safe`) and renderers treat them as plain text, never markup.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from c360tui.metrics.compute import Metrics

Cell = str | int | float | None
# Characters that make a spreadsheet read a cell as a formula (or hide its start).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_ENCODING = "utf-8-sig"  # UTF-8 with a BOM: Excel then reads UTF-8; LibreOffice strips it


@dataclass(frozen=True, slots=True)
class Table:
    """One section of the report: a title, column names and rows of plain cells."""

    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def pct(value: float | None) -> float | None:
    """A rate as a percentage with one decimal (None stays None)."""
    return None if value is None else round(100 * value, 1)


def tables(m: Metrics) -> tuple[Table, ...]:
    """Every section of the report, in reading order."""
    return (
        Table(
            "open_rate",
            "Open rate per role",
            ("role", "presented", "opened", "open_rate_pct"),
            tuple((r.role, r.presented, r.opened, pct(r.rate)) for r in m.open_rate),
        ),
        Table(
            "time_to_decision",
            "Time to decision (view opened to action)",
            ("role", "view", "actions", "median_ms", "p90_ms"),
            tuple((t.role, t.view, t.actions, t.median_ms, t.p90_ms) for t in m.time_to_decision),
        ),
        Table(
            "override_by_view",
            "Override rate per view",
            ("view", "actions", "overrides", "override_rate_pct"),
            tuple((o.group, o.actions, o.overrides, pct(o.rate)) for o in m.override_by_view),
        ),
        Table(
            "override_by_trust",
            "Override rate by trust state of the deciding signals",
            ("trust", "actions", "overrides", "override_rate_pct"),
            tuple((o.group, o.actions, o.overrides, pct(o.rate)) for o in m.override_by_trust),
        ),
        Table(
            "field_attention",
            "Field attention",
            (
                "view",
                "field",
                "section",
                "shown",
                "above_fold",
                "expanded",
                "why",
                "flagged",
                "section_opens",
            ),
            tuple(
                (
                    a.view,
                    a.field,
                    a.section,
                    a.shown,
                    a.above_fold,
                    a.expanded,
                    a.why,
                    a.flagged,
                    a.section_opens,
                )
                for a in m.field_attention
            ),
        ),
        Table(
            "never_touched",
            "Never touched (shown, never expanded, asked why or flagged)",
            ("view", "field"),
            tuple(m.never_touched),
        ),
        Table(
            "flag_leaks",
            "Trust leaks: values flagged wrong, by field and source",
            ("view", "field", "attribute", "source", "flags", "trust"),
            tuple(
                (
                    f.view,
                    f.field,
                    f.attribute,
                    f.source,
                    f.flags,
                    ", ".join(f"{t} {n}" for t, n in f.trust),
                )
                for f in m.flag_leaks
            ),
        ),
        Table(
            "override_leaks",
            "Trust leaks: overrides while a deciding signal was not trusted",
            ("view", "field", "trust", "actions", "overrides", "override_rate_pct"),
            tuple(
                (o.view, o.field, o.trust, o.actions, o.overrides, pct(o.rate))
                for o in m.override_leaks
            ),
        ),
        Table(
            "daily",
            "Per day (UTC)",
            ("day", "actions", "median_ms", "p90_ms", "overrides", "override_rate_pct"),
            tuple(
                (d.day, d.actions, d.median_ms, d.p90_ms, d.overrides, pct(d.override_rate))
                for d in m.daily
            ),
        ),
        Table(
            "actors",
            "People and agents",
            (
                "actor",
                "presented",
                "opened",
                "open_rate_pct",
                "actions",
                "median_ms",
                "p90_ms",
                "overrides",
                "override_rate_pct",
            ),
            tuple(
                (
                    a.actor,
                    a.presented,
                    a.opened,
                    pct(a.open_rate),
                    a.actions,
                    a.median_ms,
                    a.p90_ms,
                    a.overrides,
                    pct(a.override_rate),
                )
                for a in m.actors
            ),
        ),
    )


def to_json(m: Metrics, about: dict[str, Any]) -> dict[str, Any]:
    """The report as JSON-ready data: `about` (files, filters) and one list of objects per table."""
    data: dict[str, Any] = {"report": about}
    for table in tables(m):
        data[table.key] = [dict(zip(table.columns, row, strict=True)) for row in table.rows]
    return data


def spreadsheet_safe(value: str) -> str:
    """A cell a spreadsheet will show as text: one starting like a formula gets a leading '."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _csv_cell(value: Cell) -> Cell:
    return spreadsheet_safe(value) if isinstance(value, str) else value


def to_csv(sections: Sequence[Table]) -> str:
    """The tables as one CSV: per table a title row, a header row, its rows and a blank row.

    Strings are neutralised for spreadsheets; numbers stay numbers; missing values are empty.
    Encode the text with CSV_ENCODING (UTF-8 with a BOM) when writing it out.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for number, table in enumerate(sections):
        if number:
            writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(table.columns)
        for row in table.rows:
            writer.writerow([_csv_cell(cell) for cell in row])
    return out.getvalue()
