"""Rows of the six feeds for one person, with the traps applied and the ground truth noted.

Every row keeps at least one good identifier (the person's own email in any casing, or their own
direct phone in any format), so a careful resolver can always find its person.
"""

from __future__ import annotations

from c360tui.sample import names, traps
from c360tui.sample.cells import Cells, Row, Seen
from c360tui.sample.clock import DAY
from c360tui.sample.model import TZ_OFFSET, Person
from c360tui.sample.phones import Phone, phone_for_slot
from c360tui.sample.rand import cumulative

_ROLE_LOCALS = ("billing", "ap", "accounts", "finance", "invoices")
_SEVERITIES = ("sev1", "sev2", "sev3", "sev4")
_SEV_CUM = cumulative((5, 15, 50, 30))
_STATUSES = ("open", "pending", "solved", "closed")
_STATUS_RECENT_CUM = cumulative((45, 25, 20, 10))
_STATUS_OLD_CUM = cumulative((8, 7, 35, 50))
_CSAT = ("1", "2", "3", "4", "5")
_CSAT_CUM = cumulative((1, 1, 2, 5, 8))
_CSAT_RISK_CUM = cumulative((2, 2, 3, 4, 5))
_TICKETS_CUM = cumulative((60, 28, 12))
_SLA_HOURS = {"sev1": 4, "sev2": 8, "sev3": 24, "sev4": 72}

__all__ = ["Feeds", "Row"]


class Feeds(Cells):
    """Collects the rows (with their true customer) and truth for one chunk."""

    def person(self, p: Person) -> None:
        rng, clock, c = self.rng, self.clock, p.company
        seen = Seen()
        if p.on_switchboard:
            self.stats["switchboard"] += 1
        if p.twin:
            same = "same_name_same_company" if p.twin_same_company else "same_name_other_company"
            self.stats[same] += 1
        stale = rng.random() < traps.STALE_CRM
        crm_ts = clock.ago(
            rng.randrange(400 * DAY, 1100 * DAY) if stale else rng.randrange(3600, 60 * DAY)
        )
        new_phone = None
        if p.is_billing_contact and not p.on_switchboard and rng.random() < traps.PHONE_CONFLICT:
            crm_ts = clock.ago(rng.randrange(8 * DAY, 25 * DAY))
            new_phone = phone_for_slot(3 * p.index + 2, c.country)
        if stale:
            self.stats["stale_crm"] += 1
        if c.paying:
            self.crm_contact(p, seen, crm_ts, duplicate=False)
            if rng.random() < traps.CRM_DUPLICATE:
                self.crm_contact(
                    p, seen, crm_ts - rng.randrange(30 * DAY, 700 * DAY), duplicate=True
                )
            if rng.random() < traps.CONVERTED_LEAD:
                self.lead(p, seen, crm_ts - rng.randrange(60 * DAY, 500 * DAY), kind="converted")
            if p.is_billing_contact:
                self.billing(p, seen, crm_ts, new_phone)
            if rng.random() < 0.85:
                self.product(p)
        else:
            lead_ts = clock.ago(
                rng.randrange(300 * DAY, 900 * DAY) if stale else rng.randrange(3600, 45 * DAY)
            )
            self.lead(p, seen, lead_ts, kind="main")
            if rng.random() < traps.LEAD_DUPLICATE:
                self.lead(
                    p,
                    seen,
                    min(clock.as_of, lead_ts + rng.randrange(DAY, 90 * DAY)),
                    kind="duplicate",
                )
        if rng.random() < (0.6 if c.paying else 0.2):
            for _ in range(rng.weighted((1, 2, 3), _TICKETS_CUM)):
                self.ticket(p, seen)
        if rng.random() < (0.62 if c.paying else 0.8):
            self.marketing(p, seen)
        self._settle(p, seen, new_phone)

    def _settle(self, p: Person, seen: Seen, new_phone: Phone | None) -> None:
        """Write the ground-truth values for the identity traps this person's rows carry."""
        expect = "winner" if seen.email_sor else ("unverified" if seen.email_other else "missing")
        for trap in seen.email_traps:
            self.truth(p, "email", p.email, expect, trap)
        if new_phone is not None:
            self.stats["phone_conflict"] += 1
            self.truth(p, "phone", new_phone.e164, "conflicted", "phone_conflict")
        elif seen.phone_sor:
            for trap in seen.phone_traps:
                self.truth(p, "phone", p.phone.e164, "winner", trap)
        if p.dnc:
            self.truth(p, "do_not_contact", "true", "winner", "dnc_crm")

    # ------------------------------------------------------------------ crm
    def crm_contact(self, p: Person, seen: Seen, ts: int, duplicate: bool) -> None:
        rng, c = self.rng, p.company
        if duplicate:
            self.stats["crm_duplicate_contact"] += 1
            self.stats["stale_crm"] += 1
            first = p.nick if p.nick and rng.random() < 0.5 else p.first
            title = rng.choice([t for t in names.TITLES if t != p.title])
            if seen.title_shown:
                self.truth(p, "title", p.title, "winner", "crm_duplicate_contact")
            email, _ = self._email(p, seen, True, 1.0, 0.0, 0.0)
        else:
            first = p.first
            title = p.title if rng.random() >= 0.08 else ""
            seen.title_shown = bool(title)
            email, _ = self._email(p, seen, True, traps.EMAIL_CASE_CRM, 0.0, 0.0)
        if p.on_switchboard:
            phone = self._phone_text(c.switchboard, (0, 3))
        elif p.is_billing_contact or rng.random() >= 0.05:
            phone = self._phone_text(p.phone, (1, 2, 4) if duplicate else (0, 3))
            seen.phone_sor = True
        else:
            self.stats["missing_value"] += 1
            phone = ""
        website = c.domain
        roll = rng.random()
        if roll < 0.3:
            self.stats["website_variants"] += 1
            website = ("www." + c.domain) if roll < 0.15 else f"https://www.{c.domain}/"
        plan = c.crm_plan if rng.random() >= 0.1 else ""
        if plan and plan != c.plan:
            self.stats["plan_conflict"] += 1
            expect = "winner" if p.is_billing_contact else "unverified"
            self.truth(p, "plan", c.plan, expect, "plan_conflict")
        if p.dnc:
            self.stats["dnc_crm"] += 1
        last_activity = (
            self.clock.iso(ts - rng.randrange(0, 20 * DAY), TZ_OFFSET[p.tz])
            if rng.random() < 0.85
            else ""
        )
        row = [
            self.new_id("crm_contacts"), first, p.last, email, phone,
            title, c.legal_name, website, c.owner, p.lead_source,
            "customer", "true" if p.dnc else "false",
            plan, p.tz if rng.random() >= 0.08 else "",
            last_activity, self.clock.iso(ts, TZ_OFFSET[p.tz]),
        ]  # fmt: skip
        self.rows["crm_contacts"].append((p.key, row))

    def lead(self, p: Person, seen: Seen, ts: int, kind: str) -> None:
        """A crm_leads row: the prospect's own ("main"), a re-import, or a converted customer's."""
        rng, c = self.rng, p.company
        status, owner = p.lead_status, c.owner
        if kind == "converted":
            self.stats["converted_lead"] += 1
            status = rng.choice(("qualified", "working"))
            owner = rng.choice(names.SDR_OWNERS)
            self.truth(p, "lead_status", "customer", "winner", "converted_lead")
        elif kind == "duplicate":
            self.stats["lead_duplicate"] += 1
        main = kind == "main"
        # Junk emails only on the older, converted lead: the newest CRM row keeps a real value.
        junk = traps.JUNK_EMAIL * 3 if kind == "converted" else 0.0
        email, email_ok = self._email(
            p, seen, True, 0.1 if main else 0.5, junk, 0.0 if main else 0.04
        )
        roll = rng.random()
        phone_ok = False
        if p.on_switchboard:
            phone = self._phone_text(c.switchboard, (0, 1, 3))
        elif roll < traps.JUNK_PHONE:
            self.stats["junk_phone"] += 1
            phone = rng.choice(traps.JUNK_PHONES)
        elif roll < traps.JUNK_PHONE + 0.08:
            self.stats["missing_value"] += 1
            phone = ""
        else:
            phone = self._phone_text(p.phone, (0, 1, 2, 3, 4))
            phone_ok = True
            if main:
                seen.phone_sor = True
        email = self._good(p, seen, email, email_ok, phone_ok, sor=True)
        if p.dnc:
            self.stats["dnc_crm"] += 1
        # Only the older, converted lead may carry the nickname: the newest CRM row names the
        # person in full, so first_name's right value stays defensible.
        first = p.nick if kind == "converted" and p.nick and rng.random() < 0.5 else p.first
        row = [
            self.new_id("crm_leads"), first,
            p.last, email, phone, c.legal_name if rng.random() < 0.5 else c.base, p.title,
            p.lead_source, status, owner, "TRUE" if p.dnc else "FALSE", self.clock.new_york(ts),
        ]  # fmt: skip
        self.rows["crm_leads"].append((p.key, row))

    # ------------------------------------------------------------------ billing
    def billing(self, p: Person, seen: Seen, crm_ts: int, new_phone: Phone | None) -> None:
        rng, c, clock = self.rng, p.company, self.clock
        if new_phone is not None:
            ts = min(clock.as_of - 3600, crm_ts + rng.randrange(DAY, 6 * DAY))
            email, _ = self._email(p, seen, True, 0.1, 0.0, 0.0)
            phone = new_phone
        else:
            ts = clock.ago(rng.randrange(DAY, 60 * DAY))
            phone = p.phone
            if seen.phone_sor and rng.random() < traps.ROLE_EMAIL:
                self.stats["role_email"] += 1
                email = f"{rng.choice(_ROLE_LOCALS)}@{c.domain}"
            else:
                email, _ = self._email(p, seen, True, 0.1, 0.0, 0.0)
        company = c.legal_name
        roll = rng.random()
        if roll < 0.3 and len(c.suffixes) > 1:
            suffix = rng.choice(c.suffixes[1:])
            company = f"{c.base}{suffix}" if suffix.startswith(",") else f"{c.base} {suffix}"
        elif roll < 0.4:
            company = company.upper()
        if company != c.legal_name:
            self.stats["company_name_variants"] += 1
            self.truth(p, "company", c.legal_name, "winner", "company_name_variants")
        row = [
            self.new_id("billing_accounts"), p.first, p.last, email,
            self._phone_text(phone, (5, 5, 5, 2, 0)), company, c.plan, f"{c.arr}.00",
            c.payment_status, clock.date(clock.as_of + c.renewal_days * DAY), c.address,
            clock.iso(ts),
        ]  # fmt: skip
        self.rows["billing_accounts"].append((p.key, row))

    # ------------------------------------------------------------------ support
    def ticket(self, p: Person, seen: Seen) -> None:
        rng, c, clock = self.rng, p.company, self.clock
        email, email_ok = self._email(
            p, seen, False, traps.EMAIL_CASE_OTHER, traps.JUNK_EMAIL, 0.03
        )
        phone, phone_ok = self._other_phone(p, seen, 0.4)
        email = self._good(p, seen, email, email_ok, phone_ok)
        severity = rng.weighted(_SEVERITIES, _SEV_CUM)
        age = rng.randrange(600, 180 * DAY)
        created = clock.ago(age)
        recent = age < 7 * DAY
        status = rng.weighted(_STATUSES, _STATUS_RECENT_CUM if recent else _STATUS_OLD_CUM)
        done = status in ("solved", "closed")
        updated = created + rng.randrange(0, min(age, 20 * DAY))
        csat = ""
        if done and rng.random() < 0.6:
            csat = rng.weighted(_CSAT, _CSAT_RISK_CUM if c.churn_risk else _CSAT_CUM)
        escalated = rng.random() < (
            0.4 if severity == "sev1" else 0.15 if severity == "sev2" else 0.03
        )
        organization = (
            c.base
            if rng.random() < 0.7
            else (c.legal_name if rng.random() < 0.6 else c.base.lower())
        )
        row = [
            self.new_id("support_tickets"), email, phone, self._first(p), self._last(p),
            organization, rng.choice(names.TICKET_SUBJECTS), severity, status, clock.iso(created),
            clock.iso(created + _SLA_HOURS[severity] * 3600), csat,
            "true" if escalated else "false", clock.iso(updated),
        ]  # fmt: skip
        self.rows["support_tickets"].append((p.key, row))

    # ------------------------------------------------------------------ marketing and product
    def marketing(self, p: Person, seen: Seen) -> None:
        rng, c, clock = self.rng, p.company, self.clock
        email, email_ok = self._email(
            p, seen, False, traps.EMAIL_CASE_OTHER, traps.JUNK_EMAIL / 2, 0.03
        )
        phone, phone_ok = self._other_phone(p, seen, 0.5 if email_ok else 1.0)
        email = self._good(p, seen, email, email_ok, phone_ok)
        stale = rng.random() < traps.STALE_MARKETING
        if stale:
            self.stats["stale_marketing"] += 1
        updated = clock.ago(
            rng.randrange(120 * DAY, 800 * DAY) if stale else rng.randrange(3600, 20 * DAY)
        )
        unsubscribed = p.dnc or rng.random() < traps.UNSUBSCRIBED
        if unsubscribed and not p.dnc:
            self.stats["dnc_conflict"] += 1
            self.truth(p, "do_not_contact", "true", "conflicted", "dnc_conflict")
        if unsubscribed:
            self.stats["unsubscribed"] += 1
        hot = p.lead_status in ("qualified", "working") or not p.company.paying
        intent = min(100, max(0, int(rng.gauss(62 if hot else 35, 20))))
        company = c.base if rng.random() < 0.8 else c.base.lower()
        touched = clock.iso(updated - rng.randrange(0, 5 * DAY))
        record: dict[str, object] = {"id": self.new_id("marketing_contacts")}
        fields = (
            ("email", email), ("phone", phone), ("first_name", self._first(p)),
            ("last_name", self._last(p)), ("company", company),
            ("intent_score", intent), ("last_touch_at", touched),
            ("web_visits_30d", int(intent * rng.random() * 0.8)), ("unsubscribed", unsubscribed),
            ("timezone", p.tz if rng.random() >= 0.1 else ""), ("updated_at", updated),
        )  # fmt: skip
        for key, value in fields:
            if value == "":
                if rng.random() < 0.5:
                    record[key] = None
            else:
                record[key] = value
        self.rows["marketing_contacts"].append((p.key, record))

    def product(self, p: Person) -> None:
        rng, c, clock = self.rng, p.company, self.clock
        base = rng.randrange(30, 600)
        if c.churn_risk:
            self.stats["churn_risk_users"] += 1
            weeks = [int(base * (1 - 0.12 * w) * rng.uniform(0.9, 1.1)) for w in range(8)]
            login = clock.ago(rng.randrange(10 * DAY, 40 * DAY))
        else:
            weeks = [int(base * rng.uniform(0.8, 1.2)) for _ in range(8)]
            login = clock.ago(rng.randrange(600, 4 * DAY))
        email = p.email
        if rng.random() < 0.05:
            email = email.upper()
            self.stats["email_case"] += 1
            self.truth(p, "email", p.email, "winner", "email_case")
        row = [
            self.new_id("product_usage"), email, c.domain, ";".join(map(str, weeks)),
            clock.iso(login) if rng.random() >= 0.03 else "", str(c.seats),
        ]  # fmt: skip
        self.rows["product_usage"].append((p.key, row))
