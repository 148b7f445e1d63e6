"""The normalised identity fields of every record, as columns: what the match rules read.

Records are added one at a time (`FieldTableBuilder.add`) and only their normalised values are
kept, so an ingest of millions of rows never holds the rows themselves while it resolves them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from sys import intern

import numpy as np

from c360tui.core.columnar import Ints, reordered
from c360tui.core.identity_spec import IdentitySpec
from c360tui.core.memo_column import MemoColumn, Wait
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
from c360tui.core.normalize_batch import ColumnNormaliser
from c360tui.core.records import AttrValue, SourceRecord

Column = list[str | None]
_Text = Callable[[str], str | None]
_UNSEEN = object()
# Records added between two vectorised passes over the values the memos did not hold.
FLUSH_EVERY = 1 << 16


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


@dataclass(slots=True)
class FieldTable:
    """Normalised values of every spec field for a sorted list of records, junk already removed.

    `raw[field]` keeps the trimmed source text of fields a rule compares `exact`; `person[i]` is
    a record's folded full name, used to count the distinct people behind a shared value.
    """

    size: int
    values: dict[str, Column]
    raw: dict[str, Column]
    person: Column
    # columns nickname-mapped for `name` comparisons, filled by the rules that need them
    name_columns: dict[str, Column] = field(default_factory=dict)

    @classmethod
    def of(cls, records: Sequence[SourceRecord], spec: IdentitySpec, region: str) -> FieldTable:
        """The table of `records`, in their order."""
        builder = FieldTableBuilder(spec, region)
        for record in records:
            builder.add(record.attributes)
        return builder.table()


class _Normalised(MemoColumn):
    """One source attribute normalised into one column, junk checked on the folded raw text and
    on the normalised value; new raw values are normalised in batches (see MemoColumn)."""

    __slots__ = ("_compute", "attribute", "junk", "normalised_junk", "normalizer")

    def __init__(
        self, attribute: str, kind: str, normalizer: _Text, junk: set[str], region: str,
        roles: frozenset[str],
    ) -> None:  # fmt: skip
        self.attribute = attribute
        self.normalizer = normalizer
        self.junk = junk
        self.normalised_junk = {n for n in map(normalizer, junk) if n is not None}
        # a function of its own, not a bound method: the batch keeps it, and a cycle between
        # the column and its batch would keep the column alive with the collector paused
        self._compute = _per_value(normalizer, junk, self.normalised_junk)
        batch = ColumnNormaliser(
            kind, self._compute, region=region, roles=roles if kind == "email" else frozenset(),
            junk=frozenset(junk), normalised_junk=frozenset(self.normalised_junk),
        )  # fmt: skip
        super().__init__(batch, _text)  # type: ignore[arg-type]


def _per_value(normalizer: _Text, junk: set[str], normalised_junk: set[str]) -> _Text:
    """The normalised value of one raw value (what a batch gives, one value at a time)."""

    def compute(value: object) -> str | None:
        text = _text(value)  # type: ignore[arg-type]
        if text is None or fold_text(text) in junk:
            return None
        result = normalizer(text)
        return None if result is None or result in normalised_junk else intern(result)

    return compute


class FieldTableBuilder:
    """Builds a FieldTable from records' attributes added one at a time (nothing else kept).

    Plain fields are normalised as they arrive; derived fields (full_name, company_domain) are
    computed from those columns in `table()`.
    """

    def __init__(self, spec: IdentitySpec, region: str) -> None:
        self._spec = spec
        roles = frozenset(fold_text(role) for role in spec.junk.role_mailboxes)
        self._everywhere = {fold_text(value) for value in spec.junk.everywhere}
        # raw text is kept only where a rule compares it exactly: it costs a column per field
        exact = {c.field for rule in spec.rules for c in rule.compare if c.method == "exact"}
        self._raw: dict[str, Column] = {name: [] for name in spec.fields if name in exact}
        self._columns: dict[str, _Normalised] = {}
        for name, kind in spec.fields.items():
            if kind != "full_name":
                normalizer = _simple_normalizer(kind, region, roles)
                self._columns[name] = _Normalised(
                    name, kind, normalizer, self._junk(name), region, roles
                )
        # inputs of derived fields that the spec does not normalise itself, under their own kind
        kinds = set(spec.fields.values())
        fallback: dict[str, str] = {"first_name": "first_name", "last_name": "name"}
        if "company_domain" in kinds:
            fallback["email"] = "email"
        for name, fallback_kind in fallback.items():
            if name not in self._columns:
                junk = self._junk(name) if name == "email" else set(self._everywhere)
                normalizer = _simple_normalizer(fallback_kind, "", roles)
                self._columns[name] = _Normalised(name, fallback_kind, normalizer, junk, "", roles)
        self._size = 0
        self._unflushed = 0
        self._plan: list[tuple[str, Callable[..., object], Callable[..., None], Wait]] = []
        self._replan()

    def _replan(self) -> None:
        """The hot loop's data: (attribute, memo look-up, column append, wait) per column."""
        self._plan = [
            (c.attribute, c.memo.get, c.column.append, c.wait) for c in self._columns.values()
        ]

    def _junk(self, name: str) -> set[str]:
        return self._everywhere | {fold_text(v) for v in self._spec.junk.fields.get(name, [])}

    def add(self, attributes: Mapping[str, AttrValue]) -> None:
        """Normalise one record's identity fields onto the end of every column."""
        get = attributes.get
        for attribute, remembered, append, wait in self._plan:
            value = get(attribute)
            try:
                known = remembered(value, _UNSEEN)
            except TypeError:  # a list: unhashable, and never an identifier
                known = None
            if known is _UNSEEN:
                wait(value)
            else:
                append(known)
        for name, raw in self._raw.items():
            raw.append(_text(get(name)))
        self._size += 1
        self._unflushed += 1
        if self._unflushed >= FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        """Normalise every value still waiting (see _Normalised.flush)."""
        for column in self._columns.values():
            column.flush()
        self._unflushed = 0

    def drain(self) -> tuple[dict[str, Column], dict[str, Column]]:
        """The normalised and raw columns of the records added since the last drain, handed
        over (the memos stay): how a reading process passes its records on in chunks."""
        drained = {name: c.take() for name, c in self._columns.items()}  # each flushes first
        self._unflushed = 0
        raw = self._raw
        self._raw = {name: [] for name in raw}
        self._replan()
        self._size = 0
        return drained, raw

    def extend(self, columns: Mapping[str, Column], raw: Mapping[str, Column]) -> None:
        """Append another builder's drained columns (same spec), interning their values so
        records read by different processes share one string per value."""
        size = 0
        for name, values in columns.items():
            self._columns[name].column.extend([v if v is None else intern(v) for v in values])
            size = len(values)
        for name, values in raw.items():
            self._raw[name].extend(values)
        self._size += size

    def table(self, order: Sequence[int] | Ints | None = None) -> FieldTable:
        """The table of the records added, in `order` (positions in the order added) if given.

        The builder's columns are handed over (and reordered): add nothing after this.
        """
        self.flush()
        columns = {name: c.column for name, c in self._columns.items()}
        raw = dict(self._raw)
        size = self._size
        self._columns = {}
        self._raw = {}
        self._plan = []
        if order is not None:
            # one column at a time, each old one freed as its reordered copy is made
            taken = np.asarray(order, np.int64)
            for table in (columns, raw):
                for name in list(table):
                    table[name] = reordered(table[name], taken)
            size = len(order)
        person = _full_names(columns["first_name"], columns["last_name"])
        values: dict[str, Column] = {}
        for name, kind in self._spec.fields.items():
            if kind == "full_name":
                values[name] = person
                continue
            values[name] = columns[name]
            if kind == "company_domain":
                _fill_email_domains(values[name], columns["email"])
        return FieldTable(size, values, raw, person)


def _fill_email_domains(domains: Column, emails: Column) -> None:
    """Fill missing company domains from company (non-freemail) email addresses.

    Each email's domain is cut out once and shared by every record holding that email: cut per
    record, a million customers' domains were two million separate strings (150 MB).
    """
    domain_of: dict[str, str | None] = {}
    for index, value in enumerate(domains):
        if value is None:
            email = emails[index]
            if email is not None:
                if email not in domain_of:
                    found = company_domain_of_email(email)
                    domain_of[email] = None if found is None else intern(found)
                domains[index] = domain_of[email]


def _full_names(firsts: Column, lasts: Column) -> Column:
    """First name (nickname-mapped) and last name, folded; None when both are missing."""
    out: Column = []
    append = out.append
    # both parts repeat across millions of records: each is folded once
    first_of: dict[str, str] = {}
    last_of: dict[str, str] = {}
    folded_last = ""
    for first, last in zip(firsts, lasts, strict=True):
        if last is not None:
            known = last_of.get(last)
            folded_last = known if known is not None else last_of.setdefault(last, fold_name(last))
        if first is None:
            append(None if last is None else folded_last)
            continue
        folded_first = first_of.get(first)
        if folded_first is None:
            folded_first = first_of[first] = canonical_first_name(first)
        append(folded_first if last is None else intern(f"{folded_first} {folded_last}"))
    return out
