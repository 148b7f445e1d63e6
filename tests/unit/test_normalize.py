"""Normalisers: what a rep would call "the same" email, phone, name or company."""

from __future__ import annotations

import pytest

from c360tui.core.normalize import (
    canonical_first_name,
    company_domain_of_email,
    fold_name,
    format_phone,
    normalize_address,
    normalize_company,
    normalize_date,
    normalize_domain,
    normalize_email,
    normalize_identifier,
    normalize_phone,
)


@pytest.mark.parametrize(
    "raw",
    ["(415) 555-0100", "415-555-0100", "415.555.0100", "+1 415 555 0100", "1 (415) 555-0100",
     "+14155550100", "  415 555 0100  ", "415-555-0100 ext. 12", "(415) 555-0100 x7"],
)  # fmt: skip
def test_us_phone_formats_are_one_number(raw: str) -> None:
    assert normalize_phone(raw, "US") == "+14155550100"


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("020 7946 0958", "GB", "+442079460958"),
        ("+44 20 7946 0958", "US", "+442079460958"),
        ("0044 20 7946 0958", "DE", "+442079460958"),
        ("030 901820", "DE", "+4930901820"),
        ("+49 30 901820", "GB", "+4930901820"),
        ("(030) 90 18 20", "DE", "+4930901820"),
        ("+1 415 555 0100", "GB", "+14155550100"),
    ],
)
def test_international_numbers_read_in_the_default_region(
    raw: str, region: str, expected: str
) -> None:
    assert normalize_phone(raw, region) == expected


@pytest.mark.parametrize(
    "raw",
    ["", "   ", "n/a", "unknown", "0000000000", "1111111111", "1234567890", "555-0100",
     "12", "+1 (000) 000-0000", "phone", "020 7946 0958"],
)  # fmt: skip
def test_junk_and_unparseable_phones_are_none(raw: str) -> None:
    assert normalize_phone(raw, "US") is None


def test_phone_display_form_is_international() -> None:
    assert format_phone("+14155550100") == "+1 415-555-0100"
    assert format_phone("+442079460958") == "+44 20 7946 0958"


def test_vanity_letters_are_read_by_the_library() -> None:
    assert normalize_phone("1-800-FLOWERS", "US") == "+18003569377"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Bob.Smith@Example.COM", "bob.smith@example.com"),
        ("  <bob@acme.io> ", "bob@acme.io"),
        ("mailto:Bob@Acme.io", "bob@acme.io"),
        ("JÖRG@müller.de".replace("ü", "u"), "jörg@muller.de"),
    ],
)
def test_email_is_trimmed_and_casefolded(raw: str, expected: str) -> None:
    assert normalize_email(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["", "n/a", "bob", "bob@", "@acme.io", "bob@acme", "bob smith@acme.io", "noreply@acme.io"],
)
def test_non_emails_and_junk_shaped_emails_are_none(raw: str) -> None:
    assert normalize_email(raw) is None


def test_fold_name_removes_accents_case_and_punctuation() -> None:
    assert fold_name("  José   O'Brien-Smith ") == "jose obrien smith"
    assert fold_name("ZOË") == fold_name("zoe")
    assert fold_name("Søren") == "soren"
    assert fold_name("Straße") == "strasse"


@pytest.mark.parametrize(
    ("nickname", "canonical"),
    [("Bob", "robert"), ("bobby", "robert"), ("Bill", "william"), ("Liz", "elizabeth"),
     ("Kate", "katherine"), ("Katie", "katherine"), ("Jim", "james"), ("Mike", "michael"),
     ("Peggy", "margaret"), ("Robert", "robert"), ("Dick", "richard"), ("Ted", "edward")],
)  # fmt: skip
def test_nicknames_map_to_one_canonical_name(nickname: str, canonical: str) -> None:
    assert canonical_first_name(nickname) == canonical


def test_ambiguous_nicknames_stay_themselves() -> None:
    # "Chris" may be Christopher or Christine: mapping it would merge different people
    assert canonical_first_name("Chris") == "chris"
    assert canonical_first_name("Alex") == "alex"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Acme, Inc.", "acme"),
        ("ACME Incorporated", "acme"),
        ("Acme LLC", "acme"),
        ("Müller GmbH & Co. KG", "muller"),
        ("The Widget Company Ltd", "widget"),
        ("Globex Corporation", "globex"),
        ("Initech S.A.", "initech"),
        ("Johnson & Johnson", "johnson and johnson"),
        ("Inc", "inc"),
    ],
)
def test_company_legal_suffixes_are_stripped(raw: str, expected: str) -> None:
    assert normalize_company(raw) == expected


def test_domains_and_company_email_domains() -> None:
    assert normalize_domain("https://www.Acme.io/about?x=1") == "acme.io"
    assert normalize_domain("acme.io:8080") == "acme.io"
    assert normalize_domain("not a domain") is None
    assert company_domain_of_email("bob@acme.io") == "acme.io"
    assert company_domain_of_email("bob@gmail.com") is None


def test_dates_identifiers_and_addresses() -> None:
    assert normalize_date("19560409") == "1956-04-09"
    assert normalize_date("1956-04-09") == "1956-04-09"
    assert normalize_date("1956-04-09T00:00:00Z") == "1956-04-09"
    assert normalize_date("2020-02-30") is None
    assert normalize_identifier(" B-1001 ") == normalize_identifier("b1001")
    assert normalize_address("7 Wallaby Place") == normalize_address("7 wallaby pl.")


def test_phone_with_other_scripts_digits_or_odd_spaces() -> None:
    assert normalize_phone("(٤١٥) ٥٥٥-٠١٠٠", "US") == "+14155550100"
    assert normalize_phone("415\u00a0555\u00a00100", "US") == "+14155550100"
    assert normalize_phone("+1 415 555 0100\u200b", "US") == "+14155550100"
