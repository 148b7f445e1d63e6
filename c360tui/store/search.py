"""Customer search: exact keys (email, phone, account ids), name prefixes and trigram substrings.

Each query is a handful of indexed lookups on the raw sqlite3 connection: the `search_key` index
for exact keys, a range scan of `search_name` for prefixes, and the FTS5 trigram table for
substrings. Nothing scans a table, so a query stays well under a millisecond at a million
customers (see benchmarks/bench_search.py).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from c360tui.core.customer import ReconciledAttribute, ResolvedCustomer

# Attributes whose every known value (winner, alternates, contenders) is an exact search key.
KEY_ATTRIBUTES = ("email", "phone", "crm_id", "billing_account_id")
ID_KINDS = ("crm_id", "billing_account_id")
KIND_LABELS = {
    "email": "email",
    "phone": "phone",
    "crm_id": "CRM id",
    "billing_account_id": "billing account",
}

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
    """The normalised form of an exact key as stored in, and looked up from, `search_key`."""
    if kind == "phone":
        return phone_key(raw, region)
    value = raw.strip().casefold()
    return value or None


def _first_value(attribute: ReconciledAttribute | None) -> str:
    """The winner as text, or the first contender when the attribute is conflicted."""
    if attribute is None:
        return ""
    if attribute.winner is not None:
        return str(attribute.winner.value)
    if attribute.contenders:
        return str(attribute.contenders[0].value)
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
    attrs = customer.attributes
    first, last = _first_value(attrs.get("first_name")), _first_value(attrs.get("last_name"))
    name = f"{first} {last}" if first and last else first or last
    company = _first_value(attrs.get("company"))
    email = _first_value(attrs.get("email"))
    phone = _first_value(attrs.get("phone"))
    row = (
        seq,
        customer.customer_id,
        name or email or customer.customer_id,
        company,
        email,
        phone,
        len(customer.records),
    )
    keys: set[tuple[str, str, int]] = set()
    for kind in KEY_ATTRIBUTES:
        attribute = attrs.get(kind)
        if attribute is None:
            continue
        candidates = [*attribute.alternates, *attribute.contenders]
        if attribute.winner is not None:
            candidates.append(attribute.winner)
        for candidate in candidates:
            value = key_value(kind, str(candidate.value), region)
            if value:
                keys.add((kind, value, seq))
    name_fold = fold_name(name) if name else ""
    company_fold = fold_name(company) if company else ""
    last_fold = fold_name(last) if last else ""
    terms: list[tuple[str, str, int]] = []
    if name_fold:
        terms.append((name_fold, "name", seq))
    if last_fold and last_fold != name_fold:
        terms.append((last_fold, "last name", seq))
    if company_fold:
        terms.append((company_fold, "company", seq))
    return row, list(keys), terms, (seq, name_fold, company_fold)


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
    keys.extend((kind, value) for kind in ID_KINDS)
    return keys
