"""Identity fields normalised a column at a time give exactly what the per-value rules give.

Ingest normalises new values in vectorised batches (core/normalize_batch.py); resolution, the
search index and every test of core/normalize.py rely on the per-value functions. A value the
two disagreed on would link (or fail to link) records depending on how it was read, so each
field of the shipped identity spec, and each account vote, is held to the per-value rule on
hand-picked traps, on every identity value of the bundled sample data, and on generated text.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from c360tui.core import accounts
from c360tui.core.field_table import FieldTableBuilder, _text
from c360tui.core.identity_spec import IdentitySpec

ROOT = Path(__file__).resolve().parents[2]
IDENTITY = IdentitySpec.model_validate(
    tomllib.loads((ROOT / "specs" / "identity.toml").read_text())
)

Rule = tuple[Callable[[Sequence[str | None]], list[str | None]], Callable[[object], str | None]]


def _field_rules() -> dict[str, Rule]:
    """Per identity field: (the batch normaliser, the per-value rule), junk lists included."""
    builder = FieldTableBuilder(IDENTITY, "US")
    return {name: (column.batch, column._compute) for name, column in builder._columns.items()}


def _vote_rules() -> dict[str, Rule]:
    def as_text(value: object) -> str | None:
        return value if isinstance(value, str) else None

    votes = accounts.AccountVotes()
    rules: dict[str, Rule] = {}
    for name, column, vote in (
        ("site", votes._site, accounts._site),
        ("mail", votes._mail, accounts._mail),
        ("company", votes._company, accounts._company),
    ):
        rules[f"vote:{name}"] = (column.batch, lambda v, vote=vote: vote(v) if as_text(v) else None)
    return rules


RULES = {**_field_rules(), **_vote_rules()}


def _disagreements(name: str, raws: Sequence[object]) -> list[tuple[object, object, object]]:
    batch, one = RULES[name]
    texts = [_text(raw) if not name.startswith("vote:") else raw for raw in raws]
    got = batch(texts)  # type: ignore[arg-type]
    pairs = zip(raws, got, strict=True)
    return [(raw, one(raw), found) for raw, found in pairs if one(raw) != found]


TRAPS: dict[str, list[str]] = {
    "email": [
        " Pat@Acme.com ",
        "<pat@acme.com>",
        "mailto:Pat@Acme.com",
        "MAILTO:x@y.io",
        "pat@acme",
        "pat@@acme.com",
        "pat@acme..com",
        "pat@-acme.com",
        "pat@acme-.com",
        "n/a",
        "test@test.com",
        "noreply@acme.com",
        "billing@acme.com",
        "AP@acme.com",
        "a b@acme.com",
        "pat@acme.com.",
        "Pát@acme.com",
        "pat@acme.com\t",
        "pat\x1c@acme.com",
        "<<pat@acme.com>>",
        "  <x@y.co> ",
        "null",
        "",
        "   ",
        "info@example.com",
        "Info@Example.com",
        "x@y.c0m",
        "x@1.2",
    ],
    "phone": [
        "(415) 555-0100",
        "415.555.0100",
        "+1 415 555 0100",
        "1-415-555-0100",
        "+14155550100",
        "415-555-0100 ext. 12",
        "415-555-0100 x12",
        "415-555-0100 #12",
        "415 555 0100 EXT 3",
        "0000000000",
        "123-456-7890",
        "555-555-5555",
        "+44 113 243 8187",
        "+49 40 2522 0795",
        "1800FLOWERS",
        "12345",
        "1234567890123456",
        "+1 000 000 0000",
        "999-555-0100",
        "(212) 555-01OO",
        "+1 (212) 555-0100",
        "212/555/0100",
        "١٢٣٤٥٦٧٨٩٠",
        "415\t555 0100",
        "+",
        "x12",
        "",
        "2125550100" * 5,
        "11111111",
        "+1415555010",
        "1 212 555 0100",
    ],
    "first_name": [
        "Bob",
        " bob ",
        "ROBERT",
        "O'Brien",
        "Jean-Luc",
        "José",
        "Ann  Marie",
        "test",
        "A.J.",
        "bob`",
        "Dr. Bob",
        "x\x1dy",
        "n/a",
        "Customer",
    ],
    "last_name": [
        "Smith",
        "O'Brien",
        "Núñez",
        "van der Berg",
        "Smith-Jones",
        "ST. JOHN",
        "unknown",
        "-",
        "Ø",
        "Mc Donald",
        "de la Cruz (old)",
    ],
    "company": [
        "Acme, Inc.",
        "ACME Inc",
        "The Acme Company",
        "Müller GmbH & Co. KG",
        "G.m.b.H. Works",
        "S.A. Holdings",
        "AT&T",
        "Inc",
        "Inc. Ltd.",
        "The Inc",
        "Ben & Jerry's",
        "co co",
        "The",
        "the the",
        "Acme (Holdings) Ltd",
        "Acme Group Holdings LLC",
        "Ça Va SARL",
        "",
        "and",
        "Acme and",
        "Acme & Co",
        "A.B.C. Trading",
        "Acme.com Inc",
    ],
    "company_domain": [
        "https://www.Acme.com/about",
        "acme.com",
        "www.acme.co.uk",
        "pat@acme.com",
        "ftp://x.y",
        "acme",
        "http://acme.com:8080/x?y=1",
        "acme .com",
        ".acme.com.",
        "WWW.WWW.acme.com",
        "mailto:pat@acme.com",
        "https://",
        "ácme.com",
        "acme.com/path@x",
        "a@b@c.com",
    ],
    "dob": [
        "1956-04-09",
        "19560409",
        "1956-02-30",
        "0000-01-01",
        "1956-04-09T10:00:00",
        "1956-04-09 x",
        "1956/04/09",
        "56-04-09",
        "9999-12-31",
        "1900-01-01",
        " 19560409 ",
    ],
    "address": [
        "279 Lake Shore Drive, Pittsburgh",
        "10 Downing Street",
        "1 Saint Mary's Road",
        "Apt 4, 5 North Avenue",
        "",
        "Straße 5",
        "12 Main St.",
    ],
    "crm_id": ["0038c00002097B54F2", " AC-00016719 ", "n/a", "0", "ÄB-1", "--", "a b c"],
    "billing_account_id": ["AC-00016719", "ac 00016719", "null", "AC–1"],
    "national_id": ["123-45-6789", "123456789", "000000000", "1234567", "AB 12 34 56 C"],
}
TRAPS["vote:site"] = TRAPS["company_domain"]
TRAPS["vote:mail"] = [*TRAPS["email"], "pat@gmail.com", "Pat@GMAIL.COM", "x@yahoo.co.uk"]
TRAPS["vote:company"] = TRAPS["company"]


@pytest.mark.parametrize("name", sorted(TRAPS))
def test_batches_agree_with_the_per_value_rule_on_the_traps(name: str) -> None:
    raws: list[object] = [*TRAPS[name], None]
    if not name.startswith("vote:"):
        raws += [12345, 3.5, True, ["a", "b"]]
    assert _disagreements(name, raws) == []


def test_batches_agree_on_every_identity_value_of_the_sample_data() -> None:
    from datetime import UTC, datetime

    from c360tui import specs_io
    from c360tui.core.records import SourceRecord
    from c360tui.ingest.readers import read_feed_lines
    from c360tui.settings import sample_data_dir

    sources = specs_io.load_sources(ROOT / "specs")
    values: dict[str, list[object]] = {name: [] for name in RULES}
    for feed in sources.feeds:
        path = sample_data_dir() / feed.file
        for _, item in read_feed_lines(feed, path, sources, datetime(2027, 1, 1, tzinfo=UTC)):
            if isinstance(item, SourceRecord):
                for name in RULES:
                    attribute = {"vote:site": "company_domain", "vote:mail": "email",
                                 "vote:company": "company"}.get(name, name)  # fmt: skip
                    values[name].append(item.attributes.get(attribute))
    assert sum(len(v) for v in values.values()) > 10_000
    for name, raws in values.items():
        assert _disagreements(name, raws) == [], name


_ASCII = st.sampled_from(
    [*"abcxyzABCXYZ0123456789 .-_@<>+()/#&,'`\"!?:;[]{}|\\*", "mailto:", "ext", "www.", "inc",
     "ltd", "the ", "gmbh", " and ", "http://", "555", "+1 ", "(212) ", "@acme.com", "bob", "n/a",
     "test"]
)  # fmt: skip
_ANY = st.one_of(_ASCII, st.sampled_from(["é", "ß", "İ", "\t", "\x1c", "\u00a0", "ø", "٣", "’"]))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_ANY, max_size=12).map("".join), min_size=1, max_size=30))
def test_batches_agree_with_the_per_value_rule_on_generated_text(texts: list[str]) -> None:
    for name in RULES:
        assert _disagreements(name, texts) == [], name
