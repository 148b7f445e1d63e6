"""The true world behind the exports: companies and the people who work there.

Everything a feed writes is derived from these objects plus a trap; the ground truth is written
from them too. Global indices make names, domains, phones and ids unique across chunks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from c360tui.sample import names, traps
from c360tui.sample.phones import Phone, area_of, phone_for_slot
from c360tui.sample.rand import Rand, cumulative

_PREFIX, _CORE, _DESC = names.COMPANY_PREFIX, names.COMPANY_CORE, names.COMPANY_DESCRIPTOR
_NAME_SPACE = len(_PREFIX) * len(_CORE) * len(_DESC)
_SLUG = {part: names.ascii_slug(part) for part in (*_PREFIX, *_CORE, *_DESC)}
_NAME_MULT = 104_729  # prime, coprime with the name space: scatters neighbouring indices

# Company size (people) and its weight: most are small, a few are large.
_SIZES = (1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 15, 20)
_SIZE_CUM = cumulative((50, 26, 10, 5, 3, 1.6, 1.2, 1, 0.8, 0.6, 0.4, 0.4))
_PLANS = ("starter", "growth", "enterprise")
_ARR_RANGE = {
    "starter": (3_000, 12_000),
    "growth": (15_000, 90_000),
    "enterprise": (100_000, 900_000),
}
_PAYMENT = ("current", "past_due", "failed", "cancelled")
_PAYMENT_CUM = cumulative((84, 8, 4, 4))
LEAD_STATUSES = ("new", "working", "nurturing", "qualified", "disqualified")
_LEAD_STATUS_CUM = cumulative((30, 25, 20, 15, 10))
# Standard-time offset per zone, for writing ISO times with a local offset (any offset is exact).
TZ_OFFSET = {
    "America/New_York": -5, "America/Detroit": -5, "America/Chicago": -6, "America/Denver": -7,
    "America/Phoenix": -7, "America/Los_Angeles": -8, "America/Anchorage": -9,
    "Pacific/Honolulu": -10, "Europe/London": 0, "Europe/Berlin": 1,
}  # fmt: skip


@dataclass(slots=True)
class Company:
    """One company: name parts, domain, office, and (if paying) its subscription."""

    index: int
    base: str
    suffixes: tuple[str, ...]
    domain: str
    country: str
    switchboard: Phone
    tz: str
    address: str
    size: int
    paying: bool
    owner: str
    email_pattern: str
    uses_switchboard: bool
    plan: str = ""
    crm_plan: str = ""
    arr: int = 0
    payment_status: str = ""
    renewal_days: int = 0
    churn_risk: bool = False
    seats: int = 0
    locals_taken: set[str] = field(default_factory=set)

    @property
    def legal_name(self) -> str:
        """The name as the CRM writes it: "Bright Harbor Analytics Inc"."""
        return f"{self.base} {self.suffixes[0]}"


@dataclass(slots=True)
class Person:
    """One real person (a true customer) and the values that are right for them."""

    index: int
    key: str
    first: str
    last: str
    nick: str
    email: str
    phone: Phone
    tz: str
    title: str
    company: Company
    on_switchboard: bool
    is_billing_contact: bool
    lead_source: str
    lead_status: str
    dnc: bool
    twin: str = ""  # the true-customer key of a different person with the same full name
    twin_same_company: bool = False


def company_name(index: int) -> tuple[str, str]:
    """A unique (display base name, domain stem) for a global company index."""
    k = (index % _NAME_SPACE) * _NAME_MULT % _NAME_SPACE
    cycle = index // _NAME_SPACE
    prefix = _PREFIX[k % len(_PREFIX)]
    core = _CORE[k // len(_PREFIX) % len(_CORE)]
    desc = _DESC[k // (len(_PREFIX) * len(_CORE))]
    head = (
        prefix
        if prefix == core
        else (f"{prefix}{core.lower()}" if k % 3 == 0 else f"{prefix} {core}")
    )
    base = f"{head} {desc}" if desc else head
    slug = _SLUG[prefix] + ("" if prefix == core else _SLUG[core]) + _SLUG[desc]
    stem = slug + (str(cycle + 1) if cycle else "")
    return base, stem


class World:
    """Creates the companies and people of one chunk from its own random stream."""

    def __init__(self, rng: Rand) -> None:
        self.rng = rng
        self.recent_people: list[Person] = []

    def company(self, index: int, size: int, force_switchboard: bool = False) -> Company:
        rng = self.rng
        roll = rng.random()
        country = "US" if roll < 0.85 else ("UK" if roll < 0.94 else "DE")
        base, stem = company_name(index)
        suffixes = rng.choice(names.LEGAL_SUFFIXES[country])
        switchboard = phone_for_slot(3 * index + 1, country)
        area = area_of(switchboard)
        address = _address(rng, country, area.city, area.region, area.postcode)
        pay_chance = 0.42 if size <= 2 else (0.6 if size <= 5 else 0.85)
        paying = force_switchboard or rng.random() < pay_chance
        uses_switchboard = size >= 6 and (
            force_switchboard or rng.random() < traps.SWITCHBOARD_COMPANY
        )
        company = Company(
            index=index, base=base, suffixes=suffixes, domain=stem + names.TLDS[country],
            country=country, switchboard=switchboard, tz=area.tz, address=address, size=size,
            paying=paying,
            owner=rng.choice(names.ACCOUNT_OWNERS if paying else names.SDR_OWNERS),
            email_pattern=rng.choice(names.EMAIL_PATTERNS), uses_switchboard=uses_switchboard,
        )  # fmt: skip
        if paying:
            plan = _PLANS[
                0 if size <= 2 and rng.random() < 0.6 else (2 if size >= 8 else rng.randrange(3))
            ]
            low, high = _ARR_RANGE[plan]
            company.plan = plan
            company.crm_plan = plan
            if rng.random() < traps.PLAN_CONFLICT:
                company.crm_plan = rng.choice([p for p in _PLANS if p != plan])
            company.arr = rng.randrange(low, high, 100)
            company.payment_status = rng.weighted(_PAYMENT, _PAYMENT_CUM)
            cancelled = company.payment_status == "cancelled"
            company.renewal_days = -rng.randrange(10, 200) if cancelled else rng.randrange(5, 366)
            company.churn_risk = cancelled or rng.random() < traps.CHURN_RISK
            company.seats = size * rng.randrange(1, 6)
        return company

    def size(self) -> int:
        return self.rng.weighted(_SIZES, _SIZE_CUM)

    def person(self, index: int, company: Company, slot_in_company: int) -> Person:
        rng = self.rng
        first = rng.choice(names.FIRST_NAMES)
        last = rng.choice(names.LAST_NAMES)
        twin_key = ""
        if self.recent_people and rng.random() < traps.SAME_NAME:
            twin = rng.choice(self.recent_people)
            if twin.company is not company:
                first, last, twin_key = twin.first, twin.last, twin.key
        nicks = names.NICKNAMES.get(first)
        nick = rng.choice(nicks) if nicks else ""
        email = _email(company, first, last)
        # The billing contact keeps their direct line in the CRM: billing has it too, and a
        # switchboard there would be an unplanned phone conflict between two systems of record.
        is_billing_contact = company.paying and slot_in_company == 0
        on_switchboard = (
            company.uses_switchboard
            and not is_billing_contact
            and rng.random() < traps.SWITCHBOARD_PERSON
        )
        phone = phone_for_slot(3 * index, company.country)
        tz = company.tz if rng.random() < 0.9 else area_of(phone).tz
        person = Person(
            index=index, key=f"TC{index + 1:07d}", first=first, last=last, nick=nick,
            email=email, phone=phone, tz=tz, title=rng.choice(names.TITLES), company=company,
            on_switchboard=on_switchboard,
            is_billing_contact=is_billing_contact,
            lead_source=rng.choice(names.LEAD_SOURCES),
            lead_status="customer" if company.paying
            else rng.weighted(LEAD_STATUSES, _LEAD_STATUS_CUM),
            dnc=rng.random() < traps.DNC_CRM, twin=twin_key,
        )  # fmt: skip
        self.recent_people.append(person)
        if len(self.recent_people) > 64:
            del self.recent_people[:32]
        return person

    def namesake(self, index: int, company: Company, twin: Person) -> Person:
        """A different person at the same company with exactly `twin`'s name."""
        person = self.person(index, company, slot_in_company=1)
        person.first, person.last, person.nick = twin.first, twin.last, twin.nick
        company.locals_taken.discard(person.email.split("@")[0])
        person.email = _email(company, twin.first, twin.last)
        person.on_switchboard = True
        person.twin = twin.key
        person.twin_same_company = True
        return person


def _email(company: Company, first: str, last: str) -> str:
    """The person's work email in the company's pattern, unique within the company."""
    f, surname = names.SLUG[first], names.SLUG[last]
    pattern = company.email_pattern
    if pattern == "f.l":
        local = f"{f}.{surname}"
    elif pattern == "il":
        local = f"{f[0]}{surname}"
    elif pattern == "fl":
        local = f"{f}{surname}"
    elif pattern == "f_l":
        local = f"{f}_{surname}"
    elif pattern == "f":
        local = f
    else:
        local = f"{f}{surname[0]}"
    if local in company.locals_taken:
        n = 2
        while f"{local}{n}" in company.locals_taken:
            n += 1
        local = f"{local}{n}"
    company.locals_taken.add(local)
    return f"{local}@{company.domain}"


def _address(rng: Rand, country: str, city: str, region: str, postcode: str) -> str:
    number = rng.randrange(1, 2400)
    if country == "US":
        suite = f", Suite {rng.randrange(100, 1900)}" if rng.random() < 0.5 else ""
        return f"{number} {rng.choice(names.STREETS)}{suite}, {city}, {region} {postcode}"
    if country == "UK":
        return (
            f"{number % 199 + 1} {rng.choice(names.UK_STREETS)}, {city} {postcode}, United Kingdom"
        )
    return f"{rng.choice(names.DE_STREETS)} {number % 199 + 1}, {postcode} {city}, Germany"
