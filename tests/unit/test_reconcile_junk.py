"""Junk identifiers never win reconciliation over a usable value, and stay visible as alternates."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from pathlib import Path

from c360tui.core.reconcile import reconcile
from c360tui.core.records import SourceRecord
from c360tui.core.sources_spec import SourcesSpec

SOURCES = SourcesSpec.model_validate(
    tomllib.loads((Path(__file__).resolve().parents[2] / "specs" / "sources.toml").read_text())
)
T0 = datetime(2026, 11, 1, tzinfo=UTC)


def test_a_junk_email_never_wins_over_a_real_one_and_stays_visible() -> None:
    newer = SourceRecord(
        "crm", "crm_contacts", "c2", datetime(2026, 11, 20, tzinfo=UTC), {"email": "n/a"}
    )
    older = SourceRecord("crm", "crm_contacts", "c1", T0, {"email": "pat@acme.com"})

    email = reconcile("P", [newer, older], SOURCES).attributes["email"]

    assert email.value == "pat@acme.com"
    assert "n/a" in [c.value for c in email.alternates]
