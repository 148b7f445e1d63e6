"""The sample holds the traps it promises, and its ground truth covers and explains every row."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import phonenumbers
import pytest

from c360tui.sample import DEFAULT_AS_OF, SampleOptions, generate, parse_as_of
from c360tui.sample.names import NICKNAMES

AS_OF = parse_as_of(DEFAULT_AS_OF)
FILES = {
    "crm_contacts": "crm_contacts.csv",
    "crm_leads": "crm_leads.csv",
    "billing_accounts": "billing_accounts.csv",
    "support_tickets": "support_tickets.csv",
    "marketing_contacts": "marketing_contacts.jsonl",
    "product_usage": "product_usage.csv",
}
ID_COLUMN = {
    "crm_contacts": "contact_id",
    "crm_leads": "Lead ID",
    "billing_accounts": "account_number",
    "support_tickets": "ticket_id",
    "marketing_contacts": "id",
    "product_usage": "user_id",
}
EMAIL_COLUMN = {
    "crm_contacts": "email",
    "crm_leads": "Email",
    "billing_accounts": "billing_email",
    "support_tickets": "requester_email",
    "marketing_contacts": "email",
    "product_usage": "user_email",
}
PHONE_COLUMN = {
    "crm_contacts": "phone",
    "crm_leads": "Phone",
    "billing_accounts": "billing_phone",
    "support_tickets": "requester_phone",
    "marketing_contacts": "phone",
}
FIRST_COLUMN = {
    "crm_contacts": "first_name",
    "crm_leads": "First Name",
    "billing_accounts": "contact_first",
    "support_tickets": "requester_first_name",
    "marketing_contacts": "first_name",
}


@pytest.fixture(scope="module", params=[21, 8, 404])
def out(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    target = tmp_path_factory.mktemp("sample")
    generate(SampleOptions(customers=500, seed=request.param, out=target, as_of=AS_OF))
    return target


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _quarantine(out: Path) -> list[dict[str, str]]:
    return _read_csv(out / "ground_truth" / "quarantine.csv")


def _feed_rows(out: Path, feed: str) -> list[tuple[int, dict[str, object]]]:
    """(line, row) for every row of the feed except the lines quarantine.csv lists."""
    skip = {int(q["line"]) for q in _quarantine(out) if q["feed"] == feed}
    path = out / FILES[feed]
    if path.suffix == ".jsonl":
        lines = path.read_text(encoding="utf-8").splitlines()
        return [(n, json.loads(text)) for n, text in enumerate(lines, 1) if n not in skip]
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return [(reader.line_num, dict(r)) for r in reader if reader.line_num not in skip]


@pytest.fixture(scope="module")
def truth(out: Path) -> dict[tuple[str, str], str]:
    return {
        (r["feed"], r["record_id"]): r["true_customer"]
        for r in _read_csv(out / "ground_truth" / "records.csv")
    }


def _by_person(out: Path, truth: dict[tuple[str, str], str]) -> dict[str, list[tuple[str, dict]]]:
    people: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    for feed in FILES:
        for _, row in _feed_rows(out, feed):
            people[truth[(feed, str(row[ID_COLUMN[feed]]))]].append((feed, row))
    return people


def _e164(raw: object) -> str | None:
    try:
        number = phonenumbers.parse(str(raw), "US")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def test_ground_truth_covers_every_accepted_row_once(
    out: Path, truth: dict[tuple[str, str], str]
) -> None:
    records = _read_csv(out / "ground_truth" / "records.csv")
    assert len(records) == len(truth), "a record id appears twice in one feed"
    seen = set()
    for feed in FILES:
        for _, row in _feed_rows(out, feed):
            key = (feed, str(row[ID_COLUMN[feed]]))
            assert key in truth, key
            seen.add(key)
    assert seen == set(truth)
    people = {r["true_customer"] for r in _read_csv(out / "ground_truth" / "people.csv")}
    assert set(truth.values()) == people


def test_every_person_is_in_the_crm(out: Path, truth: dict[tuple[str, str], str]) -> None:
    for person, rows in _by_person(out, truth).items():
        assert {f for f, _ in rows} & {"crm_contacts", "crm_leads"}, person


def test_each_billing_account_belongs_to_a_distinct_person(
    truth: dict[tuple[str, str], str],
) -> None:
    owners = [person for (feed, _), person in truth.items() if feed == "billing_accounts"]
    assert owners and len(owners) == len(set(owners))


def test_a_switchboard_number_is_shared_by_more_than_five_people(
    out: Path, truth: dict[tuple[str, str], str]
) -> None:
    holders: dict[str, set[str]] = defaultdict(set)
    for _, row in _feed_rows(out, "crm_contacts"):
        number = _e164(row["phone"])
        if number:
            holders[number].add(truth[("crm_contacts", str(row["contact_id"]))])
    assert max(len(people) for people in holders.values()) > 5


def test_duplicates_within_a_source_differ_in_casing_or_format(
    out: Path, truth: dict[tuple[str, str], str]
) -> None:
    by_person: dict[str, list[dict]] = defaultdict(list)
    for _, row in _feed_rows(out, "crm_contacts"):
        by_person[truth[("crm_contacts", str(row["contact_id"]))]].append(row)
    duplicates = [rows for rows in by_person.values() if len(rows) > 1]
    assert duplicates
    for first, second in (rows[:2] for rows in duplicates):
        assert first["email"].strip().lower() == second["email"].strip().lower()
        assert first["email"] != second["email"] or first["phone"] != second["phone"]


def test_nicknames_name_the_same_person_across_sources(
    out: Path, truth: dict[tuple[str, str], str]
) -> None:
    nick_of = {nick: name for name, nicks in NICKNAMES.items() for nick in nicks}
    found = 0
    for rows in _by_person(out, truth).values():
        firsts = {str(row[FIRST_COLUMN[feed]]) for feed, row in rows if feed in FIRST_COLUMN}
        found += any(nick_of.get(name) in firsts for name in firsts)
    assert found >= 5


def test_same_name_different_people_exist_at_one_company_and_across_companies(out: Path) -> None:
    people = _read_csv(out / "ground_truth" / "people.csv")
    by_key = {p["true_customer"]: p for p in people}
    pairs = [(p, by_key[p["same_name_as"]]) for p in people if p["same_name_as"]]
    same_company = [a for a, b in pairs if a["company_domain"] == b["company_domain"]]
    other_company = [a for a, b in pairs if a["company_domain"] != b["company_domain"]]
    assert same_company and other_company
    for a, b in pairs:
        assert (a["first_name"], a["last_name"]) == (b["first_name"], b["last_name"])
        assert a["email"] != b["email"] and a["phone"] != b["phone"]


def test_every_row_can_reach_its_crm_row_by_email_or_direct_phone(
    out: Path, truth: dict[tuple[str, str], str]
) -> None:
    direct = {p["true_customer"]: p for p in _read_csv(out / "ground_truth" / "people.csv")}
    for person, rows in _by_person(out, truth).items():
        own_email, own_phone = direct[person]["email"], direct[person]["phone"]
        anchors = {
            str(row[EMAIL_COLUMN[f]]).strip().lower() for f, row in rows if f.startswith("crm")
        }
        anchors |= {_e164(row[PHONE_COLUMN[f]]) for f, row in rows if f.startswith("crm")}
        anchors |= {_e164(row["billing_phone"]) for f, row in rows if f == "billing_accounts"}
        for feed, row in rows:
            email = str(row.get(EMAIL_COLUMN[feed]) or "").strip().lower()
            phone = _e164(row.get(PHONE_COLUMN.get(feed, ""), ""))
            linked = (email == own_email and email in anchors) or (
                phone == own_phone and phone in anchors
            )
            assert linked, (person, feed, row)


def test_values_ground_truth_names_known_people_and_attributes(out: Path) -> None:
    people = {p["true_customer"] for p in _read_csv(out / "ground_truth" / "people.csv")}
    values = _read_csv(out / "ground_truth" / "values.csv")
    traps = {v["trap"] for v in values}
    assert {"phone_conflict", "dnc_conflict", "plan_conflict", "nickname"} <= traps
    for value in values:
        assert value["true_customer"] in people
        assert value["expect"] in {"winner", "conflicted", "unverified", "missing"}
        if value["attribute"] == "phone":
            assert value["right_value"].startswith("+")


def test_conflicts_disagree_between_systems_of_record(
    out: Path, truth: dict[tuple[str, str], str]
) -> None:
    rows = _by_person(out, truth)
    values = _read_csv(out / "ground_truth" / "values.csv")
    phone_conflicts = [v for v in values if v["trap"] == "phone_conflict"]
    assert phone_conflicts
    for value in phone_conflicts:
        person_rows = rows[value["true_customer"]]
        billing = next(r for f, r in person_rows if f == "billing_accounts")
        crm = max(
            (r for f, r in person_rows if f == "crm_contacts"),
            key=lambda r: datetime.fromisoformat(r["last_modified"]),
        )
        assert _e164(billing["billing_phone"]) == value["right_value"] != _e164(crm["phone"])
        gap = datetime.fromisoformat(billing["updated"]) - datetime.fromisoformat(
            crm["last_modified"]
        )
        assert 0 < gap.total_seconds() < 7 * 86400
    for value in (v for v in values if v["trap"] == "plan_conflict"):
        person_rows = rows[value["true_customer"]]
        crm_plans = {r["plan"] for f, r in person_rows if f == "crm_contacts"} - {""}
        assert value["right_value"] not in crm_plans or not crm_plans


def test_bad_rows_sit_at_the_lines_quarantine_lists(out: Path) -> None:
    quarantine = _quarantine(out)
    assert 3 <= len(quarantine) <= 6
    assert len({q["reason_kind"] for q in quarantine}) == len(quarantine)
    for q in quarantine:
        text = (out / q["file"]).read_text(encoding="utf-8").splitlines()[int(q["line"]) - 1]
        kind = q["reason_kind"]
        if kind == "malformed_json":
            with pytest.raises(json.JSONDecodeError):
                json.loads(text)
            continue
        with (out / q["file"]).open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        row = dict(zip(header, next(csv.reader([text])), strict=True))
        if kind == "naive_timestamp":
            assert datetime.fromisoformat(row["last_modified"]).tzinfo is None
        elif kind == "future_timestamp":
            assert datetime.strptime(row["Last Modified"], "%m/%d/%Y %H:%M") > AS_OF.replace(
                tzinfo=None
            )
        elif kind == "out_of_range":
            assert float(row["arr"]) < 0
        elif kind == "missing_id":
            assert row["ticket_id"] == ""
        elif kind == "not_a_number":
            assert "NaN" in row["weekly_active_minutes"].split(";")
        else:
            pytest.fail(f"unknown reason kind {kind}")
        assert q["record_id"] == row[ID_COLUMN[q["feed"]]]


def test_junk_identifiers_appear(out: Path) -> None:
    emails = [str(r.get(EMAIL_COLUMN[f]) or "") for f in FILES for _, r in _feed_rows(out, f)]
    phones = [
        str(r.get(PHONE_COLUMN[f]) or "") for f in PHONE_COLUMN for _, r in _feed_rows(out, f)
    ]
    assert {"test@test.com", "n/a", "none"} & set(emails)
    assert {"0000000000", "000-000-0000", "n/a"} & set(phones)


def test_some_usage_declines_sharply(out: Path) -> None:
    declining = 0
    for _, row in _feed_rows(out, "product_usage"):
        weeks = [float(x) for x in str(row["weekly_active_minutes"]).split(";")]
        declining += weeks[-1] < 0.4 * weeks[0]
    assert declining >= 5
