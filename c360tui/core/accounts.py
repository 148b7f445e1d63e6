"""Accounts: the company a customer belongs to, so account-level facts reach every contact.

Plan, ARR, payment status and renewal live on the company's billing account, which billing links
to one billing contact. A support agent talking to any other person at that company still needs
them, so attributes declared `scope = "account"` in sources.toml are reconciled over the records
of everyone at the same account, each value keeping the provenance of the record it came from.
The account key is the company's web domain (from a company-domain attribute or a company email
address, never a freemail one), else the normalised company name.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from sys import intern

import numpy as np

from c360tui.core.columnar import (
    Ints,
    group_owners,
    reordered,
    runs,
    sorted_ranks,
    split_runs,
    value_codes,
)
from c360tui.core.memo_column import MemoColumn, Wait
from c360tui.core.normalize import is_freemail, normalize_company, normalize_domain
from c360tui.core.normalize_batch import ColumnNormaliser
from c360tui.core.records import AttrValue, SourceRecord
from c360tui.core.sources_spec import SourcesSpec

_Vote = Callable[[str], str | None]
# What AccountVotes.drain hands over: site domains, mail domains, company names, carries.
DrainedVotes = tuple[list[str | None], list[str | None], list[str | None], bytes]
_UNSEEN = object()


def scoped_attributes(sources: SourcesSpec) -> frozenset[str]:
    """The attributes sources.toml declares `scope = "account"`."""
    return frozenset(n for n, spec in sources.attributes.items() if spec.scope == "account")


class _Flushed:
    """One vote's column, read and written through its MemoColumn, waiting values normalised
    first: what reads a vote column sees every record added so far."""

    def __init__(self, memo: str) -> None:
        self.memo = memo

    def __get__(self, votes: object, owner: type | None = None) -> list[str | None]:
        column: MemoColumn = getattr(votes, self.memo)
        column.flush()
        return column.column

    def __set__(self, votes: object, values: list[str | None]) -> None:
        column: MemoColumn = getattr(votes, self.memo)
        column.flush()
        column.column = values


class AccountVotes:
    """Each record's say in which account its customer belongs to, added one record at a time.

    Per record: the domain of its company-domain attribute, the company domain of its email,
    its normalised company name (each None when absent), and whether it carries any
    account-scoped attribute. Values repeat across records, so each is computed once, and new
    ones in batches (see MemoColumn).
    """

    __slots__ = ("_company", "_mail", "_plan", "_site", "carries", "scoped")

    def __init__(self, scoped: Iterable[str] = ()) -> None:
        self.scoped = frozenset(scoped)
        self._site = _vote_column("domain", _site)
        self._mail = _vote_column("mail_domain", _mail)
        self._company = _vote_column("company", _company)
        self.carries = bytearray()
        self._plan: list[tuple[str, Callable[..., object], Callable[..., None], Wait]] = []
        self._start_plan()

    site_domains = _Flushed("_site")
    mail_domains = _Flushed("_mail")
    companies = _Flushed("_company")

    def _start_plan(self) -> None:
        """(attribute, memo look-up, column append, wait) for each vote a record casts."""
        self._plan = [
            (attribute, c.memo.get, c.column.append, c.wait)
            for attribute, c in (
                ("company_domain", self._site), ("email", self._mail), ("company", self._company)
            )
        ]  # fmt: skip

    def add(self, attributes: Mapping[str, AttrValue]) -> None:
        get = attributes.get
        for attribute, remembered, append, wait in self._plan:
            value = get(attribute)
            if not isinstance(value, str):
                append(None)
                continue
            known = remembered(value, _UNSEEN)
            if known is _UNSEEN:
                wait(value)
            else:
                append(known)
        self.carries.append(1 if self.scoped and not self.scoped.isdisjoint(attributes) else 0)

    def drain(self) -> DrainedVotes:
        """The votes of the records added since the last drain, handed over (see extend)."""
        drained = (self._site.take(), self._mail.take(), self._company.take(), bytes(self.carries))
        self.carries = bytearray()
        self._start_plan()
        return drained

    def extend(self, votes: DrainedVotes) -> None:
        """Append the drained votes of another AccountVotes."""
        site, mail, companies, carries = votes
        self.site_domains.extend([v if v is None else intern(v) for v in site])
        self.mail_domains.extend([v if v is None else intern(v) for v in mail])
        self.companies.extend([v if v is None else intern(v) for v in companies])
        self.carries.extend(carries)

    def reorder(self, order: Sequence[int] | Ints) -> None:
        """Put the records in `order` (positions in the order added)."""
        taken = np.asarray(order, np.int64)
        self.site_domains = reordered(self.site_domains, taken)
        self.mail_domains = reordered(self.mail_domains, taken)
        self.companies = reordered(self.companies, taken)
        self.carries = bytearray(np.frombuffer(self.carries, np.uint8)[taken].tobytes())
        self._start_plan()

    def key(self, positions: Sequence[int]) -> str | None:
        """The account the records at `positions` point at, by majority; None when none does."""
        domains: Counter[str] = Counter()
        names: Counter[str] = Counter()
        site, mail, companies = self.site_domains, self.mail_domains, self.companies
        for index in positions:
            if (domain := site[index]) is not None:
                domains[domain] += 1
            if (domain := mail[index]) is not None:
                domains[domain] += 1
            if (name := companies[index]) is not None:
                names[name] += 1
        # interned: the customers of one account share one key string
        if domains:
            return intern("domain:" + min(domains, key=lambda d: (-domains[d], d)))
        if names:
            return intern("name:" + min(names, key=lambda n: (-names[n], n)))
        return None

    def mates(self, groups: Sequence[Sequence[int]]) -> dict[int, list[int]]:
        """For each customer (its position in `groups`), the positions of other customers'
        records at its account that carry account facts.

        Only records carrying at least one account-scoped attribute are passed on, so a company
        of many contacts costs little more than its billing rows.
        """
        if not self.scoped or not groups:
            return {}
        members, owners = group_owners(groups)
        account = self._accounts(len(groups), members, owners)
        # each customer's records that carry account facts: carried[bounds[c]:bounds[c + 1]]
        carrying = np.frombuffer(self.carries, np.uint8)[members] != 0
        carried: list[int] = members[carrying].tolist()
        bounds: list[int] = np.searchsorted(owners[carrying], np.arange(len(groups) + 1)).tolist()
        # customers sharing an account, account by account in the order of their first customer
        customers = np.flatnonzero(account >= 0)
        order, starts, ends = runs(account[customers])
        ordered = customers[order]
        shared = ends - starts >= 2
        starts, ends = starts[shared], ends[shared]
        by_first = np.argsort(ordered[starts], kind="stable")
        mates: dict[int, list[int]] = {}
        for sharing in split_runs(ordered, starts[by_first], ends[by_first]):
            carriers = {c: carried[bounds[c] : bounds[c + 1]] for c in sharing}
            if not any(carriers.values()):
                continue
            for customer in sharing:
                others = [
                    i for other, found in carriers.items() if other != customer for i in found
                ]
                if others:
                    mates[customer] = others
        return mates

    def _accounts(self, customers: int, members: Ints, owners: Ints) -> Ints:
        """Per customer, a number standing for the account `key` gives it (-1: none): equal
        numbers for equal keys. What `key` does one customer at a time, for all at once;
        `members` are the customers' records, customer after customer, `owners` their customers.
        """
        account = np.full(customers, -1, np.int64)
        domains: dict[str, int] = {}
        site = value_codes(self.site_domains, domains)[members]
        mail = value_codes(self.mail_domains, domains)[members]
        voters = np.concatenate((owners[site >= 0], owners[mail >= 0]))
        votes = np.concatenate((site[site >= 0], mail[mail >= 0]))
        who, what = _majority(voters, sorted_ranks(domains)[votes])
        account[who] = what
        # the company name decides only for customers no domain decided for
        names: dict[str, int] = {}
        companies = value_codes(self.companies, names)[members]
        undecided = (companies >= 0) & (account[owners] < 0)
        who, what = _majority(owners[undecided], sorted_ranks(names)[companies[undecided]])
        account[who] = what + len(domains)
        return account


def _majority(voters: Ints, ranks: Ints) -> tuple[Ints, Ints]:
    """Each voter's most frequent rank (ties: the lowest), as (voters, their ranks)."""
    if not len(voters):
        return voters, ranks
    width = int(ranks.max()) + 1
    pairs, counts = np.unique(voters * width + ranks, return_counts=True)
    who, what = pairs // width, pairs % width
    order = np.lexsort((what, -counts, who))
    who, what = who[order], what[order]
    first = np.concatenate(([True], who[1:] != who[:-1]))
    return who[first], what[first]


def _vote_column(kind: str, vote: _Vote) -> MemoColumn:
    """A column of one vote, its new values normalised in batches like `vote` does one."""
    batch = ColumnNormaliser(kind, vote, region="")
    return MemoColumn(batch, _as_text)


def _as_text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _site(value: str) -> str | None:
    return normalize_domain(value) or None


def _mail(value: str) -> str | None:
    """The company domain of an email address as typed: "Pat@ACME.com" votes for acme.com, a
    freemail address or a value that is not an address ("n/a") for nothing."""
    if "@" not in value:
        return None
    domain = normalize_domain(value)
    return None if domain is None or is_freemail(domain) else domain


def _company(value: str) -> str | None:
    return normalize_company(value) or None


def _votes(records: Sequence[SourceRecord], scoped: Iterable[str] = ()) -> AccountVotes:
    votes = AccountVotes(scoped)
    for record in records:
        votes.add(record.attributes)
    return votes


def account_key(records: Sequence[SourceRecord]) -> str | None:
    """The account one customer's records point at, by majority; None when nothing names one."""
    return _votes(records).key(range(len(records)))


def account_mates(
    clusters: Mapping[str, Sequence[SourceRecord]], sources: SourcesSpec
) -> dict[str, list[SourceRecord]]:
    """For each customer, the records of other customers at its account with account facts."""
    ids = list(clusters)
    flat = [record for customer_id in ids for record in clusters[customer_id]]
    groups: list[range] = []
    start = 0
    for customer_id in ids:
        groups.append(range(start, start + len(clusters[customer_id])))
        start += len(clusters[customer_id])
    mates = _votes(flat, scoped_attributes(sources)).mates(groups)
    return {ids[c]: [flat[i] for i in found] for c, found in mates.items()}
