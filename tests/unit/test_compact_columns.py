"""The compact columns a large resolution keeps: record keys and links by customer."""

from __future__ import annotations

import pytest

from c360tui.core.customer import FieldEvidence, MergeEvidence
from c360tui.core.merge_table import MergeLog, MergeTable
from c360tui.core.records import KeyColumn, RecordKey


def test_a_key_column_gives_back_the_keys_it_was_made_of() -> None:
    keys = [RecordKey("crm", "1"), RecordKey("billing", "7"), RecordKey("crm", "2")]
    column = KeyColumn((k.feed for k in keys), [k.record_id for k in keys])
    assert len(column) == 3
    assert list(column) == keys
    assert column[1] == keys[1] and column[-1] == keys[-1]
    assert column[:2] == keys[:2]
    assert column.parts(1) == ("billing", "7")
    assert column.index(RecordKey("crm", "2")) == 2


def test_a_key_column_needs_a_feed_for_every_record_id() -> None:
    with pytest.raises(ValueError):
        KeyColumn(["crm"], ["1", "2"])


def test_links_are_grouped_by_customer_in_the_order_they_were_made() -> None:
    email = (FieldEvidence("email", "exact", 1.0),)
    phone = (FieldEvidence("phone", "exact", 1.0),)
    log = MergeLog()
    # records 0-2 are customer 1, records 3-4 customer 0; customer 2 has no links
    log.add(0, 1, "same_email", email)
    log.add(3, 4, "same_phone", phone)
    log.add(1, 2, "same_phone", phone)
    owner = [1, 1, 1, 0, 0, 2]
    table = MergeTable.grouped(log, owner, customers=3)
    keys = [RecordKey("f", str(i)) for i in range(6)]
    assert len(table) == 3
    assert table.evidence(0, keys) == [MergeEvidence(keys[3], keys[4], "same_phone", phone)]
    assert table.evidence(1, keys) == [
        MergeEvidence(keys[0], keys[1], "same_email", email),
        MergeEvidence(keys[1], keys[2], "same_phone", phone),
    ]
    assert not table.rows(2)


def test_an_empty_log_gives_customers_without_links() -> None:
    table = MergeTable.grouped(MergeLog(), [0, 1], customers=2)
    assert len(table) == 0
    assert not table.rows(0) and not table.rows(1)
    assert len(MergeTable.grouped(MergeLog(), [], customers=0)) == 0


def test_a_coded_key_column_is_the_column_of_its_feeds_and_ids() -> None:
    from array import array

    coded = KeyColumn.coded(["billing", "crm"], array("H", [0, 1, 1]), ["b1", "c1", "c2"])
    plain = KeyColumn(["billing", "crm", "crm"], ["b1", "c1", "c2"])
    assert list(coded) == list(plain)
    assert coded.parts(2) == ("crm", "c2")
    with pytest.raises(ValueError):
        KeyColumn.coded(["crm"], array("H", [0]), ["c1", "c2"])
