"""The README's "A session on the sample data" works as written, so its example cannot rot."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from c360tui.cli import app

ROOT = Path(__file__).resolve().parents[2]


def readme_session() -> list[list[str]]:
    """The commands of the README's sample-data session, split as a shell would."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"A session on the sample data:\n\n```sh\n(.*?)```", text, re.S)
    assert block, "the README has no sample-data session"
    return [shlex.split(line) for line in block.group(1).splitlines() if line.strip()]


def test_every_command_of_the_readme_session_works_on_the_sample_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("C360_DB", str(tmp_path / "c360.db"))
    outputs: dict[str, str] = {}
    for command in readme_session():
        assert command[0] == "c360"
        result = CliRunner().invoke(app, command[1:], env={"COLUMNS": "200"})
        assert result.exit_code == 0, f"{shlex.join(command)}: {result.output}"
        outputs[command[1]] = result.output
    assert "No customer matches" not in outputs["search"]
    view = json.loads(outputs["profile"])
    assert view["view"] == "support_close_case"
    # The example is chosen to show honesty: a conflicted phone and a verdict with its reasons.
    shown = [s for section in view["sections"] for s in section["signals"]]
    assert any(s["id"] == "phone" and s["trust"] == "conflicted" for s in shown)
    assert view["agent"]["ready"] is False and view["agent"]["reasons"]
