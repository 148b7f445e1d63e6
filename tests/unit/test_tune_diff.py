"""`c360 tune`: proposals with evidence, a minimal diff of the spec files, --apply still checks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from c360tui.cli import app
from c360tui.core.view_spec import ViewSpec
from c360tui.errors import C360Error
from c360tui.metrics.compute import Metrics, metrics
from c360tui.metrics.script import SessionScript, signal, write_events
from c360tui.specs_io import check_specs, load_views
from c360tui.tune import apply_plan, plan_changes

SPECS = Path(__file__).parents[2] / "specs"


@pytest.fixture
def specs(tmp_path: Path) -> Path:
    directory = tmp_path / "specs"
    shutil.copytree(SPECS, directory)
    return directory


def shown(spec: ViewSpec) -> tuple:
    ranked = [
        signal(s.id, rank=i + 1, above_fold=i < spec.above_fold) for i, s in enumerate(spec.signals)
    ]
    detail = [
        signal(s.id, rank=i + 1, section=section.id)
        for section in spec.sections
        for i, s in enumerate(section.signals)
    ]
    return (*ranked, *detail)


def sdr_session(specs: Path, views: int = 30) -> SessionScript:
    """An SDR who asks about web visits, intent and job title, and flags billing's phone."""
    spec = load_views(specs)["sdr_call_now"]
    script = SessionScript("S1", "sdr", "sdr_call_now", signals=shown(spec))
    for n in range(views):
        customer, at = f"C-{n}", 10.0 * n
        script.view(at, customer)
        if n % 3 == 0:
            script.why(at + 1, customer, "web_visits")
        if n % 4 == 0:
            script.why(at + 1.5, customer, "title")
        if n % 2 == 0:
            script.why(at + 1.6, customer, "intent")
            script.expand(at + 1.7, customer, "phone_valid")
        if n % 5 == 0:
            script.flag(at + 2, customer, "phone", "billing", "phone")
        script.act(at + 3, customer, "call")
    return script


def sdr_metrics(specs: Path) -> Metrics:
    return metrics(sdr_session(specs).recorded)


def test_proposals_demote_the_untouched_promote_the_opened_and_name_leaks_with_counts(
    specs: Path,
) -> None:
    plan = plan_changes(sdr_metrics(specs), specs)
    assert [(p.kind, p.field) for p in plan.proposals] == [
        ("demote", "last_touch"),
        ("promote", "web_visits"),
        ("promote", "title"),
        ("leak", "phone"),
    ]
    summaries = [p.summary for p in plan.proposals]
    assert "shown 30 times above the fold, never expanded, asked why or flagged" in summaries[0]
    assert "opened 10 times in 30 views: expanded 0, why 10" in summaries[1]
    assert "from section contact to a ranked signal" in summaries[2]
    assert "flagged wrong 6 times (billing 6)" in summaries[3]
    assert list(plan.edits) == [specs / "sdr_call_now.toml"] and plan.skipped == []


def test_signals_the_recommendation_rules_read_are_never_demoted(specs: Path) -> None:
    plan = plan_changes(sdr_metrics(specs), specs)
    demoted = {p.field for p in plan.proposals if p.kind == "demote"}
    # do_not_contact and lead_in_hours were never touched either, but the rules read them
    assert demoted == {"last_touch"}


def test_signals_the_recommendation_quotes_are_never_demoted(specs: Path) -> None:
    spec = load_views(specs)["csm_at_risk"]
    script = SessionScript("S1", "csm", "csm_at_risk", signals=shown(spec))
    for n in range(25):
        script.view(10.0 * n, f"C-{n}").act(10.0 * n + 2, f"C-{n}", "save_play")
    plan = plan_changes(metrics(script.recorded), specs)
    # Nobody touched any of the five, but the rules read four and "risk {risk}, renewal
    # {renewal}" quotes the fifth: the headline would name a signal the rep cannot see.
    assert [p for p in plan.proposals if p.view == "csm_at_risk"] == []


def test_the_diff_moves_whole_blocks_bumps_the_version_and_keeps_every_comment(
    specs: Path,
) -> None:
    plan = plan_changes(sdr_metrics(specs), specs)
    old, new = plan.edits[specs / "sdr_call_now.toml"]
    diff = plan.diff
    assert diff.startswith("--- a/sdr_call_now.toml\n+++ b/sdr_call_now.toml\n")
    assert '-version = "1"\n+version = "2"\n' in diff
    assert "+# tune: demoted: shown 30 times above the fold" in diff
    assert "+# tune: flagged wrong 6 times by source: billing 6\n" in diff
    for line in old.splitlines():
        if line.startswith(("#", "version =")) or not line.strip():
            continue
        assert line in new.splitlines()  # nothing lost: blocks move, lines stay as written
    old_comments = [line for line in old.splitlines() if line.startswith("#")]
    new_comments = [line for line in new.splitlines() if line.startswith("#")]
    assert [c for c in new_comments if not c.startswith("# tune:")] == old_comments


def test_apply_writes_the_new_order_and_the_specs_check_still_passes(specs: Path) -> None:
    untouched = {p.name: p.read_bytes() for p in specs.iterdir() if p.name != "sdr_call_now.toml"}
    plan = plan_changes(sdr_metrics(specs), specs)
    assert apply_plan(plan, specs) == [specs / "sdr_call_now.toml"]
    assert check_specs(specs) == []
    spec = load_views(specs)["sdr_call_now"]
    ranked = [s.id for s in spec.signals]
    assert ranked[: spec.above_fold] == [
        "do_not_contact",
        "intent",
        "lead_in_hours",
        "phone_valid",
        "web_visits",
    ]
    assert ranked[spec.above_fold :] == ["last_touch", "lead_status", "title"]
    assert "title" not in [s.id for s in spec.sections[0].signals]
    assert spec.version == "2"
    assert {p.name: p.read_bytes() for p in specs.iterdir() if p.name in untouched} == untouched


def test_a_demotion_with_nothing_to_promote_shrinks_the_fold(specs: Path) -> None:
    spec = load_views(specs)["sdr_call_now"]
    script = SessionScript("S1", "sdr", "sdr_call_now", signals=shown(spec))
    for n in range(25):
        script.view(10.0 * n, f"C-{n}").act(10.0 * n + 2, f"C-{n}", "call")
    plan = plan_changes(metrics(script.recorded), specs)
    (proposal,) = plan.proposals
    assert "show 4 signals above it, not 5" in proposal.summary
    apply_plan(plan, specs)
    tuned = load_views(specs)["sdr_call_now"]
    assert tuned.above_fold == 4 and tuned.signals[4].id == "last_touch"


def test_too_little_evidence_proposes_nothing(specs: Path) -> None:
    few = metrics(sdr_session(specs, views=5).recorded)  # one flag, a few opens
    plan = plan_changes(few, specs)
    assert plan.proposals == [] and plan.diff == ""


def test_fields_opened_in_only_a_small_share_of_views_are_not_promoted(specs: Path) -> None:
    script = sdr_session(specs, views=30)
    spec = load_views(specs)["sdr_call_now"]
    for n in range(30, 100):  # 70 more views where nobody opens web visits or title
        script.view(10.0 * n, f"C-{n}", signals=shown(spec)).act(10.0 * n + 3, f"C-{n}", "call")
    promoted = {
        p.field
        for p in plan_changes(metrics(script.recorded), specs).proposals
        if p.kind == "promote"
    }
    assert promoted == {"web_visits"}  # opened in 10 of 100 views; title in 8: under 10%


def test_apply_restores_every_file_when_the_tuned_specs_fail_the_check(specs: Path) -> None:
    plan = plan_changes(sdr_metrics(specs), specs)
    path = specs / "sdr_call_now.toml"
    before = path.read_bytes()
    old, new = plan.edits[path]
    plan.edits[path] = (old, new.replace("above_fold = 5", "above_fold = 50"))
    with pytest.raises(C360Error, match="fail the check"):
        apply_plan(plan, specs)
    assert path.read_bytes() == before


def test_tune_command_prints_proposals_and_diff_and_applies(specs: Path, tmp_path: Path) -> None:
    telemetry = tmp_path / "t.db"
    write_events(telemetry, sdr_session(specs).recorded)
    args = ["tune", "--telemetry", str(telemetry), "--specs", str(specs)]
    before = (specs / "sdr_call_now.toml").read_bytes()
    shown_only = CliRunner().invoke(app, args)
    assert shown_only.exit_code == 0, shown_only.output
    assert "- sdr_call_now: demote last_touch below the fold" in shown_only.output
    assert "+++ b/sdr_call_now.toml" in shown_only.output
    assert (specs / "sdr_call_now.toml").read_bytes() == before
    applied = CliRunner().invoke(app, [*args, "--apply"])
    assert applied.exit_code == 0, applied.output
    assert "specs check passes" in applied.output
    assert load_views(specs)["sdr_call_now"].version == "2"
