"""`c360 tune`: spec changes the telemetry supports, as a unified diff of the view spec files.

`plan_changes` reads the specs directory and proposes (c360tui.tune.proposals), edits each file's
text minimally (c360tui.tune.toml_edit) and checks that the edited text parses to exactly the
planned spec; `apply_plan` writes the files and runs `check_specs`, restoring the originals if
anything fails.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from c360tui.core.view_spec import ViewSpec
from c360tui.errors import C360Error
from c360tui.metrics.compute import Metrics
from c360tui.specs_io import IDENTITY_FILE, SOURCES_FILE, check_specs, load_views, spec_files
from c360tui.tune.proposals import MIN_OPENS, MIN_SHOWN, Proposal, ViewPlan, plan_view
from c360tui.tune.toml_edit import edit

__all__ = ["Plan", "Proposal", "apply_plan", "plan_changes"]


@dataclass(slots=True)
class Plan:
    """Every proposal, the new text of each spec file that changes, and the diff."""

    proposals: list[Proposal] = field(default_factory=list)
    edits: dict[Path, tuple[str, str]] = field(default_factory=dict)  # path -> (old, new)
    skipped: list[str] = field(default_factory=list)  # files that could not be edited by lines

    @property
    def diff(self) -> str:
        chunks: list[str] = []
        for path, (old, new) in self.edits.items():
            chunks.extend(
                difflib.unified_diff(
                    old.splitlines(keepends=True),
                    new.splitlines(keepends=True),
                    fromfile=f"a/{path.name}",
                    tofile=f"b/{path.name}",
                )
            )
        return "".join(chunks)


def _matches(new: ViewSpec, old: ViewSpec, plan: ViewPlan) -> bool:
    """True when the edited spec is the old one with exactly the planned changes."""
    moved = {s.id: s for section in old.sections for s in section.signals}
    moved.update({s.id: s for s in old.signals})
    expected_sections = [
        section.model_copy(
            update={"signals": [s for s in section.signals if s.id not in plan.promoted]}
        )
        for section in old.sections
    ]
    expected = old.model_copy(
        update={
            "signals": [moved[name] for name in plan.ranked],
            "sections": expected_sections,
            "above_fold": plan.above_fold,
            "version": new.version,
        }
    )
    return new == expected and (new.version != old.version) == plan.changes_layout


def plan_changes(
    metrics: Metrics,
    directory: Path,
    *,
    min_shown: int = MIN_SHOWN,
    min_opens: int = MIN_OPENS,
) -> Plan:
    """Proposals and edited texts for every view spec in `directory` (valid specs required)."""
    load_views(directory)  # one sentence if the specs have a problem: tune never edits broken specs
    plan = Plan()
    views = [p for p in spec_files(directory) if p.name not in (SOURCES_FILE, IDENTITY_FILE)]
    for path in views:
        text = path.read_text(encoding="utf-8")
        spec = ViewSpec.model_validate(tomllib.loads(text))
        view_plan = plan_view(spec, metrics, min_shown=min_shown, min_opens=min_opens)
        if not view_plan.proposals:
            continue
        plan.proposals.extend(view_plan.proposals)
        try:
            new_text = edit(text, view_plan, spec.version)
            ok = _matches(ViewSpec.model_validate(tomllib.loads(new_text)), spec, view_plan)
        except (ValueError, ValidationError, tomllib.TOMLDecodeError):
            ok = False
        if ok:
            plan.edits[path] = (text, new_text)
        else:
            plan.skipped.append(path.name)
    return plan


def apply_plan(plan: Plan, directory: Path) -> list[Path]:
    """Write the edited spec files; if `check_specs` then finds a problem, restore them all."""
    written: list[Path] = []
    try:
        for path, (_, new) in plan.edits.items():
            temporary = path.with_name(f".{path.name}.tune")
            temporary.write_text(new, encoding="utf-8")
            os.replace(temporary, path)
            written.append(path)
        problems = check_specs(directory)
    except OSError as error:
        problems = []
        _restore(plan, written)
        raise C360Error(f"Could not write the spec files ({error}); nothing was changed.") from None
    if problems:
        _restore(plan, written)
        raise C360Error(f"The tuned specs fail the check ({problems[0]}); nothing was changed.")
    return written


def _restore(plan: Plan, written: list[Path]) -> None:
    for path in written:
        path.write_text(plan.edits[path][0], encoding="utf-8")
