"""Meaning checks of a view spec: references to attributes, derived signals, sections, actions,
keys, rules and the queue; every problem is returned instead of stopping at the first."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from c360tui.core.sources_spec import AttributeSpec
from c360tui.core.view_spec import GLOBAL_KEYS, PLACEHOLDER, ViewSpec


@dataclass(frozen=True, slots=True)
class SpecIssue:
    """One problem in a spec: where (a path into the TOML) and what to do about it."""

    path: tuple[str | int, ...]
    message: str


def check_view(
    spec: ViewSpec,
    attributes: Mapping[str, AttributeSpec] | None,
    derived: Collection[str],
) -> list[SpecIssue]:
    """Every reference problem in a parsed view spec (attributes None: catalogue unavailable)."""
    issues: list[SpecIssue] = []
    ids: dict[str, tuple[str | int, ...]] = {}
    located = [(("signals", i), s) for i, s in enumerate(spec.signals)] + [
        (("sections", j, "signals", i), s)
        for j, section in enumerate(spec.sections)
        for i, s in enumerate(section.signals)
    ]
    for path, signal in located:
        if signal.id in ids:
            issues.append(SpecIssue((*path, "id"), f"repeats signal id {signal.id!r}; rename one"))
        ids.setdefault(signal.id, path)
        if signal.derived is not None and signal.derived not in derived:
            known = ", ".join(sorted(derived))
            issues.append(
                SpecIssue(
                    (*path, "derived"),
                    f"names unknown derived signal {signal.derived!r}; use one of {known}",
                )
            )
        if signal.attribute is not None and attributes is not None:
            attr = attributes.get(signal.attribute)
            if attr is None:
                issues.append(
                    SpecIssue(
                        (*path, "attribute"),
                        f"names unknown attribute {signal.attribute!r}; "
                        "add it to sources.toml or fix the name",
                    )
                )
            elif attr.collection:
                issues.append(
                    SpecIssue(
                        (*path, "attribute"),
                        f"names {signal.attribute!r}, an item of collection {attr.collection!r}; "
                        "show it as a section column or through a derived signal",
                    )
                )
    if spec.above_fold > len(spec.signals):
        issues.append(
            SpecIssue(
                ("above_fold",),
                f"is {spec.above_fold} but there are only {len(spec.signals)} signals; "
                f"set above_fold <= {len(spec.signals)}",
            )
        )
    issues += _check_sections(spec, attributes)
    issues += _check_actions(spec)
    issues += _check_rules(spec, set(ids))
    issues += _check_queue(spec, set(ids), attributes)
    return issues


def _check_sections(
    spec: ViewSpec, attributes: Mapping[str, AttributeSpec] | None
) -> list[SpecIssue]:
    issues: list[SpecIssue] = []
    section_ids: set[str] = set()
    for j, section in enumerate(spec.sections):
        if section.id in section_ids:
            issues.append(SpecIssue(("sections", j, "id"), f"repeats section id {section.id!r}"))
        section_ids.add(section.id)
        if section.collection is None:
            if section.columns:
                issues.append(
                    SpecIssue(
                        ("sections", j, "columns"),
                        'has columns but no collection; add collection = "tickets"',
                    )
                )
            continue
        if attributes is None:
            continue
        members = {n for n, a in attributes.items() if a.collection == section.collection}
        if not members:
            issues.append(
                SpecIssue(
                    ("sections", j, "collection"),
                    f"names unknown collection {section.collection!r}; declare its attributes "
                    "with collection = ... in sources.toml",
                )
            )
            continue
        for i, column in enumerate(section.columns):
            if column.attribute not in members:
                issues.append(
                    SpecIssue(
                        ("sections", j, "columns", i),
                        f"column {column.attribute!r} is not an attribute of collection "
                        f"{section.collection!r}; use one of {', '.join(sorted(members))}",
                    )
                )
        if section.sort is not None and section.sort not in members:
            issues.append(
                SpecIssue(
                    ("sections", j, "sort"),
                    f"sorts by {section.sort!r}, not an attribute of {section.collection!r}",
                )
            )
    return issues


def _check_actions(spec: ViewSpec) -> list[SpecIssue]:
    issues: list[SpecIssue] = []
    keys: dict[str, str] = {}
    action_ids: set[str] = set()
    for i, action in enumerate(spec.actions):
        if action.id in action_ids:
            issues.append(
                SpecIssue(("actions", i, "id"), f"repeats action id {action.id!r}; rename one")
            )
        action_ids.add(action.id)
        if action.key in GLOBAL_KEYS:
            issues.append(
                SpecIssue(
                    ("actions", i, "key"),
                    f"binds {action.key!r}, which every screen uses for "
                    f"{GLOBAL_KEYS[action.key]}; pick another key",
                )
            )
        elif action.key in keys:
            issues.append(
                SpecIssue(
                    ("actions", i, "key"),
                    f"binds {action.key!r}, already bound to action {keys[action.key]!r}; "
                    "pick another key",
                )
            )
        keys.setdefault(action.key, action.id)
    primaries = [a.id for a in spec.actions if a.primary]
    if len(primaries) != 1:
        issues.append(
            SpecIssue(
                ("actions",),
                f"has {len(primaries)} primary actions ({', '.join(primaries) or 'none'}); "
                "mark exactly one with primary = true",
            )
        )
    return issues


def _check_rules(spec: ViewSpec, signal_ids: set[str]) -> list[SpecIssue]:
    issues: list[SpecIssue] = []
    action_ids = {a.id for a in spec.actions}
    known = ", ".join(sorted(action_ids))
    rec = spec.recommendation
    if rec.default_action not in action_ids:
        issues.append(
            SpecIssue(
                ("recommendation", "default_action"),
                f"names unknown action {rec.default_action!r}; use one of {known}",
            )
        )
    for name in PLACEHOLDER.findall(rec.default_reason):
        if name not in signal_ids:
            issues.append(
                SpecIssue(("recommendation", "default_reason"), f"uses {{{name}}}, not a signal id")
            )
    for r, rule in enumerate(rec.rules):
        path: tuple[str | int, ...] = ("recommendation", "rules", r)
        if rule.action not in action_ids:
            issues.append(
                SpecIssue(
                    (*path, "action"), f"names unknown action {rule.action!r}; use one of {known}"
                )
            )
        for c, condition in enumerate(rule.when):
            if condition.signal not in signal_ids:
                issues.append(
                    SpecIssue(
                        (*path, "when", c),
                        f"tests unknown signal {condition.signal!r}; use a signal id of this view",
                    )
                )
        for name in PLACEHOLDER.findall(rule.reason):
            if name not in signal_ids:
                issues.append(
                    SpecIssue((*path, "reason"), f"uses {{{name}}}, not a signal id of this view")
                )
    return issues


def _check_queue(
    spec: ViewSpec, signal_ids: set[str], attributes: Mapping[str, AttributeSpec] | None
) -> list[SpecIssue]:
    if spec.queue is None:
        return []
    issues: list[SpecIssue] = []
    for i, item in enumerate(spec.queue.filters):
        if attributes is not None and item.attribute not in attributes:
            issues.append(
                SpecIssue(
                    ("queue", "filters", i), f"filters on unknown attribute {item.attribute!r}"
                )
            )
        if item.op in ("present", "absent"):
            continue
        if item.value is None:
            issues.append(SpecIssue(("queue", "filters", i), f"op {item.op!r} needs a value"))
        elif (item.op in ("in", "not_in")) != isinstance(item.value, list):
            issues.append(
                SpecIssue(("queue", "filters", i), f"op {item.op!r} and value do not fit together")
            )
    for i, key in enumerate(spec.queue.sort):
        if key.signal not in signal_ids:
            issues.append(
                SpecIssue(("queue", "sort", i), f"sorts by unknown signal {key.signal!r}")
            )
    return issues
