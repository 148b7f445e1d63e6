"""What each simulated role does in a session, and the habits that make the roles differ.

A support agent takes calls (looks the caller up, opens them, resolves or escalates); an SDR and
a CSM work their queue (read, maybe skip, act).

Real reps are not evenly curious. Besides the random reading, doubting and flagging of
`telemetry_reps.Rep.look_around`, each role has a field it checks out of habit, and that pattern
is what the team lead's field attention and `c360 tune` are there to find:

- **SDR**: on a lead with an intent score of 40 or more (a call is on the table), checks Web
  visits first, below the fold: opens "More signals" and asks why, to see when marketing last
  counted them, since the spec says recent visits back up a mid intent score. A mid-intent lead
  with 30 or more visits is now and then called although the recommendation says email.
- **CSM**: opens the Account section and asks why about Last login (when product usage last saw
  anyone log in) on most accounts: a risk score says little until you know whether anyone still
  uses the product.
- **Support agent**: about one caller in three is angry; on those the agent checks Last CSAT
  (below the fold) to know whether the last case also ended badly.

Each rep follows their habit 40-80% of the time (a strength drawn from their pseudonymous id, so
it is the same every session): these are tendencies, not rules, and nothing here knows what
`c360 tune` looks for.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from c360tui.sample.telemetry_reps import Caller, Rep, fold

if TYPE_CHECKING:
    from c360tui.core.decision_model import DecisionView

# How much of the time a rep follows their habit: each rep draws once from this range.
STRENGTH = (0.4, 0.8)
# The share of support callers who are angry (the agent then checks their last CSAT).
ANGRY = 0.3
# Intent at which a call is on the table, and visits that make an SDR call a mid-intent lead.
CALL_INTENT = 40
MANY_VISITS = 30
CALL_ANYWAY = 0.3


def strength(rep_id: str) -> float:
    """How reliably this rep follows their habit, the same in every session."""
    return random.Random(f"habit:{rep_id}").uniform(*STRENGTH)


def _number(decision: DecisionView, signal_id: str) -> float | None:
    """A signal's value as a number, or None when it is missing or not a number."""
    try:
        value = decision.signal(signal_id).value
    except KeyError:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def habits(role: str, decision: DecisionView, rng: random.Random, habit: float) -> list[str]:
    """The signals this rep looks up on purpose on this customer (often none)."""
    if role == "sdr":
        intent = _number(decision, "intent")
        wanted = intent is not None and intent >= CALL_INTENT
        return ["web_visits"] if wanted and rng.random() < habit else []
    if role == "csm":
        return ["last_login"] if rng.random() < habit else []
    if role == "support":
        angry = rng.random() < ANGRY
        return ["last_csat"] if angry and rng.random() < habit else []
    return []


def leaning(decision: DecisionView, checked: list[str], rng: random.Random) -> str | None:
    """The action a habit talks the rep into, against the recommendation (usually none)."""
    if "web_visits" not in checked or decision.recommendation.action != "email":
        return None
    visits = _number(decision, "web_visits")
    if visits is not None and visits >= MANY_VISITS and rng.random() < CALL_ANYWAY:
        return "call"
    return None


def section_of(decision: DecisionView, signal_id: str) -> str | None:
    """The detail section a signal sits in, or None for a ranked signal."""
    for section in decision.sections:
        if any(s.id == signal_id for s in section.signals):
            return section.id
    return None


async def look_up(rep: Rep, decision: DecisionView, signal_id: str) -> None:
    """Open the field's section if it has one, focus the field, ask why, read, close."""
    section = section_of(decision, signal_id)
    if section is not None and section in rep.sections():
        await rep.expand(section)
    if await rep.focus_signal(signal_id):
        await rep.press("w", 0.8)
        await rep.press("escape", rep.rng.uniform(3, 10))


async def support_session(rep: Rep, callers: list[Caller], calls: int) -> None:
    """Calls come in: look the caller up, open them, decide resolve or escalate, next call."""
    from c360tui.tui.screens.support import CustomerScreen, SupportScreen

    rng = rep.rng
    for call in range(calls):
        if call:
            rep.wait(180, 900)  # the rest of the call, then the next one rings
        caller = rng.choice(callers)
        queries = [q for q in (caller.phone, caller.email) if q]
        rng.shuffle(queries)
        queries.insert(rng.randrange(len(queries) + 1), fold(caller.name))
        rep.wait(5, 25)  # "can I have your phone number or email?"
        for attempt, query in enumerate(queries[:2]):
            screen = rep.app.screen
            if not isinstance(screen, SupportScreen):
                break
            if attempt:
                await rep.press("escape", 2.0)
            await rep.type_text(query if "@" in query or query[:1].isdigit() else query[:12])
            target = fold(caller.last_name)
            index = next((i for i, r in enumerate(screen.results) if target in fold(r.name)), None)
            if index is None:
                continue
            rep.wait(1, 4)
            if index:
                await rep.press("down", 0.6)  # into the results, then down to the caller
                for _ in range(index):
                    await rep.press("down", 0.4)
            await rep.press("enter", 0.5)
            break
        else:
            await rep.press("escape", 3.0)  # not found: a new caller record is someone else's job
            continue
        if not isinstance(rep.app.screen, CustomerScreen):
            continue
        decision = rep.decision()
        if decision is None:
            continue
        rep.wait(6, 25)
        for signal_id in habits("support", decision, rng, rep.habit):
            await look_up(rep, decision, signal_id)
        doubted = await rep.look_around(decision, curiosity=0.25)
        rep.wait(2, 20)
        key = rep.choose_action(decision, doubted, override=0.08, doubt_override=0.3)
        await rep.press(key, 1.0)


async def queue_session(
    rep: Rep,
    role: str,
    leads: int,
    *,
    think: tuple[float, float],
    curiosity: float,
    override: float,
    doubt_override: float,
    after: dict[str, tuple[float, float]],
) -> None:
    """Work a queue (SDR leads or CSM accounts): read, maybe skip, act; the next one comes up."""
    from c360tui.tui.screens.queue import QueueScreen

    rng = rep.rng
    screen = rep.app.screen
    if not isinstance(screen, QueueScreen):
        return
    worked = 0
    while worked < leads and screen.items:
        decision = rep.decision()
        if decision is None:
            await rep.settle()
            decision = rep.decision()
            if decision is None:
                return
        if rng.random() < 0.08 and len(screen.items) > 1:
            await rep.press("j", rng.uniform(0.3, 2.5))  # a glance is enough: not this one now
            continue
        rep.wait(*think)
        doubted = False
        curious = rng.random() < curiosity
        checked = habits(role, decision, rng, rep.habit)
        if curious or checked:
            await rep.press("enter", 0.5)  # into the signals
            for signal_id in checked:
                await look_up(rep, decision, signal_id)
            if curious:
                doubted = await rep.look_around(decision, curiosity)
            await rep.press("l", 0.8)  # back to the queue list
        leaned = leaning(decision, checked, rng)
        key = (
            next(a.key for a in decision.actions if a.id == leaned)
            if leaned is not None
            else rep.choose_action(decision, doubted, override, doubt_override)
        )
        action = next(a.id for a in decision.actions if a.key == key)
        await rep.press(key, 0.8)
        worked += 1
        rep.wait(*after.get(action, (5.0, 30.0)))


async def sdr_session(rep: Rep, leads: int) -> None:
    """The SDR power hour: fast calls on the intent-ranked leads, emails, snoozes."""
    await queue_session(
        rep,
        "sdr",
        leads,
        think=(2, 18),
        curiosity=0.2,
        override=0.12,
        doubt_override=0.35,
        after={
            "call": (30, 240),
            "email": (20, 90),
            "snooze": (3, 12),
            "disqualify": (5, 20),
        },
    )


async def csm_session(rep: Rep, accounts: int) -> None:
    """The CSM's at-risk review: slower reading, more sections opened, save plays started."""
    await queue_session(
        rep,
        "csm",
        accounts,
        think=(15, 75),
        curiosity=0.6,
        override=0.15,
        doubt_override=0.3,
        after={"save_play": (60, 300), "mark_healthy": (10, 40)},
    )
