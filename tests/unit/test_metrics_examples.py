"""The worked examples of docs/telemetry.md ("Metrics"), built event by event and checked.

Each test builds the documented sequence, checks the numbers, and checks that the page states
exactly the answer computed here, so the page and the code cannot drift apart.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from c360tui.metrics.compute import Metrics, metrics
from c360tui.metrics.script import START, SessionScript, layout, merged, signal

DOC = (Path(__file__).parents[2] / "docs" / "telemetry.md").read_text(encoding="utf-8")


def pct(part: int, whole: int) -> str:
    return f"{part}/{whole} = {100 * part / whole:.1f}%"


def assert_documented(answer: str) -> None:
    assert f"Answer: `{answer}`" in DOC


def open_rate_example() -> Metrics:
    sdr = SessionScript("S1", "sdr", "sdr_call_now", signals=layout(["intent"]))
    sdr.queue(0.0, ["C-1", "C-2", "C-3", "C-4"]).view(0.0, "C-1").view(0.4, "C-2")
    sdr.view(3.4, "C-3").act(3.6, "C-3", "call").view(3.7, "C-4").end(4.0)
    support = SessionScript(
        "S2", "support", "support_close_case", rep="rep-b", signals=layout(["open_sev1"])
    )
    support.search(0.0, ["C-7", "C-8"]).search(0.5, ["C-8", "C-9", "C-10"])
    support.view(2.0, "C-8", via="search").section(2.5, "C-8", "contact").end(20.0)
    return metrics(merged(sdr, support))


def test_open_rate_counts_views_up_a_second_or_acted_on_over_customers_presented() -> None:
    rates = {r.role: r for r in open_rate_example().open_rate}
    assert (rates["sdr"].opened, rates["sdr"].presented) == (2, 4)
    assert (rates["support"].opened, rates["support"].presented) == (1, 3)
    assert rates["sdr"].rate == 0.5
    assert_documented(
        f"open rate: sdr {pct(2, 4)}; support {pct(1, 3)}",
    )


def test_a_view_left_after_0_9_seconds_is_not_opened_but_one_left_after_1_second_is() -> None:
    for seconds, opened in ((0.999, 0), (1.0, 1)):
        script = SessionScript("S", "sdr", "sdr_call_now", signals=layout(["intent"]))
        script.view(0.0, "C-1").view(seconds, "C-2")
        (rate,) = metrics(script.recorded).open_rate
        assert (rate.opened, rate.presented) == (opened, 2)


def test_filtering_by_role_does_not_shorten_a_view_that_the_next_role_less_event_ends() -> None:
    script = SessionScript("S", "sdr", "sdr_call_now", signals=layout(["intent"]))
    script.view(0.0, "C-1").end(5.0)  # session_end has no role
    from c360tui.metrics.tally import Filter

    (rate,) = metrics(script.recorded, Filter(role="sdr")).open_rate
    assert (rate.opened, rate.presented) == (1, 1)


def time_to_decision_example() -> Metrics:
    sdr = SessionScript("S1", "sdr", "sdr_call_now", signals=layout(["intent"]))
    at = 0.0
    for n, ms in enumerate((1200, 2000, 3000, 4000, 60000)):
        sdr.view(at, f"C-{n}").act(at + ms / 1000, f"C-{n}", "call")
        at += ms / 1000 + 1
    support = SessionScript("S2", "support", "support_close_case", signals=layout(["open_sev1"]))
    support.view(0.0, "C-8", via="search", recommended="resolve").act(45.0, "C-8", "resolve")
    support.view(50.0, "C-9", via="search", recommended="resolve").act(65.0, "C-9", "resolve")
    return metrics(merged(sdr, support))


def test_time_to_decision_median_and_p90_are_nearest_rank_per_role_and_view() -> None:
    got = {(t.role, t.view): t for t in time_to_decision_example().time_to_decision}
    sdr, support = got[("sdr", "sdr_call_now")], got[("support", "support_close_case")]
    assert (sdr.actions, sdr.median_ms, sdr.p90_ms) == (5, 3000, 60000)
    assert (support.actions, support.median_ms, support.p90_ms) == (2, 15000, 45000)
    assert_documented(
        "time to decision: sdr/sdr_call_now n=5 median 3000 ms p90 60000 ms; "
        "support/support_close_case n=2 median 15000 ms p90 45000 ms"
    )


def override_script() -> SessionScript:
    script = SessionScript("S1", "sdr", "sdr_call_now")
    table = [
        ("call", "call", "trusted", "trusted"),
        ("call", "email", "stale", "trusted"),
        ("snooze", "snooze", "trusted", "conflicted"),
        ("call", "snooze", "stale", "conflicted"),
    ]
    for n, (recommended, action, intent, dnc) in enumerate(table):
        shown = (
            signal("intent", intent),  # type: ignore[arg-type]
            signal("do_not_contact", dnc, rank=2),  # type: ignore[arg-type]
        )
        script.view(10.0 * n, f"C-{n}", recommended=recommended, signals=shown)
        script.act(10.0 * n + 5, f"C-{n}", action)
    return script


def test_override_rate_per_view_and_per_distinct_trust_state_of_the_deciding_signals() -> None:
    got = metrics(override_script().recorded)
    (view,) = got.override_by_view
    assert (view.group, view.overrides, view.actions) == ("sdr_call_now", 2, 4)
    by_trust = {r.group: (r.overrides, r.actions) for r in got.override_by_trust}
    assert by_trust == {"trusted": (1, 3), "stale": (2, 2), "conflicted": (1, 2)}
    assert [r.group for r in got.override_by_trust] == ["trusted", "stale", "conflicted"]
    assert_documented(
        f"override rate: sdr_call_now {pct(2, 4)}; trusted {pct(1, 3)}; stale {pct(2, 2)}; "
        f"conflicted {pct(1, 2)}"
    )


def attention_script() -> SessionScript:
    shown = layout(["intent", "do_not_contact"], ["web_visits"], contact=["phone", "email"])
    script = SessionScript("S1", "sdr", "sdr_call_now", signals=shown)
    script.view(0.0, "C-1").why(2.0, "C-1", "intent").section(4.0, "C-1", "contact")
    script.flag(5.0, "C-1", "phone", "billing")
    script.view(10.0, "C-2").section(11.0, "C-2", "more-signals")
    script.expand(12.0, "C-2", "web_visits")
    script.view(20.0, "C-3").end(30.0)
    return script


def test_field_attention_counts_shown_expanded_why_flagged_and_lists_never_touched() -> None:
    got = metrics(attention_script().recorded)
    rows = {
        a.field: (a.shown, a.above_fold, a.expanded, a.why, a.flagged, a.section_opens)
        for a in got.field_attention
    }
    assert rows == {
        "do_not_contact": (3, 3, 0, 0, 0, 0),
        "email": (3, 0, 0, 0, 0, 1),
        "intent": (3, 3, 0, 1, 0, 0),
        "phone": (3, 0, 0, 0, 1, 1),
        "web_visits": (3, 0, 1, 0, 0, 1),
    }
    for name, (shown, above, expanded, why, flagged, opens) in rows.items():
        assert f"| {name} | {shown} | {above} | {expanded} | {why} | {flagged} | {opens} |" in DOC
    assert got.never_touched == (
        ("sdr_call_now", "do_not_contact"),
        ("sdr_call_now", "email"),
    )
    assert_documented("never touched: sdr_call_now/do_not_contact, sdr_call_now/email")


def test_trust_leaks_name_flags_by_field_and_source_and_overrides_on_untrusted_fields() -> None:
    script = override_script()
    phone = layout(["intent"], contact=["phone", "email"])
    stale_phone = (*phone[:1], signal("phone", "stale", section="contact"), phone[2])
    conflicted_email = (*phone[:2], signal("email", "conflicted", section="contact"))
    script.view(100.0, "C-8", signals=phone).flag(101.0, "C-8", "phone", "billing")
    script.view(110.0, "C-9", signals=stale_phone).flag(111.0, "C-9", "phone", "billing")
    script.view(120.0, "C-10", signals=phone).flag(121.0, "C-10", "phone", "crm")
    script.view(130.0, "C-11", signals=conflicted_email).flag(131.0, "C-11", "email", None)
    got = metrics(script.recorded)
    flags = [(f.field, f.source or "—", f.flags) for f in got.flag_leaks]
    assert flags == [("phone", "billing", 2), ("email", "—", 1), ("phone", "crm", 1)]
    assert got.flag_leaks[0].trust == (("stale", 1), ("trusted", 1))
    overrides = [(o.field, o.trust, o.overrides, o.actions) for o in got.override_leaks]
    assert overrides == [("intent", "stale", 2, 2), ("do_not_contact", "conflicted", 1, 2)]
    assert_documented(
        "flags: "
        + ", ".join(f"sdr_call_now/{field} {source} {n}" for field, source, n in flags)
        + "; overrides on untrusted: "
        + ", ".join(f"{f} {t} {o}/{a}" for f, t, o, a in overrides)
    )


def test_daily_series_gives_time_to_decision_and_override_rate_per_utc_day() -> None:
    day1 = SessionScript("S1", "sdr", "sdr_call_now", signals=layout(["intent"]))
    day1.view(0.0, "C-1").act(1.0, "C-1", "call").view(2.0, "C-2").act(5.0, "C-2", "email")
    day2 = SessionScript(
        "S2", "sdr", "sdr_call_now", start=START + timedelta(days=1), signals=layout(["intent"])
    )
    day2.view(0.0, "C-3").act(2.0, "C-3", "call")
    got = metrics(merged(day1, day2)).daily
    assert [(d.day, d.actions, d.median_ms, d.p90_ms, d.overrides) for d in got] == [
        ("2026-11-02", 2, 1000, 3000, 1),
        ("2026-11-03", 1, 2000, 2000, 0),
    ]
    assert_documented(
        f"daily: 2026-11-02 n=2 median 1000 ms p90 3000 ms overrides {pct(1, 2)}; "
        f"2026-11-03 n=1 median 2000 ms p90 2000 ms overrides {pct(0, 1)}"
    )


def test_actor_split_compares_agents_with_people() -> None:
    rep = SessionScript("S1", "sdr", "sdr_call_now", signals=layout(["intent"]))
    rep.view(0.0, "C-1", recommended="email").act(4.0, "C-1", "call")
    rep.view(5.0, "C-2").act(11.0, "C-2", "call")
    agent = SessionScript(
        "S2", "sdr", "sdr_call_now", actor="agent", rep="agent-1", signals=layout(["intent"])
    )
    agent.view(0.0, "C-3").act(0.05, "C-3", "call").view(1.0, "C-4").act(1.07, "C-4", "call")
    got = {a.actor: a for a in metrics(merged(rep, agent)).actors}
    summary = {
        actor: (a.opened, a.presented, a.actions, a.median_ms, a.p90_ms, a.overrides)
        for actor, a in got.items()
    }
    assert summary == {"agent": (2, 2, 2, 50, 70, 0), "rep": (2, 2, 2, 4000, 6000, 1)}
    assert got["rep"].override_rate == 0.5
    assert_documented(
        "actors: agent open 2/2 n=2 median 50 ms p90 70 ms overrides 0/2; "
        "rep open 2/2 n=2 median 4000 ms p90 6000 ms overrides 1/2"
    )


@pytest.mark.parametrize(
    ("values", "median", "p90"),
    [([], None, None), ([7], 7, 7), ([1, 2, 3, 4], 2, 4), (list(range(1, 11)), 5, 9)],
)
def test_nearest_rank_percentiles(values: list[int], median: int | None, p90: int | None) -> None:
    from collections import Counter

    from c360tui.metrics.compute import percentile

    assert (percentile(Counter(values), 50), percentile(Counter(values), 90)) == (median, p90)
