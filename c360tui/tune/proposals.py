"""What the telemetry suggests changing in one view spec: pure, from metrics and the parsed spec.

- **demote**: a ranked signal above the fold, shown at least `min_shown` times and never expanded,
  asked why about or flagged, moves just below the fold. Signals the recommendation rules read
  or its reasons quote are kept: they decide the case, and the headline names them, whether or
  not anyone clicks them.
- **promote**: the signals below the fold people open most (expanded or asked why about, at
  least `min_opens` times and in at least 10% of the views that showed them; ranked ones or
  detail-section fields) take the freed places; a detail
  field that earns its place becomes a ranked signal. A demotion with no field to take its place
  shrinks the fold. Flags do not promote: a value flagged wrong is a trust leak, not interest.
- **trade places**: a signal below the fold (ranked, or a detail field) opened in at least
  `SWAP_SHARE` of the views that showed it takes the place of the least-opened signal above the
  fold that the recommendation neither reads nor quotes, when that one's open share is under
  a third of the challenger's (`SWAP_RATIO`) and it was shown at least `min_shown` times; the
  incumbent moves to just below the fold. Strongest challenger against weakest incumbent first,
  while the ratio holds. The ratio is also the hysteresis: the next tune moves it back only if
  the demoted signal is then opened three times as often as the one that replaced it.
- **trust leak**: a field flagged wrong at least twice, or overridden at least 3 times and in at
  least a quarter of the actions taken while it was untrusted, gets a comment naming the counts
  and the source systems, for the data owner.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from c360tui.core.view_spec import ViewSpec
from c360tui.metrics.compute import FieldAttention, FlagLeak, Metrics, OverrideLeak

MIN_SHOWN = 20
MIN_OPENS = 3
MIN_OPEN_SHARE = 0.10  # opened in at least this share of the views that showed it
MIN_FLAGS = 2
MIN_OVERRIDES = 3
MIN_OVERRIDE_SHARE = 0.25
SWAP_SHARE = 2 * MIN_OPEN_SHARE  # a challenger is opened in at least this share of its views
SWAP_RATIO = 3  # ...and at least this many times as often (by share) as the signal it replaces


@dataclass(frozen=True, slots=True)
class Proposal:
    """One proposed change with its evidence, as a sentence for the lead."""

    view: str
    kind: str  # demote | promote | leak
    field: str
    summary: str


@dataclass(slots=True)
class ViewPlan:
    """The target shape of one view spec: ranked order, fold, fields promoted, comments."""

    view: str
    ranked: list[str]
    above_fold: int
    promoted: dict[str, str] = field(default_factory=dict)  # detail field -> its old section
    comments: dict[str, list[str]] = field(default_factory=dict)  # field -> "# tune: ..." lines
    proposals: list[Proposal] = field(default_factory=list)

    @property
    def changes_layout(self) -> bool:
        return any(p.kind != "leak" for p in self.proposals)


def opens(a: FieldAttention) -> int:
    """How often people opened a field's detail: expanded it or asked why."""
    return a.expanded + a.why


def share(a: FieldAttention) -> float:
    """The share of the views that showed a field in which someone opened it."""
    return opens(a) / a.shown if a.shown else 0.0


def _counts(a: FieldAttention) -> str:
    return f"{opens(a)} times in {a.shown} views ({share(a):.1%})"


def _note(plan: ViewPlan, kind: str, name: str, summary: str, evidence: str) -> None:
    """Record a proposal and put its evidence beside the field in the diff."""
    plan.proposals.append(Proposal(plan.view, kind, name, f"{plan.view}: {summary} ({evidence})"))
    plan.comments.setdefault(name, []).append(f"# tune: {kind}d: {evidence}")


def plan_view(
    spec: ViewSpec,
    metrics: Metrics,
    *,
    min_shown: int = MIN_SHOWN,
    min_opens: int = MIN_OPENS,
) -> ViewPlan:
    """The changes the metrics support for one view spec (no change: an empty plan)."""
    attention = {a.field: a for a in metrics.field_attention if a.view == spec.name}
    ranked = [s.id for s in spec.signals]
    plan = ViewPlan(spec.name, list(ranked), spec.above_fold)
    kept = set(spec.rule_signals()) | set(spec.quoted_signals())
    demote = [
        s
        for s in ranked[: spec.above_fold]
        if s not in kept
        and (a := attention.get(s)) is not None
        and a.above_fold >= min_shown
        and a.touched == 0
    ]
    section_of = {s.id: section.id for section in spec.sections for s in section.signals}
    below = ranked[spec.above_fold :] + list(section_of)
    candidates = sorted(
        (
            s
            for s in below
            if (a := attention.get(s)) is not None
            and opens(a) >= min_opens
            and opens(a) >= MIN_OPEN_SHARE * a.shown
        ),
        key=lambda s: (-opens(attention[s]), s in section_of, s),
    )
    order = list(ranked)
    for name in reversed(demote):  # the lowest-placed demotion first, so places stay put
        a = attention[name]
        evidence = (
            f"shown {a.above_fold} times above the fold, never expanded, asked why or flagged"
        )
        order.remove(name)
        if candidates:
            incoming = candidates.pop(0)
            if incoming in order:
                order.remove(incoming)
            order.insert(ranked.index(name), incoming)
            order.insert(plan.above_fold, name)
            _note(plan, "demote", name, f"demote {name} below the fold", evidence)
            _promote(plan, incoming, attention[incoming], section_of)
        elif plan.above_fold > 1:
            plan.above_fold -= 1
            order.insert(plan.above_fold, name)
            summary = (
                f"demote {name} below the fold and show {plan.above_fold} signals above it, "
                f"not {plan.above_fold + 1}"
            )
            _note(plan, "demote", name, summary, evidence)
        else:
            order.insert(ranked.index(name), name)
    placed = {p.field for p in plan.proposals if p.kind == "promote"}
    _trade_places(plan, order, kept | placed, attention, candidates, section_of, min_shown)
    for name in candidates:  # detail fields still earning a place become ranked, below the fold
        if name in section_of and name not in plan.promoted:
            order.append(name)
            _promote(plan, name, attention[name], section_of)
    plan.ranked = order
    _leak_comments(plan, metrics.flag_leaks, metrics.override_leaks, set(ranked) | set(section_of))
    return plan


def _trade_places(
    plan: ViewPlan,
    order: list[str],
    stay: set[str],
    attention: dict[str, FieldAttention],
    candidates: list[str],
    section_of: dict[str, str],
    min_shown: int,
) -> None:
    """Swap the most-opened signals below the fold with the least-opened ones above it.

    `order` and `candidates` are updated in place; `stay` holds the signals above the fold that
    must not move (read or quoted by the recommendation, or just promoted).
    """
    challengers = sorted(
        (s for s in candidates if share(attention[s]) >= SWAP_SHARE),
        key=lambda s: (-share(attention[s]), s in section_of, s),
    )
    incumbents = sorted(
        (
            s
            for s in order[: plan.above_fold]
            if s not in stay and (a := attention.get(s)) is not None and a.above_fold >= min_shown
        ),
        key=lambda s: (share(attention[s]), -order.index(s)),  # the lowest-placed on a tie
    )
    for challenger, incumbent in zip(challengers, incumbents, strict=False):
        c, i = attention[challenger], attention[incumbent]
        if share(i) * SWAP_RATIO >= share(c):
            break  # the next pairs are closer still
        if challenger in order:  # a ranked signal below the fold: after the incumbent
            order.remove(challenger)
        order[order.index(incumbent)] = challenger
        order.insert(plan.above_fold, incumbent)
        candidates.remove(challenger)
        evidence = f"opened {_counts(i)}, under a third of {challenger}'s {_counts(c)}"
        _note(plan, "demote", incumbent, f"demote {incumbent} below the fold", evidence)
        _promote(plan, challenger, c, section_of, instead=(incumbent, i))


def _promote(
    plan: ViewPlan,
    name: str,
    a: FieldAttention,
    section_of: dict[str, str],
    instead: tuple[str, FieldAttention] | None = None,
) -> None:
    evidence = f"opened {opens(a)} times in {a.shown} views: expanded {a.expanded}, why {a.why}"
    if name in section_of:
        plan.promoted[name] = section_of[name]
        where = f"from section {section_of[name]} to a ranked signal"
        evidence += f"; section {section_of[name]} opened {a.section_opens} times"
    else:
        where = "into the fold"
    if instead is not None:
        where += f" in place of {instead[0]}"
        evidence += f"; {share(a):.1%} of views against {instead[0]}'s {share(instead[1]):.1%}"
    _note(plan, "promote", name, f"promote {name} {where}", evidence)


def _leak_comments(
    plan: ViewPlan,
    flags: Iterable[FlagLeak],
    overrides: Iterable[OverrideLeak],
    known: set[str],
) -> None:
    """A comment on each field with flags or untrusted overrides, naming counts and sources."""
    flagged: dict[str, list[FlagLeak]] = {}
    for leak in flags:
        if leak.view == plan.view and leak.field in known:
            flagged.setdefault(leak.field, []).append(leak)
    flagged = {k: v for k, v in flagged.items() if sum(f.flags for f in v) >= MIN_FLAGS}
    overridden: dict[str, list[OverrideLeak]] = {}
    for o in overrides:
        rate = o.rate or 0.0
        if (
            o.view == plan.view
            and o.field in known
            and o.overrides >= MIN_OVERRIDES
            and (rate >= MIN_OVERRIDE_SHARE)
        ):
            overridden.setdefault(o.field, []).append(o)
    for name in sorted(set(flagged) | set(overridden)):
        lines = []
        parts = []
        if name in flagged:
            total = sum(f.flags for f in flagged[name])
            sources = ", ".join(
                f"{f.source or 'no single source'} {f.flags}" for f in flagged[name]
            )
            lines.append(f"# tune: flagged wrong {total} times by source: {sources}")
            parts.append(f"flagged wrong {total} times ({sources})")
        for o in overridden.get(name, []):
            lines.append(
                f"# tune: {o.overrides} of {o.actions} actions overrode the recommendation "
                f"while {name} was {o.trust}"
            )
            parts.append(f"{o.overrides}/{o.actions} overrides while {o.trust}")
        plan.comments.setdefault(name, []).extend(lines)
        plan.proposals.append(
            Proposal(
                plan.view,
                "leak",
                name,
                f"{plan.view}: trust leak on {name} for its data owner: {'; '.join(parts)}",
            )
        )
