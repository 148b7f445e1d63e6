"""Normalisers for identity fields: email, phone (E.164), names, companies, domains, dates.

Every function is pure and most are cached, because ingest calls them millions of times on
values that repeat (one person's phone on each of their tickets).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache

import phonenumbers

from c360tui.core.nicknames import NICKNAMES

_CACHE = 1 << 18

# Letters that NFKD does not decompose into a base letter plus a combining mark.
_SPECIAL_LETTERS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h"}
)
_PUNCT_TO_SPACE = re.compile(r"[\s\-_/.,;:()\[\]{}\"!?&+*#@|\\]+")
_DROP = re.compile(r"['’`´]")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=_CACHE)
def fold_text(raw: str) -> str:
    """NFKC, casefold and strip accents, keeping punctuation; the basis of every other folder."""
    if raw.isascii():
        # ASCII is already NFKC and accent-free: only case and spacing remain
        return " ".join(raw.casefold().split())
    text = unicodedata.normalize("NFKC", raw).casefold().translate(_SPECIAL_LETTERS)
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(text.split())


@lru_cache(maxsize=_CACHE)
def fold_name(raw: str) -> str:
    """A person's name folded for comparison: accents, case, apostrophes and hyphens removed."""
    text = _DROP.sub("", fold_text(raw))
    return " ".join(_PUNCT_TO_SPACE.sub(" ", text).split())


@lru_cache(maxsize=_CACHE)
def canonical_first_name(raw: str) -> str:
    """A first name folded and mapped from a nickname to its canonical form ("Bob" -> "robert")."""
    folded = fold_name(raw)
    return NICKNAMES.get(folded, folded)


# ---------------------------------------------------------------------------- email

_LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
_EMAIL_SHAPE = re.compile(rf"^[^@\s]+@{_LABEL}(?:\.{_LABEL})+$")
_JUNK_LOCAL_PARTS = frozenset(
    {"test", "none", "null", "noreply", "no-reply", "donotreply", "do-not-reply", "unknown",
     "nobody", "na", "n/a", "asdf", "xxx", "nomail", "noemail", "no-email", "invalid"}
)  # fmt: skip


@lru_cache(maxsize=_CACHE)
def normalize_email(raw: str) -> str | None:
    """Trimmed, casefolded email; None when it is not an email or is junk-shaped (noreply@...)."""
    text = unicodedata.normalize("NFKC", raw).strip().strip("<>").strip().casefold()
    if text.startswith("mailto:"):
        text = text[7:]
    if not _EMAIL_SHAPE.match(text):
        return None
    local = text.split("@", 1)[0]
    if local in _JUNK_LOCAL_PARTS:
        return None
    return text


_FREEMAIL = frozenset(
    {"gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "hotmail.com", "outlook.com",
     "live.com", "msn.com", "aol.com", "icloud.com", "me.com", "mac.com", "proton.me",
     "protonmail.com", "gmx.com", "gmx.de", "gmx.net", "web.de", "mail.com", "yandex.com",
     "yandex.ru", "zoho.com", "fastmail.com", "hey.com", "qq.com", "163.com", "comcast.net",
     "verizon.net", "att.net", "btinternet.com", "orange.fr", "free.fr", "t-online.de"}
)  # fmt: skip


def is_freemail(domain: str) -> bool:
    """True for consumer mailbox providers, whose domain says nothing about a company."""
    return domain in _FREEMAIL


_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://")
_DOMAIN_CHARS = re.compile(r"[a-z0-9.-]+")


@lru_cache(maxsize=_CACHE)
def normalize_domain(raw: str) -> str | None:
    """A web or email domain, casefolded without scheme, www., port or path; None if not one."""
    text = fold_text(raw).strip()
    if "@" in text:
        text = text.rsplit("@", 1)[1]
    text = _SCHEME.sub("", text)
    text = text.split("/", 1)[0].split("?", 1)[0].split(":", 1)[0].strip(".")
    if text.startswith("www."):
        text = text[4:]
    if "." not in text or not _DOMAIN_CHARS.fullmatch(text):
        return None
    return text


def company_domain_of_email(email: str) -> str | None:
    """The domain of a normalised email when it is a company's (not a freemail provider's)."""
    domain = email.rsplit("@", 1)[-1]
    return None if is_freemail(domain) else domain


# ---------------------------------------------------------------------------- phone

# ASCII digits only: other scripts' digits go to the library, which maps them
_PHONE_ALLOWED = re.compile(r"^[0-9 \t().\-+/]+$")
_NON_DIGIT = re.compile(r"[^0-9]+")
_EXTENSION = re.compile(r"\s*(?:ext\.?|extension|x|#)\s*\d{1,6}\s*$", re.IGNORECASE)


@lru_cache(maxsize=64)
def _country_code(region: str) -> int:
    return phonenumbers.country_code_for_region(region.upper())


_NANP_PREFIX_VALID: dict[str, bool] = {}


def _nanp_valid(national: str) -> bool:
    """Whether a 10-digit NANP number is valid, asked of phonenumbers once per area code + exchange.

    NANP metadata decides validity by area code and exchange (the last four digits are free), so
    one library check per six-digit prefix answers for every number that shares it.
    """
    prefix = national[:6]
    known = _NANP_PREFIX_VALID.get(prefix)
    if known is None:
        known = bool(phonenumbers.is_valid_number(phonenumbers.PhoneNumber(1, int(national))))
        _NANP_PREFIX_VALID[prefix] = known
    return known


@lru_cache(maxsize=_CACHE)
def _parse_phone(text: str, region: str) -> str | None:
    try:
        parsed = phonenumbers.parse(text, region.upper())
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def normalize_phone(raw: str, region: str) -> str | None:
    """The phone number in E.164 ("+14155550100"), read in `region` when it has no country code.

    None when it cannot be a valid number (too short, letters, all one digit, not assigned).
    A cheap pre-check rejects obvious junk and reduces formatting so that "(415) 555-0100" and
    "415.555.0100" share one cached parse.
    """
    text = raw.strip()
    if not text or len(text) > 40:
        return None
    text = _EXTENSION.sub("", text)
    if not _PHONE_ALLOWED.match(text):
        # letters (vanity numbers) or odd symbols: let the library judge the raw text
        return _parse_phone(text, region) if any(ch.isdigit() for ch in text) else None
    digits = _NON_DIGIT.sub("", text)
    if not 7 <= len(digits) <= 15 or digits.count(digits[0]) == len(digits):
        return None
    plus = text.startswith("+")
    if _country_code(region) == 1:
        # NANP fast path: 10 digits, or 11 with the country code 1, need no full parse
        national = digits if len(digits) == 10 and not plus else ""
        if len(digits) == 11 and digits.startswith("1"):
            national = digits[1:]
        if national:
            return "+1" + national if _nanp_valid(national) else None
    return _parse_phone(("+" if plus else "") + digits, region)


@lru_cache(maxsize=_CACHE)
def format_phone(e164: str) -> str:
    """The international display form of an E.164 number ("+1 415-555-0100")."""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


# ---------------------------------------------------------------------------- company

_LEGAL_SUFFIXES = frozenset(
    {"inc", "incorporated", "ltd", "limited", "llc", "llp", "lp", "plc", "gmbh", "ag", "kg",
     "co", "corp", "corporation", "company", "sa", "sas", "sarl", "srl", "spa", "bv", "nv",
     "oy", "ab", "as", "aps", "pty", "pte", "kk", "se", "ug", "mbh", "ohg", "kgaa", "sl",
     "holdings", "group"}
)  # fmt: skip


_DOTTED = re.compile(r"\b((?:[a-z]\.){2,})")


def _undot(match: re.Match[str]) -> str:
    return match.group(1).replace(".", "")


@lru_cache(maxsize=_CACHE)
def normalize_company(raw: str) -> str:
    """A company name folded with legal suffixes stripped ("Acme, Inc." -> "acme")."""
    text = fold_text(raw).replace("&", " and ")
    # join dotted abbreviations ("g.m.b.h.", "s.a.") before punctuation splits them apart
    text = _DOTTED.sub(_undot, text)
    tokens = _NON_ALNUM.sub(" ", _DROP.sub("", text)).split()
    # "Müller GmbH & Co. KG": strip suffixes and the "and" that joins them
    while len(tokens) > 1 and (tokens[-1] in _LEGAL_SUFFIXES or tokens[-1] == "and"):
        tokens.pop()
    if len(tokens) > 1 and tokens[0] == "the":
        tokens.pop(0)
    return " ".join(tokens)


# ---------------------------------------------------------------------------- other fields

_ADDRESS_WORDS = {
    "street": "st", "str": "st", "road": "rd", "avenue": "ave", "av": "ave", "boulevard": "blvd",
    "drive": "dr", "lane": "ln", "court": "ct", "place": "pl", "crescent": "cres", "circuit": "cct",
    "terrace": "tce", "highway": "hwy", "parkway": "pkwy", "square": "sq", "apartment": "apt",
    "suite": "ste", "floor": "fl", "north": "n", "south": "s", "east": "e", "west": "w",
    "mount": "mt", "saint": "st", "close": "cl", "way": "wy", "strasse": "str",
}  # fmt: skip


@lru_cache(maxsize=_CACHE)
def normalize_address(raw: str) -> str:
    """A postal address folded with common street words abbreviated ("Street" -> "st")."""
    tokens = _NON_ALNUM.sub(" ", _DROP.sub("", fold_text(raw))).split()
    return " ".join(_ADDRESS_WORDS.get(token, token) for token in tokens)


@lru_cache(maxsize=_CACHE)
def normalize_identifier(raw: str) -> str:
    """An external id (CRM, billing, national id) without case, spaces or separators."""
    return _NON_ALNUM.sub("", fold_text(raw))


_DATE_DIGITS = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?:[ T].*)?$")


@lru_cache(maxsize=_CACHE)
def normalize_date(raw: str) -> str | None:
    """An ISO date ("1956-04-09") from ISO or compact ("19560409") text; None if not a date."""
    match = _DATE_DIGITS.match(raw.strip())
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    except ValueError:
        return None
