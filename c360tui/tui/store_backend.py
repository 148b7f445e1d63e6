"""The real Backend: the profile store plus the view specs, read from worker threads.

The store and specs open on first use (inside a worker), never at import, so the launcher and the
first paint do not wait for them. One lock serialises store calls: a Store is used by one thread
at a time, and the screens' workers run on several.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from c360tui.core.decision_model import DecisionView
from c360tui.core.records import AttrValue, RecordKey, SourceRecord
from c360tui.errors import C360Error
from c360tui.tui.backend import (
    IdentityDetail,
    QueueItem,
    QueueSnapshot,
    QueueState,
    SearchResult,
    SourceRecordRow,
)

if TYPE_CHECKING:
    from c360tui.core.view_spec import ViewSpec
    from c360tui.store.store import Store

# A morning's queue shows at most this many open customers (the rest wait for the next load).
QUEUE_LIMIT = 200
# A snoozed customer comes back to the queue after this long.
SNOOZE_FOR = timedelta(hours=20)
# Attributes that name a source record on the identity screen, in the order they are shown.
SUMMARY_ATTRIBUTES = ("first_name", "last_name", "company", "email", "phone", "ticket_subject")


class StoreBackend:
    """Backend over an open Store and the specs directory."""

    def __init__(self, store_path: Path, specs_dir: Path) -> None:
        self.store_path = store_path
        self.specs_dir = specs_dir
        self._lock = threading.RLock()
        self._store: Store | None = None
        self._views: dict[str, ViewSpec] | None = None
        self._region = "US"

    def _open(self) -> tuple[Store, dict[str, ViewSpec]]:
        with self._lock:
            if self._store is None or self._views is None:
                from c360tui.specs_io import load_sources, load_views
                from c360tui.store.store import open_store

                self._region = load_sources(self.specs_dir).default_region
                self._views = load_views(self.specs_dir)
                self._store = open_store(self.store_path, create=False, region=self._region)
            return self._store, self._views

    def _spec(self, view: str) -> ViewSpec:
        _, views = self._open()
        if view not in views:
            raise C360Error(
                f"There is no view spec named {view} in {self.specs_dir}; add {view}.toml."
            )
        return views[view]

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None

    def describe(self) -> dict[str, str]:
        return {"store": str(self.store_path), "specs": str(self.specs_dir)}

    def search(self, query: str, limit: int) -> list[SearchResult]:
        store, _ = self._open()
        with self._lock:
            hits = store.search(query, limit)
        return [SearchResult(h.customer_id, h.display_name, h.company, h.why) for h in hits]

    def decision(self, view: str, customer_id: str, now: datetime) -> DecisionView:
        from c360tui.core.decision import build_decision_view

        spec = self._spec(view)
        store, _ = self._open()
        with self._lock:
            customer = store.load_customer(customer_id)
        if customer is None:
            raise C360Error(f"Customer {customer_id} is no longer in the store; search again.")
        return build_decision_view(spec, customer, now, region=self._region)

    def queue(self, view: str, now: datetime) -> QueueSnapshot:
        """The open customers of a queue view in the spec's order, and how many are settled."""
        spec = self._spec(view)
        if spec.queue is None:
            raise C360Error(
                f"The view {view} has no [queue] section; it cannot be worked as a queue."
            )
        store, _ = self._open()
        with self._lock:
            states = store.queue_states(view)
            candidates = self._candidates(store, spec)
        settled = {cid for cid, (_, until) in states.items() if until is None or until > now}
        ids = self._ordered(store, spec, candidates, now)
        open_ids = [cid for cid in ids if cid not in settled]
        worked = len(ids) - len(open_ids)
        shown = open_ids[:QUEUE_LIMIT]
        detail_signal = spec.queue.sort[0].signal if spec.queue.sort else None
        items = [self._item(store, spec, cid, candidates[cid], detail_signal) for cid in shown]
        return QueueSnapshot(view, items, worked, worked + len(shown))

    def _candidates(self, store: Store, spec: ViewSpec) -> dict[str, dict[str, AttrValue]]:
        from c360tui.core.recommend import compare

        assert spec.queue is not None
        require = {
            f.attribute: f.value if isinstance(f.value, list) else [f.value]
            for f in spec.queue.filters
            if f.op in ("in", "==") and f.value is not None
        }
        # Only what filtering and ordering need: the filter attributes and attribute sort keys.
        by_signal = {s.id: s.attribute for s in spec.signals}
        attributes = [f.attribute for f in spec.queue.filters]
        attributes += [a for k in spec.queue.sort if (a := by_signal.get(k.signal))]
        found = store.queue_candidates(list(dict.fromkeys(attributes)), require or None)
        return {
            cid: values
            for cid, values in found
            if all(compare(values.get(f.attribute), f.op, f.value) for f in spec.queue.filters)
        }

    def _ordered(
        self,
        store: Store,
        spec: ViewSpec,
        candidates: dict[str, dict[str, AttrValue]],
        now: datetime,
    ) -> list[str]:
        """Candidate ids in queue order; a derived sort signal needs each candidate's view."""
        from c360tui.core.decision import build_decision_view, order_queue

        assert spec.queue is not None
        by_signal = {s.id: s for s in spec.signals}
        if all(by_signal.get(k.signal) and by_signal[k.signal].attribute for k in spec.queue.sort):
            ordered = sorted(candidates)
            for key in reversed(spec.queue.sort):
                attribute = by_signal[key.signal].attribute or ""
                present = [c for c in ordered if _number(candidates[c].get(attribute)) is not None]
                absent = [c for c in ordered if _number(candidates[c].get(attribute)) is None]
                present.sort(
                    key=lambda c, a=attribute: _number(candidates[c].get(a)) or 0.0,  # type: ignore[misc]
                    reverse=key.order == "desc",
                )
                ordered = present + absent
            return ordered
        views = []
        for customer_id in sorted(candidates):
            with self._lock:
                customer = store.load_customer(customer_id)
            if customer is not None:
                views.append(build_decision_view(spec, customer, now, region=self._region))
        return [view.customer_id for view in order_queue(spec, views)]

    def _item(
        self,
        store: Store,
        spec: ViewSpec,
        customer_id: str,
        values: dict[str, AttrValue],
        signal: str | None,
    ) -> QueueItem:
        with self._lock:
            summary = store.customer_summary(customer_id)
        name = summary.display_name if summary else customer_id
        parts = []
        sort_spec = next((s for s in spec.signals if s.id == signal), None)
        if sort_spec is not None and sort_spec.attribute and sort_spec.attribute in values:
            parts.append(f"{values[sort_spec.attribute]} {sort_spec.label.lower()}")
        if summary and summary.company:
            parts.append(summary.company)
        return QueueItem(customer_id, name, " · ".join(parts))

    def settle(
        self, view: str, customer_id: str, state: QueueState, action: str, now: datetime
    ) -> None:
        store, _ = self._open()
        until = now + SNOOZE_FOR if state == "snoozed" else None
        with self._lock:
            store.set_queue_state(view, customer_id, state, until=until, at=now)

    def flag(self, view: str, customer_id: str, signal_id: str, attribute: str | None) -> None:
        store, _ = self._open()
        with self._lock:
            store.record_flag(customer_id, attribute or signal_id, view)

    def identity(self, customer_id: str) -> IdentityDetail:
        store, _ = self._open()
        with self._lock:
            customer = store.load_customer(customer_id)
            if customer is None:
                raise C360Error(f"Customer {customer_id} is no longer in the store; search again.")
            records = {record.key: record for record in store.records(customer.records)}
        rows = [_record_row(key, records.get(key)) for key in customer.records]
        return IdentityDetail(customer_id, rows, list(customer.merges), list(customer.held))

    def split(self, customer_id: str, left: RecordKey, right: RecordKey) -> None:
        store, _ = self._open()
        with self._lock:
            store.record_split(left, right, note=f"from the identity screen of {customer_id}")


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return float(value)
    return float(value) if isinstance(value, int | float) else None


def _record_row(key: RecordKey, record: SourceRecord | None) -> SourceRecordRow:
    if record is None:
        return SourceRecordRow(key, "?", None, "(record not found)")
    attrs = record.attributes
    name = " ".join(str(attrs[a]) for a in ("first_name", "last_name") if a in attrs)
    others = [str(attrs[a]) for a in SUMMARY_ATTRIBUTES[2:] if a in attrs]
    summary = " · ".join(part for part in (name, *others) if part)
    return SourceRecordRow(key, record.system, record.updated_at, summary)
