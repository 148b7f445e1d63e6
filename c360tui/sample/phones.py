"""Synthetic phone numbers: unique per slot, formatted the many ways exports write them.

A number is (country, area index, exchange index, body). Slot -> number is a bijection, so every
person and switchboard gets its own number and a typo'd number can be checked against the set of
numbers actually issued (it must never land on someone else's real number).
"""

from __future__ import annotations

from typing import NamedTuple

from c360tui.sample.rand import Rand


class Area(NamedTuple):
    """An area code with the exchanges the generator uses in it and where it is."""

    code: str
    tz: str
    city: str
    region: str
    postcode: str


# US area codes with their time zones; exchange 555 comes first so small sets look fictional.
US_AREAS: tuple[Area, ...] = (
    Area("415", "America/Los_Angeles", "San Francisco", "CA", "94103"),
    Area("212", "America/New_York", "New York", "NY", "10001"),
    Area("617", "America/New_York", "Boston", "MA", "02110"),
    Area("312", "America/Chicago", "Chicago", "IL", "60601"),
    Area("512", "America/Chicago", "Austin", "TX", "78701"),
    Area("206", "America/Los_Angeles", "Seattle", "WA", "98101"),
    Area("303", "America/Denver", "Denver", "CO", "80202"),
    Area("404", "America/New_York", "Atlanta", "GA", "30303"),
    Area("305", "America/New_York", "Miami", "FL", "33131"),
    Area("602", "America/Phoenix", "Phoenix", "AZ", "85004"),
    Area("213", "America/Los_Angeles", "Los Angeles", "CA", "90012"),
    Area("503", "America/Los_Angeles", "Portland", "OR", "97204"),
    Area("612", "America/Chicago", "Minneapolis", "MN", "55401"),
    Area("214", "America/Chicago", "Dallas", "TX", "75201"),
    Area("713", "America/Chicago", "Houston", "TX", "77002"),
    Area("202", "America/New_York", "Washington", "DC", "20001"),
    Area("215", "America/New_York", "Philadelphia", "PA", "19103"),
    Area("313", "America/Detroit", "Detroit", "MI", "48226"),
    Area("801", "America/Denver", "Salt Lake City", "UT", "84101"),
    Area("919", "America/New_York", "Raleigh", "NC", "27601"),
    Area("704", "America/New_York", "Charlotte", "NC", "28202"),
    Area("615", "America/Chicago", "Nashville", "TN", "37203"),
    Area("614", "America/New_York", "Columbus", "OH", "43215"),
    Area("412", "America/New_York", "Pittsburgh", "PA", "15222"),
    Area("720", "America/Denver", "Denver", "CO", "80203"),
    Area("646", "America/New_York", "New York", "NY", "10016"),
    Area("408", "America/Los_Angeles", "San Jose", "CA", "95113"),
    Area("619", "America/Los_Angeles", "San Diego", "CA", "92101"),
    Area("808", "Pacific/Honolulu", "Honolulu", "HI", "96813"),
    Area("907", "America/Anchorage", "Anchorage", "AK", "99501"),
)
US_EXCHANGES: tuple[str, ...] = (
    "555",
    *(str(n) for n in range(230, 990, 7) if n % 100 != 11 and n not in (950, 958, 959, 976)),
)

UK_AREAS: tuple[Area, ...] = (
    Area("20", "Europe/London", "London", "", "EC1A 1BB"),
    Area("161", "Europe/London", "Manchester", "", "M1 1AE"),
    Area("121", "Europe/London", "Birmingham", "", "B1 1AA"),
    Area("113", "Europe/London", "Leeds", "", "LS1 1UR"),
    Area("131", "Europe/London", "Edinburgh", "", "EH1 1YZ"),
)
# London numbers take a 4-digit exchange, other UK areas a 3-digit one (10 national digits).
UK_EXCHANGES: dict[int, tuple[str, ...]] = {
    2: ("7946", *(str(n) for n in range(7000, 8999) if n != 7946)),
    3: ("496", *(str(n) for n in range(200, 999) if n != 496)),
}

DE_AREAS: tuple[Area, ...] = (
    Area("30", "Europe/Berlin", "Berlin", "", "10115"),
    Area("89", "Europe/Berlin", "München", "", "80331"),
    Area("40", "Europe/Berlin", "Hamburg", "", "20095"),
    Area("69", "Europe/Berlin", "Frankfurt am Main", "", "60311"),
    Area("221", "Europe/Berlin", "Köln", "", "50667"),
)
DE_EXCHANGES: dict[int, tuple[str, ...]] = {
    2: tuple(str(n) for n in range(2345, 9999, 3)),
    3: tuple(str(n) for n in range(612, 999)),
}

AREAS: dict[str, tuple[Area, ...]] = {"US": US_AREAS, "UK": UK_AREAS, "DE": DE_AREAS}
COUNTRY_CODE: dict[str, str] = {"US": "1", "UK": "44", "DE": "49"}
_BODY = 10_000
_MULT = 185_407  # coprime with every block size (areas x 10,000): scatters the slots
_SHIFT = 1234
# How exports write numbers: {0} area, {1} exchange, {2} line, {3} country code.
_US_STYLES = (
    "({0}) {1}-{2}", "{0}.{1}.{2}", "+1 {0} {1} {2}", "{0}-{1}-{2}", "{0}{1}{2}", "+1{0}{1}{2}",
    "1-{0}-{1}-{2}",
)  # fmt: skip
_INTL_STYLES = ("+{3} {0} {1} {2}", "+{3}{0}{1}{2}", "+{3} (0){0} {1} {2}")


class Phone(NamedTuple):
    """One issued number: country, area code, exchange and the 4-digit line."""

    country: str
    area: str
    exchange: str
    line: str

    @property
    def e164(self) -> str:
        return f"+{COUNTRY_CODE[self.country]}{self.area}{self.exchange}{self.line}"


def _exchanges(country: str, area: str) -> tuple[str, ...]:
    if country == "US":
        return US_EXCHANGES
    table = UK_EXCHANGES if country == "UK" else DE_EXCHANGES
    return table[len(area)]


def phone_for_slot(slot: int, country: str) -> Phone:
    """The number issued to `slot` in `country` (distinct slots get distinct numbers).

    Slots fill one exchange across all areas before the next (555 first in the US); inside an
    exchange they are scattered so neighbouring slots get unrelated areas and lines.
    """
    areas = AREAS[country]
    block_size = len(areas) * _BODY
    block, offset = divmod(slot, block_size)
    scattered = (offset * _MULT + _SHIFT) % block_size
    area = areas[scattered % len(areas)]
    exchanges = _exchanges(country, area.code)
    exchange = exchanges[block % len(exchanges)]
    return Phone(country, area.code, exchange, f"{scattered // len(areas):04d}")


def slot_of(phone: Phone) -> int | None:
    """The slot that issues `phone`, or None when no slot would (the inverse of phone_for_slot)."""
    areas = AREAS[phone.country]
    codes = [a.code for a in areas]
    if phone.area not in codes or not phone.line.isdigit() or len(phone.line) != 4:
        return None
    exchanges = _exchanges(phone.country, phone.area)
    if phone.exchange not in exchanges:
        return None
    block_size = len(areas) * _BODY
    scattered = int(phone.line) * len(areas) + codes.index(phone.area)
    offset = (scattered - _SHIFT) * pow(_MULT, -1, block_size) % block_size
    return exchanges.index(phone.exchange) * block_size + offset


def area_of(phone: Phone) -> Area:
    """The area record (time zone, city) of a number."""
    for area in AREAS[phone.country]:
        if area.code == phone.area:
            return area
    raise KeyError(phone.area)


def format_phone(phone: Phone, style: int) -> str:
    """Write `phone` in one of the styles exports use; `style` picks one (any int)."""
    styles = _US_STYLES if phone.country == "US" else _INTL_STYLES
    return styles[style % len(styles)].format(
        phone.area, phone.exchange, phone.line, COUNTRY_CODE[phone.country]
    )


def transpose(phone: Phone, rng: Rand, issued_below: int) -> Phone | None:
    """The number with two adjacent differing digits of its line swapped, as a typist would.

    Returns None when every such swap lands on a number issued to a slot below `issued_below`
    (a typo must never turn into somebody else's real number).
    """
    digits = phone.exchange[1:] + phone.line
    positions = [i for i in range(len(digits) - 1) if digits[i] != digits[i + 1]]
    rng.shuffle(positions)
    for i in positions:
        swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
        cut = len(phone.exchange) - 1
        candidate = Phone(
            phone.country, phone.area, phone.exchange[0] + swapped[:cut], swapped[cut:]
        )
        slot = slot_of(candidate)
        if slot is None or slot >= issued_below:
            return candidate
    return None
