"""Commands that read the store: `c360 profile`, `c360 search` and `c360 export identities`."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from c360tui.cli.app import app, err_console
from c360tui.cli.options import AsOfOption, DbOption, JsonOption, SpecsOption, parse_as_of
from c360tui.errors import C360Error
from c360tui.text_safety import printable

if TYPE_CHECKING:
    from c360tui.core.decision_model import DecisionView, SignalView
    from c360tui.store import Store

export_app = typer.Typer(help="Write resolved data out for other systems.", no_args_is_help=True)
app.add_typer(export_app, name="export")

TRUST_STYLES = {
    "trusted": "green",
    "stale": "yellow",
    "conflicted": "red",
    "missing": "magenta",
    "unverified": "cyan",
}


def _store(db: Path | None, as_of: str | None = None) -> tuple[Path, str | None]:
    """The store to read and the as-of time to judge by: the demo's store is judged as of the
    sample's date (said on stderr) while the user has no store of their own."""
    from c360tui.settings import Settings, demo_note, sample_as_of

    path, demo = Settings().store_to_read(db)
    if demo:
        as_of = as_of or sample_as_of()
        err_console.print(demo_note(as_of), markup=False)
    return path, as_of


def _open(db: Path | None) -> Store:
    from c360tui.store import open_store

    return open_store(_store(db)[0], create=False)


def find_customer_id(store: Store, query: str) -> str:
    """A customer id from an id or a search: one clear match, else a sentence naming the problem."""
    if store.customer_summary(query) is not None:
        return query
    hits = store.search(query, limit=10)
    if not hits:
        raise C360Error(f"No customer matches {printable(query, 60)!r}; try `c360 search`.")
    exact = [hit for hit in hits if hit.score >= 1.0]
    if len(exact) == 1 or len({hit.customer_id for hit in hits}) == 1:
        return (exact or hits)[0].customer_id
    shown = ", ".join(f"{hit.customer_id} ({printable(hit.display_name, 30)})" for hit in hits[:5])
    raise C360Error(
        f"{len(hits)} customers match {printable(query, 60)!r} ({shown}); pass one customer id."
    )


@app.command("profile")
def profile_command(
    query: Annotated[str, typer.Argument(help="A customer id, email, phone, account id or name.")],
    view: Annotated[
        str, typer.Option("--view", help="The view spec to judge by (see specs/*.toml).")
    ] = "support_close_case",
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
    specs: SpecsOption = None,
) -> None:
    """Show one customer's decision view: signals, trust, freshness, provenance, recommendation.

    Example: c360 profile "(415) 555-0100" --view support_close_case --as-of 2026-11-30T15:00:00Z

    --json prints the agent contract (docs/agent-contract.md).
    """
    from c360tui.core.decision import build_decision_view
    from c360tui.settings import Settings
    from c360tui.specs_io import load_views
    from c360tui.store import open_store

    path, as_of = _store(db, as_of)
    now = parse_as_of(as_of)
    views = load_views(Settings().specs_dir(specs))
    if view not in views:
        raise C360Error(f"No view named {view!r}; choose one of {', '.join(sorted(views))}.")
    with open_store(path, create=False) as store:
        customer_id = find_customer_id(store, query)
        customer = store.load_customer(customer_id)
        if customer is None:
            raise C360Error(f"Customer {customer_id} is not in the store; re-run `c360 ingest`.")
        decision = build_decision_view(views[view], customer, now, region=store.region)
    if as_json:
        typer.echo(decision.model_dump_json(indent=2))
        return
    print_decision(Console(highlight=False), decision)


def _value_text(signal: SignalView) -> Text:
    if signal.trust == "conflicted" and signal.contenders:
        parts = [f"{printable(c.display, 40)} ({c.system})" for c in signal.contenders]
        return Text(" vs ".join(parts))
    return Text(printable(signal.display, 60) if signal.display else "—")


def _trust_text(signal: SignalView) -> Text:
    from c360tui.core.trust_words import trust_label

    return Text(trust_label(signal.trust, signal.flagged), style=TRUST_STYLES[signal.trust])


def _signals_table(title: str, signals: list[SignalView]) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False, expand=False)
    for column in ("#", "signal", "value", "trust", "age / budget", "source", "note"):
        table.add_column(column, overflow="fold")
    for signal in signals:
        source = signal.provenance
        table.add_row(
            str(signal.rank),
            Text(signal.label),
            _value_text(signal),
            _trust_text(signal),
            Text(signal.age_text),
            Text(f"{source.system}:{printable(source.record_id, 30)}" if source else "—"),
            Text(printable(signal.reason, 80)),
        )
    return table


def print_decision(console: Console, decision: DecisionView) -> None:
    """The decision view as Rich tables; every customer string goes in as plain Text."""
    header = Text()
    header.append(printable(decision.display_name, 80) or "(no name)", style="bold")
    if decision.subtitle:
        header.append(f" · {printable(decision.subtitle, 80)}")
    header.append(f"  [{decision.customer_id}]", style="dim")
    console.print(header)
    console.print(Text(decision.decision, style="italic"))
    rec = decision.recommendation
    console.print(
        Text.assemble(
            ("Recommendation: ", "bold"),
            (rec.label.upper(), "bold reverse"),
            (": " + printable("; ".join(rec.reasons), 240) if rec.reasons else ""),
            (
                "  ⚠ resting on " + printable("; ".join(rec.caveats), 240) if rec.caveats else "",
                "yellow",
            ),
        )
    )
    verdict = decision.agent
    blockers = "; ".join(printable(reason, 120) for reason in verdict.reasons)
    console.print(
        Text.assemble(
            ("Agent-ready: ", "bold"),
            ("yes" if verdict.ready else "no", "green" if verdict.ready else "red"),
            (f" — {blockers}" if blockers else ""),
        )
    )
    console.print(_signals_table("Above the fold", decision.signals[: decision.fold]))
    if decision.signals[decision.fold :]:
        console.print(_signals_table("Below the fold", decision.signals[decision.fold :]))
    for section in decision.sections:
        if section.signals:
            console.print(_signals_table(section.title, section.signals))
        if section.rows:
            table = Table(title=section.title, title_justify="left")
            for column in section.columns:
                table.add_column(column, overflow="fold")
            for row in section.rows:
                table.add_row(*(Text(printable(cell, 60)) for cell in row.cells))
            console.print(table)
    keys = "  ".join(
        f"[{a.key}] {a.label}{' ★' if a.recommended else ''}" for a in decision.actions
    )
    console.print(Text(f"Actions: {keys}", style="dim"))
    console.print(
        Text(
            f"As of {decision.as_of.isoformat()} · view {decision.view} v{decision.spec_version}"
            f" · {decision.identity_records} source records"
            + (f" · {decision.held_merges} merges held for review" if decision.held_merges else ""),
            style="dim",
        )
    )


@app.command("search")
def search_command(
    query: Annotated[str, typer.Argument(help="Phone, email, account id, name or company.")],
    limit: Annotated[int, typer.Option(min=1, max=500, help="At most this many results.")] = 20,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Find customers by phone or email in any common format, account id, name or company.

    Example: c360 search "(415) 555-0100"
    """
    with _open(db) as store:
        hits = store.search(query, limit=limit)
    if as_json:
        rows = [
            {
                "customer_id": hit.customer_id,
                "display_name": hit.display_name,
                "company": hit.company,
                "matched_field": hit.field,
                "why": hit.why,
                "score": hit.score,
            }
            for hit in hits
        ]
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    console = Console(highlight=False)
    if not hits:
        console.print(Text("No customer matches."))
        raise typer.Exit(1)
    table = Table()
    for column in ("customer", "name", "company", "matched because"):
        table.add_column(column, overflow="fold")
    for hit in hits:
        table.add_row(
            Text(hit.customer_id),
            Text(printable(hit.display_name, 50)),
            Text(printable(hit.company, 50)),
            Text(printable(hit.why, 60)),
        )
    console.print(table)


@export_app.command("identities")
def export_identities_command(
    out: Annotated[Path, typer.Option("--out", help="The CSV file to write.")],
    db: DbOption = None,
) -> None:
    """Write the identity map (source, source record id, customer id, rule) as CSV.

    Example: c360 export identities --out identity_map.csv
    """
    count = 0
    with _open(db) as store, out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "source_record_id", "customer_id", "rule"])
        for row in store.identity_map():
            writer.writerow([row.feed, row.record_id, row.customer_id, row.rule])
            count += 1
    typer.echo(f"Wrote {count} identity rows to {out}.")
