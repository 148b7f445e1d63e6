"""Decision view build time per customer (p50/p99) for each bundled view, and reconcile time.

Synthetic customers carry the records a real one does: a CRM contact, a billing account, a
marketing contact, a product usage row and 0-12 support tickets, with some conflicts and stale
values. Run: python -m benchmarks.bench_decision [--customers N] [--seed S]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from c360tui.core.customer import ResolvedCustomer
from c360tui.core.decision import build_decision_view
from c360tui.core.reconcile import reconcile
from c360tui.core.records import AttrValue, SourceRecord
from c360tui.specs_io import load_sources, load_views

SPECS = Path(__file__).resolve().parent.parent / "specs"
NOW = datetime(2024, 6, 3, 14, 0, tzinfo=UTC)
ZONES = ["America/New_York", "America/Chicago", "America/Los_Angeles", "Europe/London"]


def synthetic_records(index: int, rng: random.Random) -> list[SourceRecord]:
    """One customer's source records, with the occasional conflict and stale value."""

    def ago(days: float) -> datetime:
        return NOW - timedelta(days=days)

    phone = f"415555{index % 10000:04d}"
    first, last = f"First{index}", f"Last{index}"
    crm: dict[str, AttrValue] = {
        "crm_id": f"C{index}", "first_name": first, "last_name": last, "email": f"p{index}@ex.com",
        "phone": f"({phone[:3]}) {phone[3:6]}-{phone[6:]}", "company": f"Company {index % 997}",
        "lead_status": rng.choice(["new", "working", "customer"]),
        "do_not_contact": rng.random() < 0.05,
        "timezone": rng.choice(ZONES), "last_touch_at": ago(rng.uniform(0, 20)).isoformat(),
        "plan": rng.choice(["growth", "enterprise"]), "owner": "sam",
    }  # fmt: skip
    billing: dict[str, AttrValue] = {
        "billing_account_id": f"B{index}", "email": f"P{index}@EX.com",
        "phone": "+1" + phone if rng.random() < 0.9 else "+14155559999",
        "plan": rng.choice(["growth", "enterprise"]), "arr": float(rng.randint(1, 2000) * 1000),
        "payment_status": rng.choice(["current"] * 8 + ["past_due", "failed"]),
        "renewal_date": (NOW + timedelta(days=rng.randint(-10, 365))).date().isoformat(),
    }  # fmt: skip
    records = [
        SourceRecord("crm", "crm_contacts", f"C{index}", ago(rng.uniform(0, 40)), crm),
        SourceRecord("billing", "billing_accounts", f"B{index}", ago(rng.uniform(0, 40)), billing),
        SourceRecord("marketing", "marketing_contacts", f"M{index}", ago(rng.uniform(0, 3)),
                     {"email": f"p{index}@ex.com", "intent_score": rng.randint(0, 100),
                      "web_visits_30d": rng.randint(0, 40), "do_not_contact": False}),
        SourceRecord("product", "product_usage", f"U{index}", None,
                     {"email": f"p{index}@ex.com",
                      "weekly_usage": [float(rng.randint(0, 500)) for _ in range(12)]}),
    ]  # fmt: skip
    for t in range(rng.randint(0, 12)):
        opened = ago(rng.uniform(0, 60))
        updated = opened + timedelta(hours=2)
        records.append(
            SourceRecord("support", "support_tickets", f"T{index}-{t}", updated, {
                "ticket_id": f"T{index}-{t}", "email": f"p{index}@ex.com", "ticket_subject": "help",
                "ticket_severity": rng.choice(["sev1", "sev2", "sev3", "sev4"]),
                "ticket_status": rng.choice(["open", "pending", "solved", "closed"]),
                "ticket_opened_at": opened.isoformat(),
                "ticket_sla_due_at": (opened + timedelta(days=1)).isoformat(),
                "ticket_csat": rng.randint(1, 5), "ticket_escalated": rng.random() < 0.2,
            })
        )  # fmt: skip
    return records


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    sources = load_sources(SPECS)
    views = load_views(SPECS)

    record_sets = [synthetic_records(i, rng) for i in range(args.customers)]
    reconcile_us: list[float] = []
    customers: list[ResolvedCustomer] = []
    for i, records in enumerate(record_sets):
        start = time.perf_counter_ns()
        customers.append(reconcile(f"cust-{i}", records, sources))
        reconcile_us.append((time.perf_counter_ns() - start) / 1000)
    print(f"customers: {args.customers}, records: {sum(len(r) for r in record_sets)}")
    print(
        f"reconcile            p50 {statistics.median(reconcile_us):8.1f} us   "
        f"p99 {percentile(reconcile_us, 0.99):8.1f} us"
    )
    for name, spec in views.items():
        for customer in customers[:50]:  # warm caches (phone parsing, zoneinfo)
            build_decision_view(spec, customer, NOW)
        samples: list[float] = []
        for customer in customers:
            start = time.perf_counter_ns()
            build_decision_view(spec, customer, NOW)
            samples.append((time.perf_counter_ns() - start) / 1000)
        print(
            f"{name:20} p50 {statistics.median(samples):8.1f} us   "
            f"p99 {percentile(samples, 0.99):8.1f} us   max {max(samples):8.1f} us"
        )


if __name__ == "__main__":
    main()
