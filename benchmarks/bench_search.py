"""Search latency over a 1,000,000-customer store, and the bulk write speed that builds it.

Run: `python -m benchmarks.bench_search [--customers N] [--queries Q] [--rebuild]`

Builds synthetic resolved customers (three source records each, merge evidence, a dozen
reconciled attributes, a ticket for every fifth) straight through `Store.write_resolved`, caches
the database under benchmarks/data/, then times exact email, exact phone typed in another format,
account id, name prefix (short and long) and company substring queries: p50 and p99 per kind.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from c360tui.core.customer import (
    Candidate,
    CollectionItem,
    FieldEvidence,
    MergeEvidence,
    Provenance,
    ReconciledAttribute,
    ResolvedCustomer,
)
from c360tui.core.records import AttrValue, RecordKey
from c360tui.errors import C360Error
from c360tui.store import Store, open_store

DATA = Path(__file__).resolve().parent / "data"
FIRST = [
    "ada",
    "alan",
    "grace",
    "linus",
    "barbara",
    "edsger",
    "donald",
    "margaret",
    "ken",
    "dennis",
    "frances",
    "john",
    "radia",
    "tim",
    "vint",
    "bjarne",
    "guido",
    "anita",
    "leslie",
    "shafi",
    "sophie",
    "yukihiro",
    "niklaus",
    "james",
    "ole",
    "jean",
    "marie",
    "hedy",
    "katherine",
    "dorothy",
    "mary",
    "rosalind",
    "chien",
    "lise",
    "emmy",
    "srinivasa",
    "paul",
    "maria",
]
LAST = [
    "lovelace",
    "turing",
    "hopper",
    "torvalds",
    "liskov",
    "dijkstra",
    "knuth",
    "hamilton",
    "thompson",
    "ritchie",
    "allen",
    "mccarthy",
    "perlman",
    "berners-lee",
    "cerf",
    "stroustrup",
    "rossum",
    "borg",
    "lamport",
    "goldwasser",
    "wilson",
    "matsumoto",
    "wirth",
    "gosling",
    "dahl",
    "sammet",
    "curie",
    "lamarr",
    "johnson",
    "vaughan",
    "jackson",
    "franklin",
    "wu",
    "meitner",
    "noether",
    "ramanujan",
    "erdos",
    "agnesi",
    "nakamura",
    "okafor",
    "fernandez",
    "schmidt",
    "novak",
]
WORDS = [
    "acme",
    "globex",
    "initech",
    "umbrella",
    "hooli",
    "stark",
    "wayne",
    "wonka",
    "tyrell",
    "cyberdyne",
    "soylent",
    "vandelay",
    "pied",
    "piper",
    "aperture",
    "black",
    "mesa",
    "oscorp",
    "massive",
    "dynamic",
    "gringotts",
    "monarch",
    "sterling",
    "cooper",
    "dunder",
    "mifflin",
    "prestige",
    "worldwide",
    "nakatomi",
    "blue",
    "sun",
    "weyland",
]
SUFFIX = ("Inc", "Ltd", "GmbH", "LLC", "Corp", "Labs", "Group", "Systems")
AREAS = (212, 312, 415, 503, 617, 646, 702, 713, 808, 917)
BASE_TIME = datetime(2025, 1, 1, tzinfo=UTC)


@lru_cache(maxsize=64)
def _provenance(system: str, feed: str, record_id: str, day: int) -> Provenance:
    """One Provenance per record, shared by its values (as core.reconcile builds them)."""
    return Provenance(system, feed, record_id, BASE_TIME + timedelta(days=day))


def _candidate(value: AttrValue, system: str, feed: str, record_id: str, day: int) -> Candidate:
    return Candidate(value, _provenance(system, feed, record_id, day))


def synthetic_customer(i: int, seed: int = 7) -> ResolvedCustomer:
    """Customer number `i` (the same for the same seed): names, company, keys, business values."""
    rng = random.Random(seed * 1_000_003 + i)
    first, last = rng.choice(FIRST).title(), rng.choice(LAST).title()
    company = f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {rng.choice(SUFFIX)}"
    email = f"{first.lower()}.{last.lower()}{i}@example{i % 97}.com"
    phone = f"+1{rng.choice(AREAS)}{rng.randint(200, 999)}{rng.randint(0, 9999):04d}"
    crm, bill, mkt = f"003{i:09d}", f"BA-{i:08d}", f"m{i}"
    day = rng.randint(0, 300)

    def win(
        name: str, value: AttrValue, system: str = "crm", rid: str = crm
    ) -> ReconciledAttribute:
        feed = {
            "crm": "crm_contacts",
            "billing": "billing_accounts",
            "marketing": "marketing_contacts",
        }[system]
        return ReconciledAttribute(
            name, "source_priority", "resolved", _candidate(value, system, feed, rid, day)
        )

    attrs = {
        "first_name": win("first_name", first),
        "last_name": win("last_name", last),
        "company": win("company", company),
        "crm_id": win("crm_id", crm),
        "billing_account_id": win("billing_account_id", bill, "billing", bill),
        "plan": win(
            "plan", rng.choice(["free", "starter", "growth", "enterprise"]), "billing", bill
        ),
        "arr": win("arr", float(rng.randint(0, 500_000)), "billing", bill),
        "lead_status": win("lead_status", rng.choice(["new", "working", "qualified", "customer"])),
        "intent_score": win("intent_score", rng.randint(0, 100), "marketing", mkt),
        "do_not_contact": win("do_not_contact", rng.random() < 0.05),
        "owner": win("owner", rng.choice(FIRST).title()),
    }
    old_email = _candidate(email.upper(), "marketing", "marketing_contacts", mkt, day - 40)
    attrs["email"] = ReconciledAttribute(
        "email",
        "source_priority",
        "resolved",
        _candidate(email, "crm", "crm_contacts", crm, day),
        alternates=(old_email,),
    )
    if i % 10 == 0:
        attrs["phone"] = ReconciledAttribute(
            "phone",
            "source_priority",
            "conflicted",
            None,
            contenders=(
                _candidate(phone, "crm", "crm_contacts", crm, day),
                _candidate(
                    f"+1{rng.choice(AREAS)}{rng.randint(200, 999)}{rng.randint(0, 9999):04d}",
                    "billing",
                    "billing_accounts",
                    bill,
                    day,
                ),
            ),
            reason="crm and billing disagree within 30 days",
        )
    else:
        attrs["phone"] = win("phone", phone)
    records = [
        RecordKey("crm_contacts", crm),
        RecordKey("billing_accounts", bill),
        RecordKey("marketing_contacts", mkt),
    ]
    merges = [
        MergeEvidence(
            records[0], records[1], "email_exact", (FieldEvidence("email", "exact", 1.0),)
        ),
        MergeEvidence(
            records[0], records[2], "email_exact", (FieldEvidence("email", "normalized", 1.0),)
        ),
    ]
    collections: dict[str, list[CollectionItem]] = {}
    if i % 5 == 0:
        ticket = f"T{i}"
        collections["tickets"] = [
            CollectionItem(
                {"ticket_id": ticket, "ticket_severity": "sev2", "ticket_status": "open"},
                Provenance("support", "support_tickets", ticket, BASE_TIME + timedelta(days=day)),
            )
        ]
        records.append(RecordKey("support_tickets", ticket))
    return ResolvedCustomer(
        customer_id=f"C{i:08d}",
        attributes=attrs,
        collections=collections,
        records=records,
        merges=merges,
    )


def synthetic_customers(n: int, seed: int = 7) -> Iterator[ResolvedCustomer]:
    for i in range(n):
        yield synthetic_customer(i, seed)


def build(path: Path, n: int) -> float:
    """Write n synthetic customers into a fresh store at `path`; returns seconds taken."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    generate_cpu = time.process_time()
    sum(1 for _ in synthetic_customers(min(n, 50_000)))
    generate_cpu = (time.process_time() - generate_cpu) * n / min(n, 50_000)
    store = open_store(path)
    started, cpu = time.perf_counter(), time.process_time()
    summary = store.write_resolved(synthetic_customers(n))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    store.close()
    print(
        f"write_resolved: {summary.customers:,} customers ({summary.records:,} records) "
        f"in {elapsed:.1f} s wall, {cpu:.1f} s CPU of which ~{generate_cpu:.1f} s is making "
        f"the synthetic customers (store's own share ~{cpu - generate_cpu:.1f} s CPU)"
    )
    return elapsed


def _time(fn: Callable[[str], object], queries: list[str]) -> tuple[float, float, float, int]:
    """(p50, p99 of each query's best of 5, p99 of every run, queries finding nothing), in ms.

    The best-of-5 figures are the query's own cost; the every-run p99 also holds whatever the
    scheduler did to the process (the benchmark machine is shared), so both are reported.
    """
    best: list[float] = []
    every: list[float] = []
    empty = 0
    for query in queries:
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            result = fn(query)
            runs.append((time.perf_counter() - started) * 1000)
        best.append(min(runs))
        every.extend(runs[1:])
        empty += not result
    best.sort()
    every.sort()
    return statistics.median(best), _p99(best), _p99(every), empty


def _p99(samples: list[float]) -> float:
    return samples[min(len(samples) - 1, int(len(samples) * 0.99))]


def query_sets(n: int, count: int, seed: int = 99) -> dict[str, list[str]]:
    """Queries per kind, drawn from customers that exist (regenerated from the same seed)."""
    chosen = [synthetic_customer(i) for i in random.Random(seed).sample(range(n), count)]
    rng = random.Random(seed)
    sets: dict[str, list[str]] = {
        k: [] for k in ("email", "phone", "account", "prefix2", "prefix", "substring")
    }
    for c in chosen:
        a = c.attributes
        email = str(a["email"].value)
        sets["email"].append(email.upper() if rng.random() < 0.5 else email)
        phone_attr = a["phone"]
        e164 = str(phone_attr.value if phone_attr.winner else phone_attr.contenders[0].value)
        sets["phone"].append(f"({e164[2:5]}) {e164[5:8]}-{e164[8:]}")
        sets["account"].append(str(a["billing_account_id"].value).lower())
        name = f"{a['first_name'].value} {a['last_name'].value}"
        sets["prefix2"].append(name[:2])
        sets["prefix"].append(name[: rng.randint(5, len(name))])
        company = str(a["company"].value)
        start = rng.randint(1, max(1, len(company) - 7))
        sets["substring"].append(company[start : start + 6])
    return sets


def run(n: int, count: int, rebuild: bool) -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"search_{n}.db"
    store: Store | None = None
    if not rebuild:
        try:
            store = open_store(path, create=False)
        except C360Error:  # absent, or made by another schema version
            store = None
    if store is None:
        build(path, n)
        store = open_store(path, create=False)
    print(f"store {path} ({path.stat().st_size / 2**20:.0f} MiB), {count} queries per kind")
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    for kind, queries in query_sets(n, count).items():
        p50, p99, raw99, empty = _time(store.search, queries)
        print(
            f"{kind:10s} p50 {p50:.3f} ms   p99 {p99:.3f} ms   "
            f"(every run p99 {raw99:.3f} ms)   no-result {empty}"
        )
    ids = [f"C{i:08d}" for i in random.Random(5).sample(range(n), min(count, n))]
    p50, p99, raw99, empty = _time(store.load_customer, ids)
    print(
        f"{'load':10s} p50 {p50:.3f} ms   p99 {p99:.3f} ms   "
        f"(every run p99 {raw99:.3f} ms)   missing {empty}"
    )
    started = time.perf_counter()
    queue = sum(1 for _ in store.queue_candidates(["intent_score"], {"lead_status": ["new"]}))
    print(
        f"queue scan (lead_status = new): {queue:,} customers "
        f"in {time.perf_counter() - started:.2f} s"
    )
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached database")
    args = parser.parse_args()
    run(args.customers, args.queries, args.rebuild)


if __name__ == "__main__":
    main()
