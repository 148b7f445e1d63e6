"""`c360 tune` trades places: a much-opened signal below the fold for a little-opened one above.

The metrics are built by hand (views shown, times opened per field) so every answer is known.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from c360tui.core.view_spec import ViewSpec
from c360tui.metrics.compute import FieldAttention, Metrics
from c360tui.specs_io import check_specs, load_views
from c360tui.tune import apply_plan, plan_changes
from c360tui.tune.proposals import plan_view

SPECS = Path(__file__).parents[2] / "specs"
VIEWS = 400


@pytest.fixture
def specs(tmp_path: Path) -> Path:
    directory = tmp_path / "specs"
    shutil.copytree(SPECS, directory)
    return directory


def spec(name: str) -> ViewSpec:
    return load_views(SPECS)[name]


def attention(view: ViewSpec, opened: dict[str, int], baseline: int = 2) -> Metrics:
    """Every field of `view` shown in VIEWS views; each ranked one asked why `baseline` times
    (so none counts as never touched) unless `opened` says otherwise."""
    rows = [
        FieldAttention(
            view.name,
            s.id,
            "",
            VIEWS,
            VIEWS if i < view.above_fold else 0,
            0,
            opened.get(s.id, baseline),
            0,
            0,
        )
        for i, s in enumerate(view.signals)
    ]
    rows += [
        FieldAttention(view.name, s.id, section.id, VIEWS, 0, 0, opened.get(s.id, 0), 0, 20)
        for section in view.sections
        for s in section.signals
    ]
    return Metrics((), (), (), (), tuple(rows), (), (), (), (), ())


def test_a_much_opened_signal_below_the_fold_trades_places_with_the_least_opened_above() -> None:
    sdr = spec("sdr_call_now")
    plan = plan_view(sdr, attention(sdr, {"web_visits": 120, "last_touch": 6}))
    assert [(p.kind, p.field) for p in plan.proposals] == [
        ("demote", "last_touch"),
        ("promote", "web_visits"),
    ]
    demote, promote = (p.summary for p in plan.proposals)
    assert demote == (
        "sdr_call_now: demote last_touch below the fold (opened 6 times in 400 views (1.5%), "
        "under a third of web_visits's 120 times in 400 views (30.0%))"
    )
    assert promote == (
        "sdr_call_now: promote web_visits into the fold in place of last_touch (opened 120 "
        "times in 400 views: expanded 0, why 120; 30.0% of views against last_touch's 1.5%)"
    )
    assert plan.ranked == [
        "do_not_contact",
        "intent",
        "lead_in_hours",
        "phone_valid",
        "web_visits",
        "last_touch",
        "lead_status",
    ]
    assert plan.above_fold == 5 and plan.promoted == {}
    assert plan.comments["last_touch"] == [
        "# tune: demoted: opened 6 times in 400 views (1.5%), under a third of web_visits's "
        "120 times in 400 views (30.0%)"
    ]


@pytest.mark.parametrize(
    "opened",
    [
        {"web_visits": 120, "last_touch": 40},  # 30% against exactly a third of it: 10%
        {"web_visits": 120, "last_touch": 60},  # 30% against 15%: both earn their looks
        {"web_visits": 70, "last_touch": 1},  # 17.5%: promotable, but not enough to evict
        {"web_visits": 2, "last_touch": 1},  # nobody opens either
    ],
)
def test_nothing_moves_without_a_clear_gap(opened: dict[str, int]) -> None:
    sdr = spec("sdr_call_now")
    plan = plan_view(sdr, attention(sdr, opened))
    assert plan.proposals == [] and plan.ranked == [s.id for s in sdr.signals]


def test_signals_the_recommendation_reads_or_quotes_keep_their_place() -> None:
    support = spec("support_close_case")
    # Last CSAT is opened in half the views, the five above the fold almost never; but the
    # rules read all five (and quote most): the decision rests on them.
    opened = {"last_csat": 200, **{s.id: 1 for s in support.signals[: support.above_fold]}}
    assert plan_view(support, attention(support, opened)).proposals == []


def test_a_detail_field_that_earns_no_place_above_becomes_a_ranked_signal_below() -> None:
    csm = spec("csm_at_risk")
    plan = plan_view(csm, attention(csm, {"last_login": 240}))
    ((kind, name, summary),) = [(p.kind, p.field, p.summary) for p in plan.proposals]
    assert (kind, name) == ("promote", "last_login")
    assert "from section account to a ranked signal (opened 240 times" in summary
    assert "in place of" not in summary
    assert plan.ranked[-1] == "last_login" and plan.above_fold == 5


def test_a_detail_field_can_take_the_place_and_the_tuned_specs_pass_the_check(
    specs: Path,
) -> None:
    sdr = load_views(specs)["sdr_call_now"]
    plan = plan_changes(attention(sdr, {"title": 150, "last_touch": 3}), specs)
    assert [(p.kind, p.field) for p in plan.proposals] == [
        ("demote", "last_touch"),
        ("promote", "title"),
    ]
    assert "from section contact to a ranked signal in place of last_touch" in (
        plan.proposals[1].summary
    )
    assert "+# tune: promoted: opened 150 times in 400 views" in plan.diff
    apply_plan(plan, specs)
    assert check_specs(specs) == []
    tuned = load_views(specs)["sdr_call_now"]
    ranked = [s.id for s in tuned.signals]
    assert ranked[: tuned.above_fold] == [
        "do_not_contact",
        "intent",
        "lead_in_hours",
        "phone_valid",
        "title",
    ]
    assert ranked[tuned.above_fold :] == ["last_touch", "web_visits", "lead_status"]
    assert "title" not in [s.id for s in tuned.sections[0].signals]
    assert tuned.version == "2"


def test_a_never_touched_signal_is_demoted_by_the_old_rule_and_not_traded_twice() -> None:
    sdr = spec("sdr_call_now")
    plan = plan_view(sdr, attention(sdr, {"web_visits": 120, "last_touch": 0}))
    demote, promote = plan.proposals
    assert (demote.kind, demote.field, promote.field) == ("demote", "last_touch", "web_visits")
    assert "never expanded, asked why or flagged" in demote.summary
    assert "in place of" not in promote.summary
