"""The replay model: the sessions list, and a session's steps with the view as the rep saw it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from c360tui.metrics.fast import session_summaries
from c360tui.metrics.replay import describe, sessions, steps
from c360tui.metrics.script import START, SessionScript, layout, merged, signal, write_events
from c360tui.telemetry.reader import open_reader


def sdr_morning() -> SessionScript:
    shown = (
        signal("intent", "stale", freshness="stale"),
        signal("do_not_contact", rank=2),
        signal("phone", "conflicted", section="contact"),
    )
    script = SessionScript("S1", "sdr", "sdr_call_now", rep="rep-a", signals=shown)
    script.begin(0.0).screen(0.2, "sdr").queue(0.3, ["C-1", "C-2"])
    script.view(0.5, "C-1").section(2.0, "C-1", "contact").flag(3.5, "C-1", "phone", "billing")
    script.why(4.0, "C-1", "intent").act(9.5, "C-1", "email")
    script.view(9.6, "C-2", signals=layout(["intent", "do_not_contact"])).act(12.0, "C-2", "call")
    return script.end(13.0)


def test_sessions_list_rep_role_start_length_customers_actions_overrides() -> None:
    support = SessionScript(
        "S2", "support", "support_close_case", rep="rep-b", start=START + timedelta(hours=1)
    )
    support.search(0.0, ["C-7"]).view(1.0, "C-7", via="search", signals=layout(["tier"]))
    support.end(61.0)
    got = sessions(merged(support, sdr_morning()))
    assert [(s.session_id, s.rep, s.role) for s in got] == [
        ("S1", "rep-a", "sdr"),
        ("S2", "rep-b", "support"),
    ]
    first = got[0]
    assert first.start == START and first.seconds == 13.0
    assert (first.customers, first.actions, first.overrides, first.events) == (2, 2, 1, 11)
    assert (got[1].seconds, got[1].customers, got[1].actions) == (61.0, 1, 0)


def test_steps_show_the_recorded_view_and_what_the_rep_did_to_it_with_gaps() -> None:
    got = steps(sdr_morning().recorded)
    assert [s.type for s in got][:4] == [
        "session_start",
        "screen_opened",
        "queue_presented",
        "view_opened",
    ]
    assert [s.gap_ms for s in got][:5] == [0, 200, 100, 200, 1500]
    opened = got[3]
    assert opened.view is not None and opened.view.customer_id == "C-1"
    assert [(s.id, s.trust, s.freshness) for s in opened.view.above_fold] == [
        ("intent", "stale", "stale"),
        ("do_not_contact", "trusted", "fresh"),
    ]
    section, flag, why, action = got[4:8]
    assert section.target == "contact" and section.view is not None
    assert section.view.open_sections == {"contact"} and opened.view.open_sections == frozenset()
    assert flag.target == "phone" and flag.view is not None and flag.view.flagged == {"phone"}
    assert why.target == "intent" and describe(why) == "provenance opened: intent (stale) C-1"
    assert (action.action, action.recommended_action, action.override) == ("email", "call", True)
    assert action.ms_since_view == 9000 and action.offset_ms == 9500
    assert describe(action) == "email C-1 (overrode call, 9000 ms after the view opened)"
    assert got[8].view is not None and got[8].view.flagged == frozenset()  # a new view, as shown
    assert got[-1].type == "session_end" and got[-1].view is None


def test_a_search_or_a_new_screen_takes_the_view_off_screen_but_a_modal_does_not() -> None:
    script = SessionScript("S", "support", "support_close_case", signals=layout(["tier"]))
    script.view(0.0, "C-1", via="search").screen(1.0, "help").screen(2.0, "identity")
    script.search(3.0, ["C-2"]).view(4.0, "C-2", via="search").screen(5.0, "launcher")
    views = [s.view.customer_id if s.view else None for s in steps(script.recorded)]
    assert views == ["C-1", "C-1", "C-1", None, "C-2", None]


def test_steps_follow_seq_even_when_given_out_of_order() -> None:
    events = sdr_morning().recorded
    assert [s.seq for s in steps(list(reversed(events)))] == sorted(r.seq for r in events)
    assert steps([]) == []


def test_the_sql_sessions_list_of_a_file_equals_the_pure_one(tmp_path: Path) -> None:
    support = SessionScript("S2", "support", "support_close_case", rep="rep-b")
    support.search(0.0, ["C-7"]).view(1.0, "C-7", via="search", signals=layout(["tier"]))
    support.act(3.0, "C-7", "resolve").end(61.0)
    events = merged(support, sdr_morning())
    path = tmp_path / "t.db"
    write_events(path, events)
    with open_reader(path) as reader:
        assert session_summaries(reader) == sessions(events)
        assert session_summaries(reader, since=START + timedelta(days=1)) == []
