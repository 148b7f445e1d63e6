"""build_decision_view: (view spec, resolved customer, now) -> DecisionView, and queue helpers.

The one place a signal's value, trust, freshness and provenance are put together: screens, the
JSON contract, MCP and telemetry all read the DecisionView built here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from c360tui.core.customer import Candidate, Provenance, ReconciledAttribute, ResolvedCustomer
from c360tui.core.decision_model import (
    ActionView,
    CollectionRow,
    DecisionView,
    DetailSection,
    SignalView,
    SourceValue,
    TrustState,
)
from c360tui.core.derived import Derived, DerivedContext, derive
from c360tui.core.display import format_value
from c360tui.core.freshness import Freshness, assess
from c360tui.core.recommend import agent_verdict, compare, recommend
from c360tui.core.records import AttrValue
from c360tui.core.view_spec import SectionSpec, SignalSpec, ViewSpec


def build_decision_view(
    spec: ViewSpec, customer: ResolvedCustomer, now: datetime, *, region: str = "US"
) -> DecisionView:
    """The whole decision for `customer` under `spec` as of `now` (timezone-aware)."""
    builder = _Builder(customer, now, region)
    signals = [
        builder.signal(sig, rank, rank <= spec.above_fold)
        for rank, sig in enumerate(spec.signals, start=1)
    ]
    sections = [builder.section(section) for section in spec.sections]
    by_id = {s.id: s for s in signals}
    for section in sections:
        for signal in section.signals:
            by_id.setdefault(signal.id, signal)
    recommendation = recommend(spec, by_id)
    return DecisionView(
        view=spec.name,
        spec_version=spec.version,
        role=spec.role,
        decision=spec.decision,
        customer_id=customer.customer_id,
        display_name=_display_name(customer),
        subtitle=_text(customer.attributes.get("company")),
        as_of=now,
        signals=signals,
        fold=min(spec.above_fold, len(signals)),
        sections=sections,
        recommendation=recommendation,
        agent=agent_verdict(spec, by_id),
        actions=[
            ActionView(
                id=a.id,
                key=a.key,
                label=a.label,
                primary=a.primary,
                recommended=a.id == recommendation.action,
            )
            for a in spec.actions
        ],
        identity_records=len(customer.records),
        held_merges=len(customer.held),
    )


class _Builder:
    """Builds signal views for one customer, computing each derived signal once."""

    def __init__(self, customer: ResolvedCustomer, now: datetime, region: str) -> None:
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        self.customer = customer
        self.now = now
        self.region = region
        self.ctx = DerivedContext(customer, now, region)
        self._derived: dict[str, Derived] = {}

    def signal(self, sig: SignalSpec, rank: int, above_fold: bool) -> SignalView:
        if sig.derived is not None:
            return self._derived_view(sig, rank, above_fold)
        return self._attribute_view(sig, rank, above_fold)

    def _attribute_view(self, sig: SignalSpec, rank: int, above_fold: bool) -> SignalView:
        name = sig.attribute or ""
        attr = self.customer.attributes.get(name)
        if attr is None:
            fresh = assess(None, sig.budget_delta, self.now)
            missing = f"missing: no source has {sig.label.lower()}"
            return self._view(
                sig,
                rank,
                above_fold,
                None,
                "—",
                "missing",
                fresh,
                missing,
                "",
                None,
                [],
                [],
                [name],
            )
        observed = attr.observed_at
        fresh = assess(observed, sig.budget_delta, self.now)
        trust: TrustState = {"resolved": "trusted"}.get(attr.status, attr.status)  # type: ignore[assignment]
        reason = f"{attr.status}: {attr.reason}" if attr.status != "resolved" else ""
        if trust != "conflicted" and fresh.state == "stale":
            trust, reason = "stale", _stale_reason(fresh, sig)
        if attr.winner is None:
            display = " vs ".join(
                f"{self._fmt(c.value, sig)} ({c.provenance.system})" for c in attr.contenders
            )
        else:
            display = self._fmt(attr.value, sig)
        return self._view(
            sig,
            rank,
            above_fold,
            attr.value,
            display,
            trust,
            fresh,
            reason or _soft_reason(fresh, sig),
            attr.rule,
            attr.winner.provenance if attr.winner else None,
            [self._source(c, sig) for c in attr.alternates],
            [self._source(c, sig) for c in attr.contenders],
            [name],
            confirmed=self._prov(attr.confirmed, attr.value, display) if attr.confirmed else None,
        )

    def _derived_view(self, sig: SignalSpec, rank: int, above_fold: bool) -> SignalView:
        name = sig.derived or ""
        if name not in self._derived:
            self._derived[name] = derive(name, self.ctx)
        d = self._derived[name]
        fresh = assess(d.observed_at, sig.budget_delta, self.now)
        undated = d.observed_at is None and bool(d.undated_reason)
        if undated:
            fresh = replace(fresh, reason="undated")
        trust: TrustState = d.trust  # type: ignore[assignment]
        reason = ""
        contenders: list[SourceValue] = []
        for weak in d.weak_inputs:
            attr = weak.attribute
            if weak.trust == "conflicted" and attr is not None:
                contenders += [self._source(c, sig) for c in attr.contenders]
        if trust == "missing":
            needs = ", ".join(s.name for s in d.weak_inputs) or ", ".join(d.inputs)
            reason = f"missing: {d.missing_reason or 'needs ' + needs}"
        elif trust in ("conflicted", "unverified"):
            weak_desc = "; ".join(
                f"{w.name}: {w.attribute.reason}" if w.attribute else w.name
                for w in d.weak_inputs
                if w.trust == trust
            )
            reason = f"{trust}: {weak_desc}"
        if trust not in ("conflicted", "missing") and fresh.state == "stale":
            trust, reason = "stale", _stale_reason(fresh, sig)
        value = d.value if trust != "conflicted" else None
        display = d.display if value is not None else "—"
        if not reason and undated:
            reason = f"age unknown: {d.undated_reason}"
        return self._view(
            sig,
            rank,
            above_fold,
            value,
            display,
            trust,
            fresh,
            reason or _soft_reason(fresh, sig),
            "derived",
            d.provenance,
            [],
            contenders,
            list(d.inputs),
            d.series,
        )

    def _view(
        self,
        sig: SignalSpec,
        rank: int,
        above_fold: bool,
        value: AttrValue | None,
        display: str,
        trust: TrustState,
        fresh: Freshness,
        reason: str,
        rule: str,
        provenance: Provenance | None,
        alternates: list[SourceValue],
        contenders: list[SourceValue],
        inputs: list[str],
        series: list[float] | None = None,
        confirmed: SourceValue | None = None,
    ) -> SignalView:
        flagged = sig.id in self.customer.flagged or any(i in self.customer.flagged for i in inputs)
        return SignalView(
            id=sig.id,
            label=sig.label,
            kind="derived" if sig.derived else "attribute",
            attribute=sig.attribute,
            rank=rank,
            above_fold=above_fold,
            value=value,
            display=display,
            trust=trust,
            freshness=fresh.state,
            age_seconds=fresh.age.total_seconds() if fresh.age is not None else None,
            budget_seconds=fresh.budget.total_seconds(),
            age_text=fresh.age_text(sig.budget),
            rule=rule,
            reason=reason,
            effect=sig.effect,
            flagged=flagged,
            provenance=self._prov(provenance, value, display) if provenance else None,
            confirmed_by=confirmed,
            alternates=alternates,
            contenders=contenders,
            inputs=inputs,
            series=series,
        )

    def section(self, section: SectionSpec) -> DetailSection:
        signals = [self.signal(sig, rank, False) for rank, sig in enumerate(section.signals, 1)]
        rows: list[CollectionRow] = []
        if section.collection is not None:
            items = list(self.customer.collections.get(section.collection, []))
            if section.sort is not None:
                key = section.sort
                present = [i for i in items if i.values.get(key) is not None]
                absent = [i for i in items if i.values.get(key) is None]
                present.sort(key=lambda i: str(i.values[key]), reverse=section.descending)
                items = present + absent
            for item in items[: section.limit]:
                cells = [
                    format_value(item.values.get(c.attribute), c.format, region=self.region)
                    for c in section.columns
                ]
                rows.append(
                    CollectionRow(cells=cells, provenance=self._prov(item.provenance, None, ""))
                )
        return DetailSection(
            id=section.id,
            title=section.title,
            signals=signals,
            columns=[c.label for c in section.columns],
            rows=rows,
        )

    def _fmt(self, value: AttrValue | None, sig: SignalSpec) -> str:
        return format_value(value, sig.format, region=self.region)

    def _source(self, candidate: Candidate, sig: SignalSpec) -> SourceValue:
        return self._prov(candidate.provenance, candidate.value, self._fmt(candidate.value, sig))

    @staticmethod
    def _prov(p: Provenance, value: AttrValue | None, display: str) -> SourceValue:
        return SourceValue(
            value=value,
            display=display,
            system=p.system,
            feed=p.feed,
            record_id=p.record_id,
            observed_at=p.observed_at,
        )


def _stale_reason(fresh: Freshness, sig: SignalSpec) -> str:
    return f"stale: {fresh.age_text(sig.budget).replace(' / ', ' > ')}"


def _soft_reason(fresh: Freshness, sig: SignalSpec) -> str:
    """Words for a trusted value that is ageing or of unknown age; empty when fresh."""
    if fresh.state == "ageing":
        return f"ageing: {fresh.age_text(sig.budget).replace(' / ', ' of ')}"
    if fresh.state == "unknown":
        return f"age unknown: {fresh.reason}"
    return ""


def _text(attr: ReconciledAttribute | None) -> str:
    """An attribute's value as text: the winner, else the first contender, else empty."""
    if attr is None:
        return ""
    if attr.winner is not None:
        return str(attr.winner.value)
    return str(attr.contenders[0].value) if attr.contenders else ""


def _display_name(customer: ResolvedCustomer) -> str:
    first = _text(customer.attributes.get("first_name"))
    last = _text(customer.attributes.get("last_name"))
    name = " ".join(part for part in (first, last) if part)
    return name or _text(customer.attributes.get("company")) or customer.customer_id


# ---------------------------------------------------------------------------- queues


def in_queue(spec: ViewSpec, customer: ResolvedCustomer) -> bool:
    """Whether the customer belongs in this view's queue (always True for non-queue views)."""
    if spec.queue is None:
        return True
    for item in spec.queue.filters:
        attr = customer.attributes.get(item.attribute)
        value = attr.value if attr is not None else None
        if not compare(value, item.op, item.value):
            return False
    return True


def order_queue(spec: ViewSpec, views: Sequence[DecisionView]) -> list[DecisionView]:
    """Views in queue order: the spec's sort keys in turn, missing values last, then by id."""
    ordered = sorted(views, key=lambda v: v.customer_id)
    if spec.queue is None:
        return ordered
    for key in reversed(spec.queue.sort):
        present = [v for v in ordered if _sortable(v, key.signal) is not None]
        absent = [v for v in ordered if _sortable(v, key.signal) is None]
        present.sort(key=lambda v: _sortable(v, key.signal) or 0.0, reverse=key.order == "desc")
        ordered = present + absent
    return ordered


def queue_sort_values(
    spec: ViewSpec, customer: ResolvedCustomer, now: datetime, *, region: str = "US"
) -> list[float | None]:
    """Just the queue's sort-key values for one customer, without building the whole view.

    Cheaper than build_decision_view when ordering a large book by a derived signal (risk).
    A conflicted or missing value is None (sorted last, like order_queue does).
    """
    if spec.queue is None:
        return []
    builder = _Builder(customer, now, region)
    by_id = {s.id: s for s in spec.all_signals()}
    return [_number(builder.signal(by_id[k.signal], 1, False).value) for k in spec.queue.sort]


def _sortable(view: DecisionView, signal_id: str) -> float | None:
    return _number(view.signal(signal_id).value)


def _number(value: AttrValue | None) -> float | None:
    if isinstance(value, bool):
        return float(value)
    return float(value) if isinstance(value, int | float) else None
