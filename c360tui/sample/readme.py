"""The README written beside a generated sample: files, formats, traps with counts, bad rows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from c360tui.sample.layout import FILES
from c360tui.sample.names import NICKNAMES
from c360tui.sample.traps import DESCRIPTIONS, JUNK_EMAILS, JUNK_PHONES

if TYPE_CHECKING:
    from c360tui.sample.writer import SampleOptions, SampleSummary

_FORMATS = {
    "crm_contacts": "CSV; `last_modified` and `last_activity` ISO 8601 with the contact's "
    "local offset (e.g. `2026-11-02T09:15:00-05:00`); `do_not_call` true/false.",
    "crm_leads": "CSV; `Last Modified` is New York wall-clock time with no offset, "
    "`%m/%d/%Y %H:%M` (the spec names the zone); `Do Not Call` TRUE/FALSE.",
    "billing_accounts": "CSV; `updated` ISO 8601 UTC; `arr` a decimal; `renewal_date` a date "
    "(past for cancelled accounts); `billing_address` quoted (it holds commas).",
    "support_tickets": "CSV; `created_at`, `sla_due_at`, `updated_at` ISO 8601 UTC (an open "
    "ticket's SLA may be due after as-of); `csat` 1-5 or empty; `escalated` true/false.",
    "marketing_contacts": "JSON Lines, one object per line, scalar values only; `updated_at` is "
    "epoch seconds; `last_touch_at` ISO 8601 UTC; a missing value is an absent key or null.",
    "product_usage": "CSV; no change timestamp; `weekly_active_minutes` is eight numbers, "
    "oldest week first, separated by semicolons (`120;95;80;40;...`).",
}


def render_readme(options: SampleOptions, summary: SampleSummary) -> str:
    """Markdown describing this sample; deterministic for the same options."""
    as_of = options.as_of.isoformat().replace("+00:00", "Z")
    lines = [
        "# Sample data",
        "",
        f"Synthetic source exports for {options.customers:,} people (true customers) at "
        f"{summary.companies:,} companies, made by",
        "",
        "```",
        f"c360 sample --customers {options.customers} --seed {options.seed} --as-of {as_of} "
        "--out DIR",
        "```",
        "",
        f"Every timestamp is anchored to as-of **{as_of}**, so freshness is the same on every "
        "machine and every day. The same command writes byte-identical files "
        "(`manifest.json` lists their SHA-256). All names, companies, domains and phone numbers "
        "are made up (US numbers use the 555 exchange while the set is small).",
        "",
        "## Files",
        "",
        "| file | rows | format |",
        "|---|---:|---|",
    ]
    for feed, name in FILES.items():
        lines.append(f"| `{name}` | {summary.files.get(name, 0):,} | {_FORMATS[feed]} |")
    lines += [
        "",
        "Column names and meanings are those of `specs/sources.toml`. People at paying "
        "companies are CRM contacts (status `customer`); prospects are CRM leads. Each paying "
        "company has one billing account, attached to its billing contact.",
        "",
        "## Ground truth (`ground_truth/`)",
        "",
        "- `records.csv` — `feed, record_id, true_customer` for every row that should be "
        "accepted: rows with the same `true_customer` are the same person.",
        "- `values.csv` — `true_customer, attribute, right_value, expect, trap` for the "
        "attributes the traps touch. `expect` says what the spec's survivorship rules should "
        "make of it: `winner` (right_value wins), `conflicted` (systems of record disagree "
        "inside the conflict window; right_value is what is actually true), `unverified` "
        "(only sources outside the system of record carry it), `missing`. Emails are "
        "lower case, phones E.164. Variants of one value (email casing, phone format, company "
        "suffix) are the same value, not a conflict.",
        "- `people.csv` — each true customer's right name, email, direct phone (E.164), "
        "company, country, paying, CRM role, churn risk, and `same_name_as` (another, different "
        "person with the same full name).",
        "- `quarantine.csv` — the deliberately bad rows below: `feed, file, line, reason_kind, "
        "record_id, true_customer`. `line` is the physical line in the file, counting from 1 "
        "(a CSV header is line 1).",
        "",
        "## Traps",
        "",
        "| trap | count | what it is |",
        "|---|---:|---|",
    ]
    for key, text in DESCRIPTIONS.items():
        lines.append(f"| `{key}` | {summary.traps.get(key, 0):,} | {text} |")
    lines += [
        "",
        "Counts are of rows unless the text says people or numbers. Every row keeps at least "
        "one identifier that links it to the person's CRM row exactly once normalised (their "
        "own email in any casing, or their own direct phone in any format).",
        "",
        "Junk values used: emails "
        + ", ".join(f"`{v}`" for v in sorted(set(JUNK_EMAILS)))
        + "; phones "
        + ", ".join(f"`{v}`" for v in sorted(set(JUNK_PHONES)))
        + ". Nicknames used (canonical -> nicknames): "
        + "; ".join(f"{name} -> {'/'.join(nicks)}" for name, nicks in NICKNAMES.items())
        + ".",
        "",
        "## Expected quarantine",
        "",
    ]
    if summary.quarantine:
        lines += ["| file | line | reason | record id |", "|---|---:|---|---|"]
        for feed, line, kind, record_id, _ in summary.quarantine:
            lines.append(f"| `{FILES[feed]}` | {line} | {kind} | {record_id or '(empty)'} |")
        lines += [
            "",
            "Each is a copy of a real row of a real person with one defect; the real row is "
            "also present, so quarantining the bad copy loses nothing.",
        ]
    else:
        lines.append("None: this set was generated with `--no-bad-rows`.")
    lines.append("")
    return "\n".join(lines)
