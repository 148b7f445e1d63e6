"""The SQL tally of a file agrees with the pure reference, with and without filters."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pytest

from c360tui.metrics.compute import metrics
from c360tui.metrics.loader import load_events, load_tally
from c360tui.metrics.script import START, SessionScript, layout, merged, signal, write_events
from c360tui.metrics.tally import Filter, tally_events
from c360tui.telemetry.reader import open_reader

VIEWS = {
    "sdr": ("sdr_call_now", ["intent", "do_not_contact", "lead_in_hours"], ["web_visits"]),
    "support": ("support_close_case", ["open_sev1", "tier"], ["sla"]),
    "csm": ("csm_at_risk", ["churn_flag", "usage_trend"], ["nps"]),
}
TRUSTS = ["trusted", "trusted", "trusted", "stale", "conflicted", "missing", "unverified"]


def random_session(rng: random.Random, number: int) -> SessionScript:
    """A session of plausible shape: searches or a queue, views, touches and actions."""
    role = rng.choice(sorted(VIEWS))
    view, above, below = VIEWS[role]
    script = SessionScript(
        f"S{number}",
        role,
        view,
        rep=f"rep-{rng.randint(1, 3)}",
        actor=rng.choice(["rep", "rep", "agent"]),
        start=START + timedelta(days=rng.randint(0, 4), hours=rng.randint(0, 8)),
        signals=layout(above, below, contact=["phone", "email"]),
    )
    at = 0.0
    script.begin(at)
    customers = [f"C-{rng.randint(1, 40)}" for _ in range(rng.randint(1, 6))]
    if role != "support":
        script.queue(at, customers)
    for customer in customers:
        if role == "support":
            for _ in range(rng.randint(1, 3)):
                at += rng.uniform(0.1, 0.6)
                script.search(at, rng.sample([customer, "C-90", "C-91", "C-92"], rng.randint(1, 4)))
        at += rng.uniform(0.05, 2.0)
        shown = tuple(
            signal(
                s.id, rng.choice(TRUSTS), rank=s.rank, above_fold=s.above_fold, section=s.section
            )  # type: ignore[arg-type]
            for s in script.signals
        )
        script.view(at, customer, via="search" if role == "support" else "queue", signals=shown)
        for _ in range(rng.randint(0, 3)):
            at += rng.uniform(0.1, 3.0)
            kind = rng.choice(["why", "expand", "section", "flag"])
            target = rng.choice([*above, *below, "phone", "email"])
            if kind == "why":
                script.why(at, customer, target)
            elif kind == "expand":
                script.expand(at, customer, target)
            elif kind == "section":
                script.section(at, customer, "contact")
            else:
                script.flag(at, customer, target, rng.choice(["crm", "billing", None]))
        if rng.random() < 0.7:
            at += rng.uniform(0.2, 20.0)
            script.act(at, customer, rng.choice(["call", "email", "snooze"]))
    if rng.random() < 0.8:
        script.end(at + rng.uniform(0.1, 5.0))
    return script


@pytest.fixture(scope="module")
def fixture_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], list]:
    rng = random.Random(20261102)
    sessions = [random_session(rng, n) for n in range(60)]
    directory = tmp_path_factory.mktemp("telemetry")
    paths = [directory / "rep-a.db", directory / "rep-b.db"]
    write_events(paths[0], merged(*sessions[:30]))
    write_events(paths[1], merged(*sessions[30:]))
    return paths, merged(*sessions)


@pytest.mark.parametrize(
    "only",
    [
        Filter(),
        Filter(role="sdr"),
        Filter(role="support"),
        Filter(actor="agent"),
        Filter(rep="rep-2"),
    ],
    ids=["all", "sdr", "support", "agent", "rep-2"],
)
def test_sql_tally_of_files_equals_the_pure_tally_of_their_events(
    fixture_files: tuple[list[Path], list], only: Filter
) -> None:
    paths, events = fixture_files
    expected = tally_events(events, only)
    assert expected.actions and expected.presented  # the fixture exercises every count
    assert load_tally(paths, only=only, use_cache=False) == expected
    assert tally_events(load_events(paths), only) == expected


def test_since_keeps_events_from_that_utc_midnight_in_both_paths(
    fixture_files: tuple[list[Path], list],
) -> None:
    paths, events = fixture_files
    since = date(2026, 11, 4)
    kept = [r for r in events if r.wall_time.date() >= since]
    assert 0 < len(kept) < len(events)
    assert load_tally(paths, since=since, use_cache=False) == tally_events(kept)
    assert metrics(load_events(paths, since=since)) == metrics(kept)


def test_reading_for_metrics_leaves_the_files_byte_for_byte_unchanged(
    fixture_files: tuple[list[Path], list],
) -> None:
    paths, _ = fixture_files
    before = [p.read_bytes() for p in paths]
    load_tally(paths)
    load_events(paths)
    assert [p.read_bytes() for p in paths] == before
    with open_reader(paths[0]) as reader:
        assert reader.connection.execute("PRAGMA query_only").fetchone() == (1,)
