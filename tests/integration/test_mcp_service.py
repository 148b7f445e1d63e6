"""The agent tools over a real store, without MCP: answers, refusals and their telemetry."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from mcp_store import AS_OF, DOUBT, READY, SPECS, TWIN, make_store

from c360tui.agent.service import AgentError, AgentService
from c360tui.core.decision import build_decision_view
from c360tui.specs_io import load_sources, load_views
from c360tui.store import open_store
from c360tui.telemetry.events import ActionTaken, Context, Event, Search, ViewOpened


class ListRecorder:
    """A recorder that keeps events in a list (the telemetry writer's protocol)."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def record(self, event: Event) -> None:
        self.events.append(event)

    def flush(self, timeout: float | None = None) -> bool:
        return True

    def close(self, timeout: float | None = None) -> None:
        return None

    def now_ns(self) -> int:
        return time.monotonic_ns()

    def of(self, kind: type[Event]) -> list[Event]:
        return [e for e in self.events if isinstance(e, kind)]


VIEWS = load_views(SPECS)


@pytest.fixture
def recorder() -> ListRecorder:
    return ListRecorder()


@pytest.fixture
def service(tmp_path: Path, recorder: ListRecorder) -> Iterator[AgentService]:
    with open_store(make_store(tmp_path / "c360.db"), create=False) as store:
        yield AgentService(
            store,
            VIEWS,
            lambda: AS_OF,
            sources=load_sources(SPECS),
            recorder=recorder,
            ctx=Context.start(actor="agent", rep="agent-test"),
        )


def test_a_phone_in_any_format_finds_one_exact_customer(service: AgentService) -> None:
    found = service.find_customers("(415) 555-0100")
    assert found.exact
    assert [(c.customer_id, c.matched_field) for c in found.candidates] == [(READY, "phone")]
    assert "+14155550100" in found.candidates[0].why


def test_a_shared_first_name_is_not_an_exact_match(service: AgentService) -> None:
    found = service.find_customers("Ada")
    assert not found.exact
    assert {c.customer_id for c in found.candidates} == {READY, TWIN}
    assert "ask the person which one" in found.note


def test_the_view_is_the_one_the_support_screen_builds(service: AgentService) -> None:
    for customer_id in (READY, DOUBT):
        for name, spec in VIEWS.items():
            served = service.get_decision_view(customer_id, name)
            customer = service.store.load_customer(customer_id)
            assert customer is not None
            assert served == build_decision_view(spec, customer, AS_OF, region="US")


def test_verdicts_name_every_blocking_reason(service: AgentService) -> None:
    ready = service.get_decision_view(READY, "support_close_case")
    assert ready.agent.ready and ready.agent.reasons == []
    doubt = service.get_decision_view(DOUBT, "support_close_case")
    assert not doubt.agent.ready
    assert doubt.agent.reasons == [
        "tier unverified: only from crm",
        "payment_status stale: 30d > 7d",
    ]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: s.get_decision_view("C-NOPE", "support_close_case"), "No customer with id"),
        (lambda s: s.get_decision_view(READY, "no_such_view"), "No view named 'no_such_view'"),
        (lambda s: s.get_profile(READY, "no_such_view"), "No view named"),
        (lambda s: s.get_profile("", None), "customer_id is empty"),
        (lambda s: s.find_customers("x" * 1_000_000), "1000000 characters long; at most 200"),
        (lambda s: s.find_customers("   "), "query is empty"),
        (lambda s: s.find_customers("ada", limit=0), "limit must be between 1 and 50"),
        (lambda s: s.get_decision_view(123, "support_close_case"), "must be a string, not int"),
    ],
)
def test_bad_arguments_are_one_sentence_errors(
    service: AgentService, call: object, message: str
) -> None:
    with pytest.raises(AgentError, match=message):
        call(service)  # type: ignore[operator]


def test_search_and_view_are_recorded_as_the_agent(
    service: AgentService, recorder: ListRecorder
) -> None:
    service.find_customers("ada@engines.example")
    service.get_decision_view(READY, "support_close_case")
    service.get_decision_view(DOUBT, "support_close_case")
    (search,) = recorder.of(Search)
    assert isinstance(search, Search)
    assert search.ctx.actor == "agent"
    assert (search.query_kind, search.query_length, search.customer_ids) == ("email", 19, (READY,))
    opened = recorder.of(ViewOpened)
    assert [(e.customer_id, e.via, e.agent_ready) for e in opened] == [  # type: ignore[attr-defined]
        (READY, "search", True),
        (DOUBT, "direct", False),
    ]
    assert all(e.ctx.actor == "agent" and e.ctx.view == "support_close_case" for e in opened)


def test_an_action_on_a_ready_view_is_recorded_with_override(
    service: AgentService, recorder: ListRecorder
) -> None:
    service.get_decision_view(READY, "support_close_case")
    followed = service.record_action(READY, "support_close_case", "resolve", "No open tickets.")
    overridden = service.record_action(READY, "support_close_case", "escalate", "Asked for it.")
    assert (followed.override, overridden.override) == (False, True)
    assert followed.recorded and followed.recommended_action == "resolve"
    actions = recorder.of(ActionTaken)
    assert [(a.action, a.recommended_action, a.override) for a in actions] == [  # type: ignore[attr-defined]
        ("resolve", "resolve", False),
        ("escalate", "resolve", True),
    ]
    assert all(a.ctx.actor == "agent" and a.ctx.rep == "agent-test" for a in actions)


def test_an_action_on_a_doubtful_view_is_refused_with_its_reasons(
    service: AgentService, recorder: ListRecorder
) -> None:
    with pytest.raises(AgentError) as refused:
        service.record_action(DOUBT, "support_close_case", "resolve", "Looks fine.")
    message = str(refused.value)
    assert "tier unverified: only from crm" in message
    assert "payment_status stale: 30d > 7d" in message
    assert "Hand this customer to a person" in message
    assert recorder.of(ActionTaken) == []


@pytest.mark.parametrize(
    ("action", "reason", "message"),
    [
        ("delete_everything", "x", "has no action 'delete_everything'; choose one of escalate"),
        ("resolve", "  ", "reason is empty"),
        ("resolve", "r" * 1001, "at most 1000"),
    ],
)
def test_bad_action_arguments_are_refused(
    service: AgentService, recorder: ListRecorder, action: str, reason: str, message: str
) -> None:
    with pytest.raises(AgentError, match=message):
        service.record_action(READY, "support_close_case", action, reason)
    assert recorder.of(ActionTaken) == []


def test_profile_budgets_follow_the_view(service: AgentService) -> None:
    plain = service.get_profile(DOUBT)
    judged = service.get_profile(DOUBT, "support_close_case")
    assert plain.attributes["payment_status"].trust == "trusted"
    assert judged.attributes["payment_status"].trust == "stale"
    assert judged.view == "support_close_case" and plain.view is None
    assert judged.attributes["phone"].value is None
