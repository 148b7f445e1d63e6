"""Reconcile a chunk of customers and encode their rows straight from the stored records.

`core.reconcile.reconcile` followed by `store.writer.encode_customers` builds a ResolvedCustomer
per customer (a Candidate per value, a ReconciledAttribute per attribute) only to walk it again
into JSON documents and search rows: at a million customers that was most of the ingest's CPU.
Here each record is decoded once per chunk into what reconcile ranks, and each customer goes
from its ranked records to its rows (attribute_rows.py makes the attributes document). The rows
are exactly the reference path's: tests/unit/test_chunk_rows.py compares the two on generated
customers and on the sample data.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from operator import attrgetter
from typing import Any

from c360tui.core.customer import HeldMerge
from c360tui.core.normalize import fold_name
from c360tui.core.reconcile_plan import Plan, plan_for
from c360tui.core.records import AttrValue
from c360tui.core.sources_spec import SourcesSpec
from c360tui.ingest.attribute_rows import RankedRecord, attributes_document
from c360tui.store import codec
from c360tui.store.codec import MergeRow
from c360tui.store.search import index_rows_of
from c360tui.store.writer import EncodedCustomers

# A stored source record: id, system, feed, record id, updated at (ISO 8601 or None), JSON.
Row = tuple[int, str, str, str, str | None, str]
# One customer of a chunk: id, own record ids, account mates' record ids, merges, held links.
CustomerTask = tuple[str, list[int], list[int], list[MergeRow], list[HeldMerge]]


# Stored times are ISO 8601 as `datetime.isoformat` wrote them (UTC): such a text is its own
# isoformat and skips a round trip through datetime (a microsecond per record). A fraction of
# all zeros would not be written back, so it does not count.
_OWN_ISOFORMAT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.(?!000000)[0-9]{6})?\+00:00"
)
_BY_KEY = attrgetter("feed", "record_id")


class ChunkEncoder:
    """Turns chunks of customers' stored rows into their encoded rows, as the reference does."""

    def __init__(self, sources: SourcesSpec, region: str) -> None:
        self.plan: Plan = plan_for(sources)
        self.region = region
        self.priority = self.plan.priority
        # per feed: its attribute names in column order (collection items keep that order)
        self.order = {f.name: tuple(dict.fromkeys(f.columns.values())) for f in sources.feeds}
        self.order_sets = {feed: frozenset(names) for feed, names in self.order.items()}
        collection_of = self.plan.collection_of
        self.collected = {
            feed: tuple((n, collection_of[n]) for n in names if n in collection_of)
            for feed, names in self.order.items()
        }

    def decode(self, rows: Sequence[Row]) -> dict[int, RankedRecord]:
        """The chunk's records by store id."""
        load_json, priority = codec.load_json, self.priority
        parse, own_isoformat = datetime.fromisoformat, _OWN_ISOFORMAT.fullmatch
        made: dict[int, RankedRecord] = {}
        for rowid, system, feed, record_id, updated, text in rows:
            observed_at: datetime | None = None
            time_text = None
            if updated:
                observed_at = moment = parse(updated)
                time_text = updated if own_isoformat(updated) else moment.isoformat()
            made[rowid] = RankedRecord(
                system, feed, record_id, observed_at, time_text, priority.get(system, 0),
                load_json(text),
            )  # fmt: skip
        return made

    def encode(
        self, customers: Sequence[CustomerTask], rows: Sequence[Row], first_seq: int
    ) -> EncodedCustomers:
        """The rows of `customers` (numbered from `first_seq`) over their stored `rows`."""
        records = self.decode(rows)
        out = EncodedCustomers()
        dump_json = codec.dump_json
        totals = [0, 0, 0, 0]
        collections_doc = self._collections_doc
        for seq, (customer_id, own_ids, mate_ids, merges, held) in enumerate(
            customers, start=first_seq
        ):
            own = sorted([records[i] for i in own_ids], key=_BY_KEY)
            mates = sorted([records[i] for i in mate_ids], key=_BY_KEY) if mate_ids else []
            doc, winners, conflicted, indexed = attributes_document(self.plan, own, mates)
            row, keys, terms, fts = index_rows_of(
                customer_id, len(own), indexed, seq, self.region, fold_name
            )
            out.customers.append(row)
            out.keys.extend(keys)
            out.terms.extend(terms)
            out.fts.append(fts)
            out.profiles.append(
                (
                    seq,
                    dump_json(winners),
                    dump_json(doc),
                    dump_json(collections_doc(own)) if self.plan.collections else None,
                    dump_json(codec.merge_rows_doc(merges)) if merges else None,
                )
            )
            rule_of: dict[tuple[str, str], str] = {}
            for left_feed, left_id, right_feed, right_id, rule, _ in merges:
                rule_of.setdefault((left_feed, left_id), rule)
                rule_of.setdefault((right_feed, right_id), rule)
            assignments = out.assignments
            for record in own:
                assignments.append(
                    (
                        record.feed,
                        record.record_id,
                        seq,
                        rule_of.get((record.feed, record.record_id), ""),
                    )
                )
            for h in held:
                out.held.append(
                    (seq, h.left.feed, h.left.record_id, h.right.feed, h.right.record_id, h.rule,
                     h.reason)
                )  # fmt: skip
            totals[0] += len(own)
            totals[1] += len(merges)
            totals[2] += len(held)
            totals[3] += conflicted
        out.counts = (len(customers), *totals)  # type: ignore[assignment]
        return out

    def _collections_doc(self, own: list[RankedRecord]) -> dict[str, list[list[Any]]]:
        """The `profile.collections` document: an item per own record and collection, with the
        record's values in its feed's column order (as ingest read them)."""
        plan = self.plan
        doc: dict[str, list[list[Any]]] = {name: [] for name in plan.collections}
        collected, order_sets = self.collected, self.order_sets
        for record in own:
            attrs = record.attrs
            feed = record.feed
            names = collected.get(feed)
            if names is None or not attrs.keys() <= order_sets[feed]:
                names = self._collected_in_stored_order(record)
            if not names:
                continue
            grouped: dict[str, dict[str, AttrValue]] = {}
            for name, collection in names:
                if name in attrs:
                    values = grouped.get(collection)
                    if values is None:
                        grouped[collection] = {name: attrs[name]}
                    else:
                        values[name] = attrs[name]
            for collection, values in grouped.items():
                doc[collection].append(
                    [values, record.system, feed, record.record_id, record.time_text]
                )
        return doc

    def _collected_in_stored_order(self, record: RankedRecord) -> tuple[tuple[str, str], ...]:
        """A record holding attributes its feed no longer maps (or of an unknown feed): its
        collection attributes in the order the reference decoder gives them (feed's columns,
        then the rest as stored)."""
        order = self.order.get(record.feed, ())
        attrs = record.attrs
        names = [n for n in order if n in attrs]
        listed = set(names)
        names += [n for n in attrs if n not in listed]
        collection_of = self.plan.collection_of
        return tuple((n, collection_of[n]) for n in names if n in collection_of)
