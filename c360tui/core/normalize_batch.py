"""The identity normalisers of core/normalize.py applied to whole columns at once, with polars.

Ingest normalises millions of identity values; one Python call per value was most of reading a
file. Here each kind is a chain of vectorised string operations that gives, for printable ASCII
text, exactly what its core/normalize.py function gives; any other text (accents, other
scripts, control characters) and the few shapes the chains leave to the library (phone numbers
outside the fast NANP path, dotted abbreviations in company names) go through the Python
function, once per distinct value. `tests/unit/test_normalize_batch.py` holds both to the same
answers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from c360tui.core.nicknames import NICKNAMES
from c360tui.core.normalize import (
    _ADDRESS_WORDS,
    _FREEMAIL,
    _JUNK_LOCAL_PARTS,
    _LEGAL_SUFFIXES,
    _country_code,
    _nanp_valid,
)

if TYPE_CHECKING:
    import polars as pl

Text = Callable[[str], str | None]

# Text every chain handles itself: printable ASCII, where casefold is lower, the only
# whitespace is the space, and Python's and polars' regular expressions agree.
_PRINTABLE = r"^[\x20-\x7e]*$"
_LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
_EMAIL_SHAPE = rf"^[^@\s]+@{_LABEL}(?:\.{_LABEL})+$"
_EXTENSION = r"(?i)\s*(?:ext\.?|extension|x|#)\s*\d{1,6}\s*$"
_PHONE_ALLOWED = r"^[0-9 \t().\-+/]+$"
_ONE_DIGIT = "^(?:" + "|".join(f"{d}+" for d in "0123456789") + ")$"
_PUNCT_TO_SPACE = r"""[\s\-_/.,;:()\[\]{}"!?&+*#@|\\]+"""
_DROP = r"['`]"  # the ASCII members of normalize._DROP
_NON_ALNUM = r"[^0-9a-z]+"
_DOTTED = r"\b(?:[a-z]\.){2,}"
_SUFFIXES = "|".join(sorted((*_LEGAL_SUFFIXES, "and"), key=len, reverse=True))
_SCHEME = r"^[a-z][a-z0-9+.-]*://"
_DATE = r"^(\d{4})-?(\d{2})-?(\d{2})(?:[ T].*)?$"


def fold(col: pl.Expr) -> pl.Expr:
    """fold_text for printable ASCII: lower case, runs of spaces as one, no outer spaces."""
    return col.str.to_lowercase().str.replace_all(" +", " ").str.strip_chars(" ")


def _empty_to_null(col: pl.Expr) -> pl.Expr:
    import polars as pl

    return pl.when(col == "").then(None).otherwise(col)


def email(col: pl.Expr) -> pl.Expr:
    """normalize_email: trimmed, unbracketed, lower case, no mailto:, email-shaped, not junk."""
    import polars as pl

    text = col.str.strip_chars(" ").str.strip_chars("<>").str.strip_chars(" ").str.to_lowercase()
    text = text.str.strip_prefix("mailto:")
    local = text.str.split_exact("@", 1).struct.field("field_0")
    ok = text.str.contains(_EMAIL_SHAPE) & ~local.is_in(sorted(_JUNK_LOCAL_PARTS))
    return pl.when(ok).then(text).otherwise(None)


def personal_email(col: pl.Expr, roles: frozenset[str]) -> pl.Expr:
    """email, also dropping team inboxes (billing@, ap@...), which name no person."""
    import polars as pl

    normal = email(col)
    local = normal.str.split_exact("@", 1).struct.field("field_0")
    return pl.when(local.is_in(sorted(roles))).then(None).otherwise(normal)


def fold_name(col: pl.Expr) -> pl.Expr:
    """fold_name: folded, apostrophes dropped, punctuation as spaces, spaces collapsed."""
    text = fold(col).str.replace_all(_DROP, "").str.replace_all(_PUNCT_TO_SPACE, " ")
    return text.str.strip_chars(" ")


def first_name(col: pl.Expr) -> pl.Expr:
    """canonical_first_name: fold_name, then a nickname mapped to its canonical name."""
    return fold_name(col).replace(NICKNAMES)


def company(col: pl.Expr) -> pl.Expr:
    """normalize_company for text without dotted abbreviations ("g.m.b.h.": those go to the
    per-value rule, see ColumnNormaliser)."""
    text = fold(col).str.replace_all("&", " and ", literal=True)
    text = text.str.replace_all(_DROP, "").str.replace_all(_NON_ALNUM, " ").str.strip_chars(" ")
    # legal suffixes (and the "and" joining them) go from the end; each has a space before it,
    # so the first word stays, and then a leading "the" goes when a word follows it
    text = text.str.replace(rf"(?: (?:{_SUFFIXES}))+$", "")
    return text.str.replace("^the ", "")


def domain(col: pl.Expr) -> pl.Expr:
    """normalize_domain: the host of a web or email address, without scheme, www. or path."""
    import polars as pl

    text = fold(col)
    text = text.str.split("@").list.last()
    text = text.str.replace(_SCHEME, "")
    for stop in ("/", "?", ":"):
        text = text.str.split_exact(stop, 1).struct.field("field_0")
    text = text.str.strip_chars(".").str.strip_prefix("www.")
    ok = text.str.contains(".", literal=True) & text.str.contains(r"^[a-z0-9.-]+$")
    return pl.when(ok).then(text).otherwise(None)


def mail_domain(col: pl.Expr) -> pl.Expr:
    """accounts._mail: the company domain of an email address as typed (no freemail)."""
    import polars as pl

    found = domain(col)
    company = col.str.contains("@", literal=True) & ~found.is_in(sorted(_FREEMAIL))
    return pl.when(company).then(found).otherwise(None)


def address(col: pl.Expr) -> pl.Expr:
    """normalize_address: folded words, common street words abbreviated ("street" -> "st")."""
    import polars as pl

    text = fold(col).str.replace_all(_DROP, "").str.replace_all(_NON_ALNUM, " ")
    words = text.str.strip_chars(" ").str.split(" ")
    return words.list.eval(pl.element().replace(_ADDRESS_WORDS)).list.join(" ")


def identifier(col: pl.Expr) -> pl.Expr:
    """normalize_identifier: folded, only letters and digits."""
    return fold(col).str.replace_all(_NON_ALNUM, "")


def date(col: pl.Expr) -> pl.Expr:
    """normalize_date: an ISO date from ISO or compact text; null when not a real date."""
    import polars as pl

    parts = col.str.strip_chars(" ").str.extract_groups(_DATE)
    iso = pl.concat_str(
        parts.struct.field("1"), pl.lit("-"), parts.struct.field("2"), pl.lit("-"),
        parts.struct.field("3"),
    )  # fmt: skip
    real = iso.str.to_date("%Y-%m-%d", strict=False).is_not_null() & (
        parts.struct.field("1") != "0000"
    )
    return pl.when(real).then(iso).otherwise(None)


def text(col: pl.Expr) -> pl.Expr:
    """fold_text."""
    return fold(col)


def _phone_stages(frame: pl.DataFrame, col: pl.Expr) -> pl.DataFrame:
    """`frame` with the NANP fast path of normalize_phone worked out, stage by stage.

    Adds `national` (the ten national digits; "" where the number is hopeless) and `handled`
    (whether the fast path answers the row): at most 40 characters, only digits and phone
    punctuation once an extension is cut off; then fewer than 7 or more than 15 digits, or one
    digit repeated, is no number, and 10 digits (or 11 after a 1) are a NANP number.
    """
    import polars as pl

    frame = frame.with_columns(_cut=col.str.replace(_EXTENSION, ""), _long=col.str.len_chars() > 40)
    cut = pl.col("_cut")
    frame = frame.with_columns(
        _digits=cut.str.replace_all("[^0-9]+", ""),
        _allowed=~pl.col("_long") & cut.str.contains(_PHONE_ALLOWED),
        _plus=cut.str.starts_with("+"),
    )
    digits = pl.col("_digits")
    size = digits.str.len_chars()
    frame = frame.with_columns(
        _hopeless=(size < 7) | (size > 15) | digits.str.contains(_ONE_DIGIT),
        _national=pl.when((size == 10) & ~pl.col("_plus"))
        .then(digits)
        .when((size == 11) & digits.str.starts_with("1"))
        .then(digits.str.slice(1))
        .otherwise(None),
    )
    allowed, hopeless, national = pl.col("_allowed"), pl.col("_hopeless"), pl.col("_national")
    return frame.with_columns(
        national=pl.when(allowed & hopeless).then(pl.lit("")).otherwise(national),
        handled=allowed & (hopeless | national.is_not_null()),
    ).drop("_cut", "_long", "_digits", "_allowed", "_plus", "_hopeless", "_national")


_KINDS: dict[str, Callable[[pl.Expr], pl.Expr]] = {
    "email": email,
    "name": fold_name,
    "first_name": first_name,
    "company": company,
    "domain": domain,
    "company_domain": domain,
    "mail_domain": mail_domain,
    "date": date,
    "address": address,
    "id": identifier,
    "text": text,
}


class ColumnNormaliser:
    """Normalises a column of one identity field the way `python` normalises one value.

    `python(text)` is the field's whole per-value rule (junk checks included) for trimmed text;
    the vectorised chain of `kind` gives the same for printable ASCII text, junk checked
    against `junk` (folded raw values) and `normalised_junk` (normalised values). Values the
    chain leaves to Python are computed once per distinct value.
    """

    __slots__ = ("_python", "junk", "kind", "normalised_junk", "region", "roles")

    def __init__(
        self,
        kind: str,
        python: Text,
        *,
        region: str,
        roles: frozenset[str] = frozenset(),
        junk: frozenset[str] = frozenset(),
        normalised_junk: frozenset[str] = frozenset(),
    ) -> None:
        if kind != "phone" and kind not in _KINDS:
            raise ValueError(f"no column normaliser for field kind {kind!r}")
        self.kind = kind
        self.region = region
        self.roles = roles
        self.junk = junk
        self.normalised_junk = normalised_junk
        self._python = python

    def __call__(self, values: Sequence[str | None]) -> list[str | None]:
        """The normalised value of each text (None: missing, junk or not a valid value)."""
        import polars as pl

        # each stage is materialised as a column, so no expression is evaluated twice
        frame = pl.DataFrame({"raw": pl.Series(values, dtype=pl.String)}).with_columns(
            text=_empty_to_null(pl.col("raw").str.strip_chars(" ")),
            printable=pl.col("raw").str.contains(_PRINTABLE),
        )
        text = pl.col("text")
        if self.kind == "phone":
            frame = _phone_stages(frame, text)
            value, handled = self._phone_value(frame)
        else:
            if self.kind == "email" and self.roles:
                value = personal_email(text, self.roles)
            else:
                value = _KINDS[self.kind](text)
            handled = pl.lit(True)
            if self.kind == "company":
                dotted = fold(text).str.replace_all("&", " and ", literal=True)
                handled = ~dotted.str.contains(_DOTTED)
        frame = frame.with_columns(
            value=_empty_to_null(value),
            junk=fold(text).is_in(sorted(self.junk)),
            handled=handled,
        )
        value = pl.col("value")
        junk = pl.col("junk") | value.is_in(sorted(self.normalised_junk))
        python = pl.col("raw").is_not_null() & ~(pl.col("printable") & pl.col("handled")).fill_null(
            False
        )
        out = frame.select(
            pl.when(junk).then(None).otherwise(value).alias("value"), python.alias("python")
        )
        result: list[str | None] = out["value"].to_list()
        slow = out["python"]
        if slow.any():
            known: dict[str, str | None] = {}
            compute = self._python
            for index in slow.arg_true().to_list():
                raw_text = values[index]
                assert raw_text is not None
                if raw_text not in known:
                    stripped = raw_text.strip()
                    known[raw_text] = compute(stripped) if stripped else None
                result[index] = known[raw_text]
        return result

    def _phone_value(self, frame: pl.DataFrame) -> tuple[pl.Expr, pl.Expr]:
        """(E.164 where the NANP fast path answers, which rows it answers; see _phone_stages)."""
        import polars as pl

        national, handled = pl.col("national"), pl.col("handled")
        if _country_code(self.region) != 1:
            # outside the NANP only the hopeless shapes are answered here
            return pl.lit(None, dtype=pl.String), handled & (national == "")
        # one number per area code + exchange: validity is decided by those six digits
        numbers = (
            frame.select(national.alias("n"))
            .filter(pl.col("n").str.len_chars() == 10)
            .unique(subset=pl.col("n").str.slice(0, 6))["n"]
            .to_list()
        )
        valid = [number[:6] for number in numbers if _nanp_valid(number)]
        value = pl.when(national.str.slice(0, 6).is_in(valid)).then(pl.lit("+1") + national)
        return value, handled
