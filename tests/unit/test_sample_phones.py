"""Synthetic phone numbers: unique, valid in every written format, typos never hit a real one."""

from __future__ import annotations

import phonenumbers

from c360tui.sample.phones import format_phone, phone_for_slot, slot_of, transpose
from c360tui.sample.rand import Rand


def test_distinct_slots_get_distinct_numbers_and_map_back() -> None:
    for country in ("US", "UK", "DE"):
        numbers = {phone_for_slot(slot, country).e164 for slot in range(5000)}
        assert len(numbers) == 5000
        for slot in (0, 1, 77, 4999, 2_999_999):
            assert slot_of(phone_for_slot(slot, country)) == slot


def test_every_format_parses_to_the_same_valid_number_with_the_us_default_region() -> None:
    for country in ("US", "UK", "DE"):
        for slot in (0, 3, 1234, 999_999):
            phone = phone_for_slot(slot, country)
            for style in range(7):
                parsed = phonenumbers.parse(format_phone(phone, style), "US")
                assert phonenumbers.is_valid_number(parsed)
                e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
                assert e164 == phone.e164


def test_a_transposed_number_is_never_an_issued_one() -> None:
    rng = Rand(1)
    issued = 3000
    for slot in range(issued):
        phone = phone_for_slot(slot, "US")
        typo = transpose(phone, rng, issued)
        if typo is None:
            continue
        assert typo != phone
        other = slot_of(typo)
        assert other is None or other >= issued
        assert sorted(typo.exchange + typo.line) == sorted(phone.exchange + phone.line)
