"""Identity cells of a row (email, phone, names) with their traps, and the truth they imply.

The base of `Feeds`: everything a row needs to say who it is about, kept apart from the feeds'
own columns.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from c360tui.sample import traps
from c360tui.sample.clock import Clock
from c360tui.sample.layout import FEEDS
from c360tui.sample.model import Person
from c360tui.sample.phones import Phone, format_phone, transpose
from c360tui.sample.rand import Rand

# A row as the generator holds it: CSV cells, a JSON object, or (for a bad row) raw text.
Row = list[str] | dict[str, object] | str
_HEX_SPACE = 16**8
_HEX_MULT = 2_654_435_761  # odd, so n -> n * _HEX_MULT mod 16**8 is a bijection


@dataclass(slots=True)
class Seen:
    """What one person's rows showed, to say what a reconciler should make of each trap."""

    email_sor: bool = False
    email_other: bool = False
    email_traps: list[str] = field(default_factory=list)
    phone_sor: bool = False
    phone_traps: list[str] = field(default_factory=list)
    title_shown: bool = False  # the newest CRM row shows the current title


class Cells:
    """Random stream, ids, trap counts and ground-truth values shared by all feeds of a chunk."""

    def __init__(self, rng: Rand, clock: Clock, chunk: int, stride: int, issued: int):
        self.rng = rng
        self.clock = clock
        self.issued = issued
        self.rows: dict[str, list[tuple[str, Row]]] = {feed: [] for feed in FEEDS}
        self.values: dict[tuple[str, str, str], tuple[str, str]] = {}
        self.stats: Counter[str] = Counter()
        self._next = dict.fromkeys(FEEDS, chunk * stride)

    # ------------------------------------------------------------------ ids and small helpers
    def new_id(self, feed: str) -> str:
        """A unique id in the feed's own style; neighbouring counters give unrelated ids."""
        n = self._next[feed]
        self._next[feed] = n + 1
        if feed == "crm_contacts":
            return f"0038c00002{n * _HEX_MULT % _HEX_SPACE:08X}"
        if feed == "crm_leads":
            return f"00Q8c00001{(n * _HEX_MULT + 17) % _HEX_SPACE:08X}"
        if feed == "billing_accounts":
            return f"AC-{(n * 61_803_399 + 4711) % 100_000_000:08d}"
        if feed == "support_tickets":
            return str(10_000_000 + (n * 55_623_059 + 99) % 90_000_000)
        if feed == "marketing_contacts":
            return str(1_000_000_000 + (n * 5_562_305_897 + 7) % 9_000_000_000)
        return f"usr_{(n * _HEX_MULT + 31) % _HEX_SPACE:08x}"

    def truth(self, person: Person, attribute: str, value: str, expect: str, trap: str) -> None:
        self.values.setdefault((person.key, attribute, trap), (value, expect))

    def _email(self, p: Person, seen: Seen, sor: bool, case_rate: float, junk_rate: float,
               missing_rate: float) -> tuple[str, bool]:  # fmt: skip
        """An email cell for `p` and whether it is the person's own (a good identifier)."""
        rng = self.rng
        roll = rng.random()
        if roll < junk_rate:
            self.stats["junk_email"] += 1
            seen.email_traps.append("junk_email")
            return rng.choice(traps.JUNK_EMAILS), False
        if roll < junk_rate + missing_rate:
            self.stats["missing_value"] += 1
            return "", False
        email = p.email
        if rng.random() < case_rate:
            style = rng.randrange(3)
            local, domain = email.split("@")
            if style == 0:
                email = email.upper()
            elif style == 1:
                email = f"{local.title()}@{domain.capitalize()}"
            else:
                email = email.capitalize()
            self.stats["email_case"] += 1
            seen.email_traps.append("email_case")
        if rng.random() < traps.EMAIL_PADDED:
            email = f" {email} "
            self.stats["email_padded"] += 1
            seen.email_traps.append("email_padded")
        if sor:
            seen.email_sor = True
        else:
            seen.email_other = True
        return email, True

    def _phone_text(self, phone: Phone, styles: tuple[int, ...]) -> str:
        text = format_phone(phone, self.rng.choice(styles))
        if not text.startswith("+") or " " in text:
            self.stats["phone_formats"] += 1
        return text

    def _other_phone(self, p: Person, seen: Seen, present: float) -> tuple[str, bool]:
        """A phone cell for a support or marketing row, and whether it is the direct line."""
        rng = self.rng
        roll = rng.random()
        if roll >= present:
            return "", False
        if roll < traps.JUNK_PHONE * present:
            self.stats["junk_phone"] += 1
            return rng.choice(traps.JUNK_PHONES), False
        if p.on_switchboard and rng.random() < 0.5:
            self.stats["switchboard"] += 1
            return self._phone_text(p.company.switchboard, (0, 1, 2, 3)), False
        if rng.random() < traps.PHONE_TRANSPOSED:
            typo = transpose(p.phone, rng, self.issued)
            if typo is not None:
                self.stats["phone_transposed"] += 1
                seen.phone_traps.append("phone_transposed")
                return self._phone_text(typo, (0, 1, 2, 3, 4)), False
        return self._phone_text(p.phone, (0, 1, 2, 3, 4, 5, 6)), True

    def _first(self, p: Person) -> str:
        if p.nick and self.rng.random() < traps.NICKNAME:
            self.stats["nickname"] += 1
            self.truth(p, "first_name", p.first, "winner", "nickname")
            return p.nick
        return p.first

    def _last(self, p: Person) -> str:
        if self.rng.random() < traps.LAST_NAME_TYPO and len(p.last) > 3:
            self.stats["last_name_typo"] += 1
            self.truth(p, "last_name", p.last, "winner", "last_name_typo")
            return _typo(self.rng, p.last)
        return p.last

    # ------------------------------------------------------------------ one person, all feeds
    def _good(self, p: Person, seen: Seen, email: str, email_ok: bool, phone_ok: bool,
              sor: bool = False) -> str:  # fmt: skip
        """`email`, or the person's own email when the row would carry no linking identifier.

        A direct phone links only if an anchor row (CRM or billing) showed the direct phone too.
        """
        if email_ok or (phone_ok and seen.phone_sor):
            return email
        return self._email(p, seen, sor, 0.0, 0.0, 0.0)[0]


def _typo(rng: Rand, word: str) -> str:
    """The word with one typist's slip: two letters swapped, one dropped, or one doubled."""
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0 and word[i] != word[i + 1]:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]
