"""`c360 specs check`: each kind of spec mistake is reported with file, line, key and a fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from c360tui.cli import app
from c360tui.specs_io import check_specs

BUNDLED = Path(__file__).resolve().parents[2] / "specs"


@pytest.fixture()
def specs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the bundled specs, with the working directory above it."""
    target = tmp_path / "specs"
    shutil.copytree(BUNDLED, target)
    monkeypatch.chdir(tmp_path)
    return target


def edit(path: Path, old: str, new: str) -> str:
    text = path.read_text()
    assert old in text, f"fixture text not found: {old!r}"
    text = text.replace(old, new, 1)
    path.write_text(text)
    return text


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    hits = [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == needle]
    return hits[occurrence - 1]


def messages(specs: Path) -> list[str]:
    return [str(p) for p in check_specs(specs)]


def test_bundled_specs_are_clean() -> None:
    assert check_specs(BUNDLED) == []


def test_signal_without_budget(specs: Path) -> None:
    text = edit(
        specs / "sdr_call_now.toml",
        'attribute = "intent_score"\nbudget = "24h"\n',
        'attribute = "intent_score"\n',
    )
    line = line_of(text, "[[signals]]", 2)
    assert messages(specs) == [
        f"specs/sdr_call_now.toml:{line}: signals[2] (intent) has no freshness budget; "
        'add budget = "24h" (or 7d, 90d)'
    ]


def test_view_without_decision_sentence(specs: Path) -> None:
    edit(specs / "csm_at_risk.toml", 'decision = "Is this account at risk?"\n', "")
    assert messages(specs) == [
        "specs/csm_at_risk.toml:1: the spec has no decision sentence; "
        'add decision = "Should I ...?" in one sentence'
    ]


def test_empty_decision_sentence(specs: Path) -> None:
    text = edit(
        specs / "csm_at_risk.toml", 'decision = "Is this account at risk?"', 'decision = ""'
    )
    line = line_of(text, 'decision = ""')
    assert messages(specs) == [
        f"specs/csm_at_risk.toml:{line}: the spec has no decision sentence; "
        'add decision = "Should I ...?" in one sentence'
    ]


def test_action_without_key(specs: Path) -> None:
    text = edit(
        specs / "support_close_case.toml", 'id = "escalate"\nkey = "x"\n', 'id = "escalate"\n'
    )
    line = line_of(text, "[[actions]]", 1)
    assert messages(specs) == [
        f"specs/support_close_case.toml:{line}: actions[1] (escalate) has no key; "
        'add key = "x" (one key, not used by another action)'
    ]


def test_unknown_attribute(specs: Path) -> None:
    text = edit(specs / "support_close_case.toml", 'attribute = "plan"', 'attribute = "tier_name"')
    line = line_of(text, 'attribute = "tier_name"')
    assert messages(specs) == [
        f"specs/support_close_case.toml:{line}: signals[3].attribute (tier) names unknown "
        "attribute 'tier_name'; add it to sources.toml or fix the name"
    ]


def test_unknown_derived_signal(specs: Path) -> None:
    text = edit(specs / "csm_at_risk.toml", 'derived = "risk_score"', 'derived = "doom"')
    line = line_of(text, 'derived = "doom"')
    [problem] = messages(specs)
    assert problem.startswith(
        f"specs/csm_at_risk.toml:{line}: signals[1].derived (risk) names unknown derived "
        "signal 'doom'; use one of "
    )
    assert "risk_score" in problem


def test_duplicate_key_binding(specs: Path) -> None:
    text = edit(specs / "sdr_call_now.toml", 'key = "s"', 'key = "e"')
    line = line_of(text, 'key = "e"', 2)
    assert messages(specs) == [
        f"specs/sdr_call_now.toml:{line}: actions[3].key (snooze) binds 'e', already bound to "
        "action 'email'; pick another key"
    ]


@pytest.mark.parametrize("key", ["w", "!", "?", "q", "i", "/"])
def test_key_taken_by_every_screen(specs: Path, key: str) -> None:
    edit(specs / "csm_at_risk.toml", 'key = "h"', f'key = "{key}"')
    [problem] = messages(specs)
    assert f"actions[2].key (mark_healthy) binds '{key}', which every screen uses for" in problem
    assert problem.endswith("; pick another key")


def test_unknown_action_in_rule(specs: Path) -> None:
    text = edit(
        specs / "csm_at_risk.toml",
        'action = "save_play"\nreason = "usage',
        'action = "panic"\nreason = "usage',
    )
    line = line_of(text, 'action = "panic"')
    assert messages(specs) == [
        f"specs/csm_at_risk.toml:{line}: recommendation.rules[3].action names unknown action "
        "'panic'; use one of mark_healthy, save_play"
    ]


def test_unknown_signal_in_condition(specs: Path) -> None:
    text = edit(
        specs / "sdr_call_now.toml",
        '{ signal = "intent", op = ">=", value = 70 },',
        '{ signal = "intnet", op = ">=", value = 70 },',
    )
    [problem] = messages(specs)
    assert problem.startswith(f"specs/sdr_call_now.toml:{line_of(text, 'when = [', 1)}")
    assert "recommendation.rules[4].when[1] (intnet) tests unknown signal 'intnet'" in problem


def test_condition_is_structured_not_a_string(specs: Path) -> None:
    edit(
        specs / "sdr_call_now.toml",
        'when = [{ signal = "phone_valid", op = "==", value = false }]',
        'when = ["phone_valid == false"]',
    )
    [problem] = messages(specs)
    assert "recommendation.rules[3].when[1]" in problem


def test_bad_budget_and_extra_key(specs: Path) -> None:
    edit(specs / "sdr_call_now.toml", 'budget = "24h"', 'budget = "a day"\ncolour = "red"')
    found = messages(specs)
    assert len(found) == 2
    assert any("signals[2].budget (intent)" in p and "is not a duration" in p for p in found)
    assert any("signals[2].colour (intent) is not a known setting" in p for p in found)


def test_invalid_toml_names_the_line(specs: Path) -> None:
    text = edit(specs / "sdr_call_now.toml", 'label = "Intent score"', 'label = "Intent score')
    line = line_of(text, 'label = "Intent score')
    [problem] = messages(specs)
    assert problem.startswith(f"specs/sdr_call_now.toml:{line}: is not valid TOML")


def test_identity_field_outside_catalogue(specs: Path) -> None:
    text = edit(
        specs / "identity.toml", 'national_id = "id"\n', 'national_id = "id"\npassport = "id"\n'
    )
    line = line_of(text, 'passport = "id"')
    assert messages(specs) == [
        f"specs/identity.toml:{line}: fields.passport reads attribute 'passport', which "
        "sources.toml does not define; add it there or remove this field"
    ]


def test_sources_problem_names_its_key(specs: Path) -> None:
    text = edit(
        specs / "sources.toml", 'conflict_window = "3650d"', 'conflict_window = "ten years"'
    )
    line = line_of(text, 'conflict_window = "ten years"')
    [problem] = messages(specs)
    assert problem.startswith(
        f"specs/sources.toml:{line}: attributes.do_not_contact.conflict_window"
    )


def test_cli_exit_codes(specs: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(app, ["specs", "check", str(specs)])
    assert ok.exit_code == 0
    assert ok.stdout.strip() == "5 specs OK"
    edit(specs / "sdr_call_now.toml", 'key = "s"', 'key = "e"')
    bad = runner.invoke(app, ["specs", "check", str(specs)])
    assert bad.exit_code == 1
    assert "already bound to action 'email'" in bad.stdout
