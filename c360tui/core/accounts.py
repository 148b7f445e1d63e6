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
from collections.abc import Mapping, Sequence

from c360tui.core.normalize import company_domain_of_email, normalize_company, normalize_domain
from c360tui.core.records import SourceRecord
from c360tui.core.sources_spec import SourcesSpec


def account_key(records: Sequence[SourceRecord]) -> str | None:
    """The account one customer's records point at, by majority; None when nothing names one."""
    domains: Counter[str] = Counter()
    names: Counter[str] = Counter()
    for record in records:
        attributes = record.attributes
        domain_value = attributes.get("company_domain")
        if isinstance(domain_value, str) and (domain := normalize_domain(domain_value)):
            domains[domain] += 1
        email_value = attributes.get("email")
        if isinstance(email_value, str) and (domain := company_domain_of_email(email_value)):
            domains[domain] += 1
        company_value = attributes.get("company")
        if isinstance(company_value, str) and (name := normalize_company(company_value)):
            names[name] += 1
    if domains:
        return "domain:" + min(domains, key=lambda d: (-domains[d], d))
    if names:
        return "name:" + min(names, key=lambda n: (-names[n], n))
    return None


def account_mates(
    clusters: Mapping[str, Sequence[SourceRecord]], sources: SourcesSpec
) -> dict[str, list[SourceRecord]]:
    """For each customer, the records of other customers at its account with account facts.

    Only records carrying at least one account-scoped attribute are passed on, so a company of
    many contacts costs little more than its billing rows.
    """
    scoped = {name for name, spec in sources.attributes.items() if spec.scope == "account"}
    if not scoped:
        return {}
    members: dict[str, list[str]] = {}
    for customer_id, records in clusters.items():
        key = account_key(records)
        if key is not None:
            members.setdefault(key, []).append(customer_id)
    mates: dict[str, list[SourceRecord]] = {}
    for customer_ids in members.values():
        if len(customer_ids) < 2:
            continue
        carriers = {
            customer_id: [r for r in clusters[customer_id] if scoped.intersection(r.attributes)]
            for customer_id in customer_ids
        }
        for customer_id in customer_ids:
            others = [
                record
                for other, records in carriers.items()
                if other != customer_id
                for record in records
            ]
            if others:
                mates[customer_id] = others
    return mates
