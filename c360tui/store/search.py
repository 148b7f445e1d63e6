"""Customer search: exact keys (email, phone, account ids), name prefixes and trigram substrings.

Each query is a handful of indexed lookups on the raw sqlite3 connection: the `search_key` index
for exact keys, a range scan of `search_name` for prefixes, and the FTS5 trigram table for
substrings. Nothing scans a table, so a query stays well under a millisecond at a million
customers (see benchmarks/bench_search.py).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from c360tui.core.customer import ResolvedCustomer

# Attributes whose every known value (winner, alternates, contenders) is an exact search key.
KEY_ATTRIBUTES = ("email", "phone", "crm_id", "billing_account_id", "company_domain")
ID_KINDS = ("crm_id", "billing_account_id")
KIND_LABELS = {
    "email": "email",
    "phone": "phone",
    "crm_id": "CRM id",
    "billing_account_id": "billing account",
    "company_domain": "domain",
}
_NOT_ID_CHARS = re.compile(r"[^0-9a-z]")

_E164 = re.compile(r"\+[1-9]\d{6,14}")
_PHONE_SHAPED = re.compile(r"[\d\s()+\-./]+(?:\s*(?:x|ext\.?)\s*\d+)?", re.IGNORECASE)

SCORE_EXACT = 1.0
SCORE_NAME_EQUAL = 0.9
SCORE_PREFIX = 0.8
SCORE_EMAIL_PREFIX = 0.7
SCORE_SUBSTRING = 0.5


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One customer found by a query, and why: the field that matched and the value it held.

    `display_name` and `company` are raw customer text: render them as plain text, never markup.
    """

    customer_id: str
    display_name: str
    company: str
    field: str
    why: str
    score: float


def fold(raw: str) -> str:
    """The folded form names are indexed and queried by (shared with core identity matching)."""
    from c360tui.core.normalize import fold_name

    return fold_name(raw)


def phone_key(raw: str, region: str) -> str | None:
    """E.164 for a phone value; values already in E.164 skip the (slow) phonenumbers parse."""
    text = raw.strip()
    if _E164.fullmatch(text):
        return text
    from c360tui.core.normalize import normalize_phone

    return normalize_phone(text, region)


def key_value(kind: str, raw: str, region: str) -> str | None:
    """The normalised form of an exact key as stored in, and looked up from, `search_key`.

    Account ids keep only letters and digits ("AC-3607", "ac 3607" and "AC3607" are one id),
    domains lose scheme and www.
    """
    return _key_normalisers(region).get(kind, _plain_key)(raw)


def _plain_key(raw: str) -> str | None:
    return raw.strip().casefold() or None


def _id_key(raw: str) -> str | None:
    return _NOT_ID_CHARS.sub("", raw.strip().casefold()) or None


@lru_cache(maxsize=16)
def _key_normalisers(region: str) -> dict[str, Callable[[str], str | None]]:
    """key_value's normaliser per kind, for one region: indexing calls them ~7 times a
    customer, so the imports and the dispatch are done once."""
    from c360tui.core.normalize import normalize_domain, normalize_phone

    def phone(raw: str) -> str | None:
        text = raw.strip()
        return text if _E164.fullmatch(text) else normalize_phone(text, region)

    normalisers: dict[str, Callable[[str], str | None]] = dict.fromkeys(ID_KINDS, _id_key)
    normalisers.update(phone=phone, company_domain=normalize_domain)
    return normalisers


# An attribute as the index reads it: the winner's value (NO_WINNER when there is none), the
# alternates' values and the contenders' values.
IndexedValues = tuple[object, Sequence[object], Sequence[object]]
NO_WINNER = object()
# The attributes the customer row and the search rows are made of.
INDEXED_ATTRIBUTES = (*KEY_ATTRIBUTES, "first_name", "last_name", "company")


def _first_value(values: IndexedValues | None) -> str:
    """The winner as text, or the first contender when the attribute is conflicted."""
    if values is None:
        return ""
    winner, _, contenders = values
    if winner is not NO_WINNER:
        return str(winner)
    if contenders:
        return str(contenders[0])
    return ""


IndexRows = tuple[
    tuple[int, str, str, str, str, str, int],  # the customer row
    list[tuple[str, str, int]],  # exact keys (kind, value, seq)
    list[tuple[str, str, int]],  # prefix terms (term, field, seq)
    tuple[int, str, str],  # the FTS row (seq, folded name, folded company)
]


def index_rows(
    customer: ResolvedCustomer, seq: int, region: str, fold_name: Callable[[str], str]
) -> IndexRows:
    """The customer row and search rows of one customer."""
    values: dict[str, IndexedValues] = {}
    for name in INDEXED_ATTRIBUTES:
        attribute = customer.attributes.get(name)
        if attribute is not None:
            values[name] = (
                NO_WINNER if attribute.winner is None else attribute.winner.value,
                [c.value for c in attribute.alternates],
                [c.value for c in attribute.contenders],
            )
    return index_rows_of(
        customer.customer_id, len(customer.records), values, seq, region, fold_name
    )


def index_rows_of(
    customer_id: str,
    record_count: int,
    values: dict[str, IndexedValues],
    seq: int,
    region: str,
    fold_name: Callable[[str], str],
) -> IndexRows:
    """The customer row and search rows of one customer, from its INDEXED_ATTRIBUTES' values
    (ingest's workers hand them over without making ReconciledAttributes)."""
    first, last = _first_value(values.get("first_name")), _first_value(values.get("last_name"))
    name = f"{first} {last}" if first and last else first or last
    company = _first_value(values.get("company"))
    email = _first_value(values.get("email"))
    phone = _first_value(values.get("phone"))
    row = (seq, customer_id, name or email or customer_id, company, email, phone, record_count)
    keys: dict[tuple[str, str, int], None] = {}
    normalisers = _key_normalisers(region)
    for kind in KEY_ATTRIBUTES:
        found = values.get(kind)
        if found is None:
            continue
        winner, alternates, contenders = found
        # one person's email on each of their records: normalise each distinct text once
        raws = {str(value): None for value in alternates}
        if contenders:
            raws.update((str(value), None) for value in contenders)
        if winner is not NO_WINNER:
            raws[str(winner)] = None
        normalise = normalisers.get(kind, _plain_key)
        for raw in raws:
            value = normalise(raw)
            if value:
                keys[(kind, value, seq)] = None
    name_fold = fold_name(name) if name else ""
    company_fold = fold_name(company) if company else ""
    last_fold = fold_name(last) if last else ""
    terms: list[tuple[str, str, int]] = []
    if name_fold:
        terms.append((name_fold, "name", seq))
    if last_fold and last_fold != name_fold:
        terms.append((last_fold, "last name", seq))
    # The name as other records write it ("Danny Lane" on his ticket) finds him too.
    for other in _other_names(values.get("first_name"), first, last):
        other_fold = fold_name(other)
        if other_fold and other_fold != name_fold:
            terms.append((other_fold, "name", seq))
    if company_fold:
        terms.append((company_fold, "company", seq))
    return (
        row,
        list(keys),
        list(dict.fromkeys(terms)),
        (seq, name_fold, company_fold),
    )


def _other_names(first_name: IndexedValues | None, first: str, last: str) -> list[str]:
    """Full names made of the first names the losing records hold and the winning last name."""
    if first_name is None or not last:
        return []
    _, alternates, contenders = first_name
    return [
        f"{value} {last}"
        for value in (*alternates, *contenders)
        if isinstance(value, str) and value != first
    ]


def search(conn: sqlite3.Connection, query: str, limit: int, region: str) -> list[SearchHit]:
    """Customers matching `query`, best first: exact keys, then name prefixes, then substrings."""
    text = query.strip()
    if not text or limit <= 0:
        return []
    found: dict[int, tuple[float, str, str]] = {}  # customer seq -> (score, field, why)

    def offer(seq: int, score: float, field: str, why: str) -> None:
        if seq not in found or found[seq][0] < score:
            found[seq] = (score, field, why)

    for kind, value in _exact_keys(text, region):
        label = KIND_LABELS[kind]
        for (seq,) in conn.execute(
            "SELECT customer_seq FROM search_key WHERE kind = ? AND value = ? LIMIT ?",
            (kind, value, limit),
        ):
            offer(seq, SCORE_EXACT, label, f"{label} {value}")

    # A phone number half typed finds its customers by the start of their E.164 keys.
    prefix = phone_prefix(text, region)
    if prefix:
        for (seq,) in conn.execute(
            "SELECT customer_seq FROM search_key "
            "WHERE kind = 'phone' AND value > ? AND value < ? ORDER BY value LIMIT ?",
            (prefix, _after_prefix(prefix), limit),
        ):
            offer(seq, SCORE_PREFIX, "phone", f'phone starts with "{text}"')

    # An email half typed ("dlane@quan") finds its customer before the last keystroke.
    typed = text.casefold()
    if len(typed) >= 3 and not any(ch.isspace() for ch in typed):
        for (seq,) in conn.execute(
            "SELECT customer_seq FROM search_key "
            "WHERE kind = 'email' AND value > ? AND value < ? ORDER BY value LIMIT ?",
            (typed, _after_prefix(typed), limit),
        ):
            offer(seq, SCORE_EMAIL_PREFIX, "email", f'email starts with "{text}"')

    # An email is not folded into words: that would only find noise.
    folded = "" if "@" in text else fold(text)
    if folded:
        for term, field, seq in conn.execute(
            "SELECT term, field, customer_seq FROM search_name "
            "WHERE term >= ? AND term < ? ORDER BY term LIMIT ?",
            (folded, _after_prefix(folded), limit + 5),
        ):
            score = SCORE_NAME_EQUAL if term == folded else SCORE_PREFIX
            if field != "name":
                score -= 0.05
            offer(seq, score, field, f'{field} starts with "{text}"')
    if len(folded) >= 3 and len(found) < limit:
        phrase = '"' + folded.replace('"', '""') + '"'
        for (seq,) in conn.execute(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH ? LIMIT ?", (phrase, limit)
        ).fetchall():
            offer(seq, SCORE_SUBSTRING, "", "")

    hits: list[SearchHit] = []
    seqs = list(found)
    rows = conn.execute(
        "SELECT seq, customer_id, display_name, company FROM customer "
        f"WHERE seq IN ({','.join('?' * len(seqs))})",
        seqs,
    ).fetchall()
    for seq, customer_id, name, company in rows:
        score, field, why = found[seq]
        if not field:
            field = "name" if folded in fold(name) else "company"
            why = f'{field} contains "{text}"'
        hits.append(SearchHit(customer_id, name, company, field, why, score))
    hits.sort(key=lambda h: (-h.score, h.display_name.casefold(), h.customer_id))
    return hits[:limit]


def _after_prefix(prefix: str) -> str:
    """The upper bound of a prefix range: every text starting with `prefix` sorts below it."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _exact_keys(text: str, region: str) -> list[tuple[str, str]]:
    """The (kind, normalised value) pairs a query could be an exact key for."""
    if "@" in text:
        return [("email", text.casefold())]
    keys: list[tuple[str, str]] = []
    if _PHONE_SHAPED.fullmatch(text) and sum(ch.isdigit() for ch in text) >= 7:
        phone = phone_key(text, region)
        if phone:
            keys.append(("phone", phone))
    value = text.casefold()
    folded_id = _NOT_ID_CHARS.sub("", value)
    for kind in ID_KINDS:
        keys.append((kind, folded_id))
        if value != folded_id:
            keys.append((kind, value))  # as stores written before ids were folded hold it
    if "." in value and " " not in value:
        domain = key_value("company_domain", value, region)
        if domain:
            keys.append(("company_domain", domain))
    return [key for key in dict.fromkeys(keys) if key[1]]


def phone_prefix(text: str, region: str) -> str | None:
    """The E.164 start a partly typed phone number stands for ("(202) 555" -> "+1202555"), or
    None when the text is too short (or long) to be taken for the start of a number."""
    if not _PHONE_SHAPED.fullmatch(text):
        return None
    digits = "".join(ch for ch in text if ch.isdigit())
    start = text.lstrip()[:1]
    if start == "+":
        return f"+{digits}" if len(digits) >= 4 else None
    # Six or seven bare digits may as well be a local number without its area code.
    if not (6 if start == "(" else 8) <= len(digits) < 10:
        return None
    import phonenumbers

    code = phonenumbers.country_code_for_region(region)
    national = digits[1:] if digits[0] == ("1" if code == 1 else "0") else digits  # trunk
    return f"+{code}{national}" if code else None
