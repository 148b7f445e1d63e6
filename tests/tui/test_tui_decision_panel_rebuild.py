"""DecisionPanel: a decision that arrives while the tree is being built for another never meets
widgets of the wrong shape (a queue key held down across two specs does this)."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from tui_fakes import sdr_view, support_view

from c360tui.tui.widgets.decision_view import DecisionPanel, SignalRow

pytestmark = pytest.mark.asyncio


class PanelApp(App[None]):
    def compose(self) -> ComposeResult:
        yield DecisionPanel(support_view(), id="panel")


async def test_a_decision_set_during_a_rebuild_is_shown_whole() -> None:
    app = PanelApp()
    async with app.run_test(size=(120, 40)) as pilot:
        panel = app.query_one(DecisionPanel)
        await pilot.pause()
        later = [support_view("cus_002", "Other Person", "Initech")]
        compose = panel.compose

        def compose_then_switch() -> ComposeResult:
            # While the tree is composed for the SDR lead, a support view arrives.
            parts = compose()
            yield next(parts)
            if later:
                panel.decision = later.pop()
            yield from parts

        panel.compose = compose_then_switch  # type: ignore[method-assign]
        lead = sdr_view("cus_101", "Ana Lopez", "Acme", 80)
        panel.decision = lead.model_copy(update={"actions": lead.actions[:1]})
        # Once built, the next customer of the support shape comes at once.
        last = support_view("cus_003", "Ben Ode", "Globex")
        panel.when_built(lambda: setattr(panel, "decision", last))
        for _ in range(10):
            await pilot.pause()
        assert panel.is_built
        assert panel.decision is last
        shown = [row.signal.id for row in panel.query(SignalRow)]
        assert shown[:2] == ["open_sev1", "plan"]
        assert "intent_score" not in shown
        assert "Ben Ode" in str(panel.query_one(".customer").render())
