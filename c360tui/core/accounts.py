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

from c360tui.core.normalize import company_domain_of_email, normalize_company, normalize_domain
from c360tui.core.records import AttrValue, SourceRecord
from c360tui.core.sources_spec import SourcesSpec

_Vote = Callable[[str], str | None]
_UNSEEN = object()


def scoped_attributes(sources: SourcesSpec) -> frozenset[str]:
    """The attributes sources.toml declares `scope = "account"`."""
    return frozenset(n for n, spec in sources.attributes.items() if spec.scope == "account")


class AccountVotes:
    """Each record's say in which account its customer belongs to, added one record at a time.

    Per record: the domain of its company-domain attribute, the company domain of its email,
    its normalised company name (each None when absent), and whether it carries any
    account-scoped attribute. Values repeat across records, so each is computed once.
    """

    __slots__ = ("_memos", "carries", "companies", "mail_domains", "scoped", "site_domains")

    def __init__(self, scoped: Iterable[str] = ()) -> None:
        self.scoped = frozenset(scoped)
        self.site_domains: list[str | None] = []
        self.mail_domains: list[str | None] = []
        self.companies: list[str | None] = []
        self.carries = bytearray()
        self._memos: tuple[dict[str, str | None], ...] = ({}, {}, {})

    def add(self, attributes: Mapping[str, AttrValue]) -> None:
        site, mail, company = self._memos
        self.site_domains.append(_memoised(site, attributes.get("company_domain"), _site))
        self.mail_domains.append(_memoised(mail, attributes.get("email"), _mail))
        self.companies.append(_memoised(company, attributes.get("company"), _company))
        self.carries.append(1 if self.scoped and not self.scoped.isdisjoint(attributes) else 0)

    def reorder(self, order: Sequence[int]) -> None:
        """Put the records in `order` (positions in the order added)."""
        self.site_domains = [self.site_domains[i] for i in order]
        self.mail_domains = [self.mail_domains[i] for i in order]
        self.companies = [self.companies[i] for i in order]
        self.carries = bytearray(self.carries[i] for i in order)
        self._memos = ({}, {}, {})

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
        if domains:
            return "domain:" + min(domains, key=lambda d: (-domains[d], d))
        if names:
            return "name:" + min(names, key=lambda n: (-names[n], n))
        return None

    def mates(self, groups: Sequence[Sequence[int]]) -> dict[int, list[int]]:
        """For each customer (its position in `groups`), the positions of other customers'
        records at its account that carry account facts.

        Only records carrying at least one account-scoped attribute are passed on, so a company
        of many contacts costs little more than its billing rows.
        """
        if not self.scoped:
            return {}
        members: dict[str, list[int]] = {}
        for position, group in enumerate(groups):
            key = self.key(group)
            if key is not None:
                members.setdefault(key, []).append(position)
        carries = self.carries
        mates: dict[int, list[int]] = {}
        for customers in members.values():
            if len(customers) < 2:
                continue
            carriers = {c: [i for i in groups[c] if carries[i]] for c in customers}
            if not any(carriers.values()):
                continue
            for customer in customers:
                others = [
                    i for other, found in carriers.items() if other != customer for i in found
                ]
                if others:
                    mates[customer] = others
        return mates


def _memoised(memo: dict[str, str | None], value: AttrValue | None, compute: _Vote) -> str | None:
    if not isinstance(value, str):
        return None
    known = memo.get(value, _UNSEEN)
    if known is _UNSEEN:
        known = memo[value] = compute(value)
    return known  # type: ignore[return-value]


def _site(value: str) -> str | None:
    return normalize_domain(value) or None


def _mail(value: str) -> str | None:
    return company_domain_of_email(value) or None


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
