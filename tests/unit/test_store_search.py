"""Search finds a customer the way an agent mid-call types what the caller says."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from c360tui.core.customer import Candidate, Provenance, ReconciledAttribute, ResolvedCustomer
from c360tui.core.records import RecordKey
from c360tui.store import Store, open_store

AT = datetime(2025, 5, 1, tzinfo=UTC)


def customer(cid: str, first: str, last: str, company: str, **keys: str) -> ResolvedCustomer:
    prov = Provenance("crm", "crm_contacts", f"r-{cid}", AT)
    values = {"first_name": first, "last_name": last, "company": company, **keys}
    attrs = {
        name: ReconciledAttribute(name, "source_priority", "resolved", Candidate(value, prov))
        for name, value in values.items()
    }
    return ResolvedCustomer(cid, attributes=attrs, records=[RecordKey("crm_contacts", f"r-{cid}")])


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "c360.db")
    opened.write_resolved(
        [
            customer(
                "C-1", "Ada", "Lovelace", "Analytical Engines Ltd",
                email="Ada.Lovelace@Engines.example", phone="+14155550100", crm_id="003XY12",
                billing_account_id="BA-000417", company_domain="engines.example",
            ),
            customer("C-2", "Grace", "Hopper", "Cobol Compilers Inc", email="grace@navy.example",
                     phone="+442079460958"),
            customer("C-3", "Adam", "Smith", "Wealth of Nations", email="adam@smith.example"),
            customer("C-4", "[bold red]Mallory[/]", "[link=http://x]Eve[/link]", "O'Brien & Søn",
                     email="mallory@evil.example"),
        ]
    )  # fmt: skip
    yield opened
    opened.close()


def ids(store: Store, query: str) -> list[str]:
    return [hit.customer_id for hit in store.search(query)]


def test_exact_email_ignores_case_and_spaces(store: Store) -> None:
    [hit] = store.search("  ada.lovelace@ENGINES.example ")
    assert hit.customer_id == "C-1"
    assert (hit.field, hit.why) == ("email", "email ada.lovelace@engines.example")
    assert hit.display_name == "Ada Lovelace"
    assert hit.company == "Analytical Engines Ltd"


@pytest.mark.parametrize(
    "typed", ["(415) 555-0100", "415-555-0100", "415.555.0100", "+1 415 555 0100", "14155550100"]
)
def test_phone_in_any_common_format(store: Store, typed: str) -> None:
    hits = store.search(typed)
    assert [h.customer_id for h in hits] == ["C-1"]
    assert hits[0].why == "phone +14155550100"


def test_international_phone(store: Store) -> None:
    assert ids(store, "+44 20 7946 0958") == ["C-2"]


@pytest.mark.parametrize("typed", ["BA-000417", "ba-000417", "003xy12"])
def test_account_ids(store: Store, typed: str) -> None:
    [hit] = store.search(typed)
    assert hit.customer_id == "C-1"
    assert hit.field in {"billing account", "CRM id"}


def test_short_prefix_uses_folded_names(store: Store) -> None:
    assert set(ids(store, "ad")) == {"C-1", "C-3"}
    assert ids(store, "G") == ["C-2"]


def test_prefix_of_full_name_and_last_name(store: Store) -> None:
    assert ids(store, "ada lov") == ["C-1"]
    [hit] = store.search("hopp")
    assert (hit.customer_id, hit.field) == ("C-2", "last name")
    assert hit.why == 'last name starts with "hopp"'


def test_substring_of_name_and_company(store: Store) -> None:
    [hit] = store.search("velac")
    assert (hit.customer_id, hit.field) == ("C-1", "name")
    [hit] = store.search("compilers")
    assert (hit.customer_id, hit.field) == ("C-2", "company")
    assert hit.why == 'company contains "compilers"'


def test_accents_and_case_do_not_matter(store: Store) -> None:
    assert ids(store, "brien søn") == ["C-4"]
    assert ids(store, "O'BRIEN SON") == ["C-4"]
    assert ids(store, "LOVELACE") == ["C-1"]


def test_prefix_ranks_above_substring(store: Store) -> None:
    hits = store.search("ada")
    assert [h.customer_id for h in hits][:1] == ["C-1"]  # "ada lovelace" starts with it
    assert {h.customer_id for h in hits} >= {"C-1", "C-3"}


def test_markup_looking_names_come_back_verbatim(store: Store) -> None:
    [hit] = store.search("mallory@evil.example")
    assert hit.display_name == "[bold red]Mallory[/] [link=http://x]Eve[/link]"
    assert hit.company == "O'Brien & Søn"
    loaded = store.load_customer("C-4")
    assert loaded is not None
    assert loaded.attributes["first_name"].value == "[bold red]Mallory[/]"


def test_nothing_found_and_empty_queries(store: Store) -> None:
    assert store.search("zzzz-no-such") == []
    assert store.search("   ") == []
    assert store.search('"') == []
    assert store.search("nobody@nowhere.example") == []


def test_limit_is_respected(store: Store) -> None:
    assert len(store.search("a", limit=1)) == 1


def test_a_half_typed_email_finds_its_customer(store: Store) -> None:
    [hit] = store.search("Ada.Lovelace@Eng")
    assert hit.customer_id == "C-1"
    assert (hit.field, hit.why) == ("email", 'email starts with "Ada.Lovelace@Eng"')
    assert ids(store, "grace@") == ["C-2"]
    assert ids(store, "ad") == ["C-1", "C-3"]  # two letters are a name prefix, not an email one
    assert store.search("ada.lovelace@engines.example")[0].score == 1.0  # whole: exact


@pytest.mark.parametrize("typed", ["(415) 555-01", "+1 415 555", "415 555 01", "1 415 555 01"])
def test_a_half_typed_phone_finds_its_customer(store: Store, typed: str) -> None:
    [hit] = store.search(typed)
    assert hit.customer_id == "C-1" and hit.why == f'phone starts with "{typed}"'


def test_seven_bare_digits_are_not_taken_for_the_start_of_a_number(store: Store) -> None:
    assert store.search("4155550") == []  # "555-0100" without its area code looks the same


@pytest.mark.parametrize("typed", ["BA-000417", "ba000417", "BA 000417", "003xy12", "003-XY12"])
def test_account_ids_with_or_without_separators(store: Store, typed: str) -> None:
    assert ids(store, typed) == ["C-1"]


def test_a_company_domain_finds_the_people_at_that_company(tmp_path: Path) -> None:
    with open_store(tmp_path / "c360.db") as opened:
        opened.write_resolved(
            [
                customer("C-1", "Ada", "Lovelace", "Engines", company_domain="engines.example"),
                customer("C-2", "Charles", "Babbage", "Engines", company_domain="engines.example"),
                customer("C-3", "Grace", "Hopper", "Navy", company_domain="navy.example"),
            ]
        )
        hits = opened.search("https://www.Engines.example/")
        assert sorted(h.customer_id for h in hits) == ["C-1", "C-2"]
        assert {h.why for h in hits} == {"domain engines.example"}


def test_the_names_other_records_use_find_the_customer_too(tmp_path: Path) -> None:
    prov = Provenance("support", "support_tickets", "T-1", AT)
    danny = customer("C-1", "Daniel", "Lane", "Quantum Ridge")
    first = danny.attributes["first_name"]
    nicknamed = ReconciledAttribute(
        "first_name", "source_priority", "resolved", first.winner, (Candidate("Danny", prov),)
    )
    danny.attributes["first_name"] = nicknamed
    with open_store(tmp_path / "c360.db") as opened:
        opened.write_resolved([danny])
        [hit] = opened.search("Danny Lane")
        assert hit.customer_id == "C-1" and hit.display_name == "Daniel Lane"


@pytest.mark.parametrize(
    "query",
    [
        "ada.lovelace@engines.example",
        "ada.lovelace@eng",
        "(415) 555-01",
        "engines.example",
        "(415) 555-0100",
        "BA-000417",
        "a",
        "ada lov",
        "pilers",
    ],
)
def test_search_never_scans_a_table(store: Store, query: str) -> None:
    """Every statement a search runs is answered from an index (what keeps it under 1 ms)."""
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    try:
        assert store.search(query)
    finally:
        store.conn.set_trace_callback(None)
    assert statements
    for sql in (s for s in statements if not s.startswith("--")):  # "--": FTS5's own
        plan = " | ".join(row[3] for row in store.conn.execute("EXPLAIN QUERY PLAN " + sql))
        scans = [step for step in plan.split(" | ") if step.startswith("SCAN")]
        assert all("VIRTUAL TABLE" in step for step in scans), (sql, plan)


def test_the_index_load_leaves_fts5_settings_as_they_were(store: Store) -> None:
    """The writer's larger FTS5 buffer is for its own load: the store keeps FTS5's defaults."""
    config = dict(store.conn.execute("SELECT k, v FROM search_fts_config"))
    assert "hashsize" not in config
    store.conn.execute("INSERT INTO search_fts (search_fts) VALUES ('integrity-check')")
    assert ids(store, "lovel") == ["C-1"]
