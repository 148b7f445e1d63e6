"""Preparing records for matching: normalised field columns, junk removal, switchboard detection
and blocking keys.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter

from rapidfuzz import fuzz

from c360tui.core.identity_spec import DERIVED_INPUTS, IdentitySpec, split_block_part
from c360tui.core.normalize import (
    canonical_first_name,
    company_domain_of_email,
    fold_name,
    fold_text,
    normalize_address,
    normalize_company,
    normalize_date,
    normalize_domain,
    normalize_email,
    normalize_identifier,
    normalize_phone,
)
from c360tui.core.records import AttrValue, SourceRecord

Column = list[str | None]
_Text = Callable[[str], str | None]


def _text(value: AttrValue | None) -> str | None:
    """The raw text of an attribute value, or None for missing, empty and non-scalar values."""
    if value is None or isinstance(value, (bool, list)):
        return None
    text = value.strip() if isinstance(value, str) else str(value)
    return text or None


def _personal_email(roles: frozenset[str]) -> _Text:
    """normalize_email that also drops team inboxes (billing@, ap@...), which name no person."""

    def normalise(raw: str) -> str | None:
        email = normalize_email(raw)
        if email is None or email.split("@", 1)[0] in roles:
            return None
        return email

    return normalise


def _simple_normalizer(kind: str, region: str, roles: frozenset[str] = frozenset()) -> _Text:
    """The single-attribute normaliser of a field kind; empty results count as missing."""
    simple: dict[str, _Text] = {
        "email": _personal_email(roles) if roles else normalize_email,
        "phone": lambda raw: normalize_phone(raw, region),
        "name": lambda raw: fold_name(raw) or None,
        "first_name": lambda raw: canonical_first_name(raw) or None,
        "company": lambda raw: normalize_company(raw) or None,
        "domain": normalize_domain,
        "company_domain": normalize_domain,
        "date": normalize_date,
        "address": lambda raw: normalize_address(raw) or None,
        "id": lambda raw: normalize_identifier(raw) or None,
        "text": lambda raw: fold_text(raw) or None,
    }
    return simple[kind]


class FieldTable:
    """Normalised values of every spec field for a sorted list of records, junk already removed.

    `raw[field]` keeps the trimmed source text of fields a rule compares `exact`; `person[i]` is
    a record's folded full name, used to count the distinct people behind a shared value.
    """

    def __init__(self, records: Sequence[SourceRecord], spec: IdentitySpec, region: str) -> None:
        self.size = len(records)
        self.values: dict[str, Column] = {}
        self.raw: dict[str, Column] = {}
        # columns nickname-mapped for `name` comparisons, filled by the rules that need them
        self.name_columns: dict[str, Column] = {}
        attrs = [record.attributes for record in records]
        self._roles = frozenset(fold_text(role) for role in spec.junk.role_mailboxes)
        # raw text is kept only where a rule compares it exactly: it costs a column per field
        exact = {c.field for rule in spec.rules for c in rule.compare if c.method == "exact"}
        everywhere = {fold_text(value) for value in spec.junk.everywhere}
        # plain fields first: the derived ones (full_name, company_domain) read their columns
        order = sorted(spec.fields.items(), key=lambda item: item[1] in DERIVED_INPUTS)
        person: Column | None = None
        for name, kind in order:
            junk = everywhere | {fold_text(value) for value in spec.junk.fields.get(name, [])}
            if name in exact:
                self.raw[name] = [_text(a.get(name)) for a in attrs]
            if kind == "full_name":
                column = self._full_names(attrs, everywhere)
                person = column
            else:
                normalizer = _simple_normalizer(kind, region, self._roles)
                column = _normalise([a.get(name) for a in attrs], normalizer, junk)
                if kind == "company_domain":
                    self._fill_email_domains(column, attrs, everywhere, spec)
            self.values[name] = column
        # the same as a full_name field's column (both drop the same junk): computed once
        self.person: Column = person if person is not None else self._full_names(attrs, everywhere)

    def _column_or(self, name: str, attrs: list[dict[str, AttrValue]], kind: str, junk: set[str],
                   region: str) -> Column:  # fmt: skip
        """An already-normalised column, or one normalised now for a field the spec lacks."""
        if name in self.values:
            return self.values[name]
        raw = [a.get(name) for a in attrs]
        return _normalise(raw, _simple_normalizer(kind, region, self._roles), junk)

    def _fill_email_domains(
        self, column: Column, attrs: list[dict[str, AttrValue]], junk: set[str], spec: IdentitySpec
    ) -> None:
        """Fill missing company domains from company (non-freemail) email addresses."""
        email_junk = junk | {fold_text(value) for value in spec.junk.fields.get("email", [])}
        emails = self._column_or("email", attrs, "email", email_junk, "")
        for index, value in enumerate(column):
            if value is None:
                email = emails[index]
                if email is not None:
                    column[index] = company_domain_of_email(email)

    def _full_names(self, attrs: list[dict[str, AttrValue]], junk: set[str]) -> Column:
        """First name (nickname-mapped) and last name, folded; None when both are missing."""
        firsts = self._column_or("first_name", attrs, "first_name", junk, "")
        lasts = self._column_or("last_name", attrs, "name", junk, "")
        out: Column = []
        for first, last in zip(firsts, lasts, strict=True):
            if first is None:
                out.append(None if last is None else fold_name(last))
            elif last is None:
                out.append(canonical_first_name(first))
            else:
                out.append(f"{canonical_first_name(first)} {fold_name(last)}")
        return out


def _normalise(raw: Sequence[AttrValue | None], normalizer: _Text, junk: set[str]) -> Column:
    """Normalise a column of raw attribute values, junk checked on the folded raw text and on
    the normalised value.

    A memo keyed by the raw value makes repeated values (one person's many tickets) cost one
    dictionary look-up each; lists (unhashable) and other odd values go the long way.
    """
    memo: dict[object, str | None] = {None: None}
    normalised_junk = {n for n in (normalizer(value) for value in junk) if n is not None}

    def compute(value: AttrValue | None) -> str | None:
        text = _text(value)
        if text is None or fold_text(text) in junk:
            return None
        result = normalizer(text)
        return None if result in normalised_junk else result

    out: Column = []
    append = out.append
    get = memo.get
    for value in raw:
        known = get(value, _UNSEEN)
        if known is not _UNSEEN:
            append(known)  # type: ignore[arg-type]
        elif isinstance(value, list):
            append(None)
        else:
            known = memo[value] = compute(value)
            append(known)
    return out


_UNSEEN = object()


def count_people(names: Sequence[str | None], limit: int) -> int:
    """How many distinct people a list of full names holds, counting at most `limit` + 1.

    Names are grouped by similarity (token order ignored) so "Bob Smith" on ten tickets,
    "Robert Smith" and "Robert Smyth" count as one person.
    """
    people: list[str] = []
    for name in dict.fromkeys(n for n in names if n):
        if any(fuzz.token_sort_ratio(name, known) >= 85 for known in people):
            continue
        people.append(name)
        if len(people) > limit:
            break
    return len(people)


def drop_shared_values(table: FieldTable, spec: IdentitySpec) -> dict[str, list[str]]:
    """Remove values that link more distinct people than allowed (a switchboard number).

    Returns, per field, the values removed, sorted.
    """
    removed: dict[str, list[str]] = {}
    for name, limit in spec.max_people_per_value.items():
        column = table.values[name]
        holders: dict[str, list[int]] = {}
        for index, value in enumerate(column):
            if value is not None:
                holders.setdefault(value, []).append(index)
        shared = sorted(
            value
            for value, indices in holders.items()
            if len(indices) > limit and _people_over(table.person, indices, limit)
        )
        for value in shared:
            for index in holders[value]:
                column[index] = None
        if shared:
            removed[name] = shared
    return removed


def _people_over(person: Column, indices: list[int], limit: int) -> bool:
    """Whether the records at `indices` name more than `limit` distinct people.

    Never more people than distinct names: most shared values (one person's email on each of
    their tickets) hold one name, and need no similarity grouping.
    """
    names = itemgetter(*indices)(person) if len(indices) > 1 else [person[indices[0]]]
    distinct = set(names)
    distinct.discard(None)
    distinct.discard("")
    if len(distinct) <= limit:
        return False
    return count_people(names, limit) > limit


def block_key_parts(key: list[str]) -> list[tuple[str, int | None]]:
    """A blocking key's fields with the prefix length each keeps (None: the whole value)."""
    lengths = {None: None, "initial": 1, "prefix3": 3, "year": 4}
    return [(field, lengths[transform]) for field, transform in map(split_block_part, key)]


def build_blocks(
    table: FieldTable, key: list[str], eligible: Sequence[int]
) -> dict[tuple[str, ...], list[int]]:
    """Group eligible record indices by a blocking key; records missing a part are left out."""
    parts = [(table.values[field], length) for field, length in block_key_parts(key)]
    blocks: dict[tuple[str, ...], list[int]] = {}
    if len(parts) == 1:
        # one field (the common case): a plain dictionary pass, no per-record tuple of parts
        column, size = parts[0]
        single: dict[str, list[int]] = {}
        for index in eligible:
            value = column[index]
            if value is not None:
                single.setdefault(value if size is None else value[:size], []).append(index)
        return {(value,): members for value, members in single.items()}
    for index in eligible:
        values: list[str] = []
        for column, length in parts:
            value = column[index]
            if value is None:
                break
            values.append(value if length is None else value[:length])
        else:
            blocks.setdefault(tuple(values), []).append(index)
    return blocks
