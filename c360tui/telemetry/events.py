"""Typed telemetry events: what a rep did, described by ids, field names, counts and lengths only.

Every event holds a `Context` (session, actor, rep, role, view, spec version); the writer adds the
wall and monotonic time. There is no field for free text: identifiers are checked against an id
shape (no spaces, no `@`, no `+`), so a name, an email or a formatted phone number is refused at
construction instead of reaching the file.
"""

from __future__ import annotations

import builtins
import dataclasses
import getpass
import hashlib
import re
import uuid
from dataclasses import dataclass
from typing import ClassVar, Literal, get_args

from c360tui.core.records import RecordKey
from c360tui.telemetry.checks import (
    choice,
    count,
    describe,
    flag,
    ident,
    ids,
    number,
    opt_duration,
    opt_ident,
    set_field,
)

# The decision model's trust and freshness states, repeated here so recording an event does not
# import pydantic (a test checks they match c360tui.core.decision_model).
TrustState = Literal["trusted", "stale", "conflicted", "missing", "unverified"]
FreshnessState = Literal["fresh", "ageing", "stale", "unknown"]
Actor = Literal["rep", "agent"]
# How a search query was shaped; the text itself is never kept.
QueryKind = Literal["phone", "email", "account_id", "name", "empty"]
# How the rep reached a decision view: typed a search, moved through a queue, or a direct link.
Via = Literal["search", "queue", "direct"]
EndReason = Literal["quit", "error", "interrupted"]

ACTORS: frozenset[str] = frozenset(get_args(Actor))
QUERY_KINDS: frozenset[str] = frozenset(get_args(QueryKind))
VIAS: frozenset[str] = frozenset(get_args(Via))
END_REASONS: frozenset[str] = frozenset(get_args(EndReason))
TRUST_STATES: frozenset[str] = frozenset(get_args(TrustState))
FRESHNESS_STATES: frozenset[str] = frozenset(get_args(FreshnessState))


def default_rep_id(user: str | None = None) -> str:
    """A pseudonymous rep id: a salted hash of the OS user name, stable on one machine."""
    name = user if user is not None else getpass.getuser()
    return "rep-" + hashlib.sha256(f"c360tui-rep:{name}".encode()).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class Context:
    """Who is acting where: carried by every event (role, view and spec version may be unset)."""

    session_id: str
    actor: Actor
    rep: str
    role: str | None = None
    view: str | None = None
    spec_version: str | None = None

    def __post_init__(self) -> None:
        ident(self.session_id, "session id")
        choice(self.actor, ACTORS, "actor")
        ident(self.rep, "rep id")
        opt_ident(self.role, "role")
        opt_ident(self.view, "view")
        opt_ident(self.spec_version, "spec version")

    @classmethod
    def start(cls, actor: Actor = "rep", rep: str | None = None) -> Context:
        """A new session: a random session id and the rep id (default: a hash of the OS user)."""
        return cls(uuid.uuid4().hex, actor, rep if rep is not None else default_rep_id())

    def with_view(
        self, role: str | None, view: str | None, spec_version: str | None = None
    ) -> Context:
        """The same session on another role, view and spec version."""
        return dataclasses.replace(self, role=role, view=view, spec_version=spec_version)


@dataclass(frozen=True, slots=True)
class ShownSignal:
    """One signal as a decision view showed it: id, trust, freshness, age against budget, place."""

    id: str
    trust: TrustState
    freshness: FreshnessState
    rank: int
    above_fold: bool
    section: str | None = None
    age_seconds: float | None = None
    budget_seconds: float | None = None
    flagged: bool = False
    # the budget in the spec's words as the view said it ("24h"); None in files written before
    budget: str | None = None

    def __post_init__(self) -> None:
        ident(self.id, "signal id")
        choice(self.trust, TRUST_STATES, "trust state")
        choice(self.freshness, FRESHNESS_STATES, "freshness state")
        count(self.rank, "rank")
        flag(self.above_fold, "above_fold")
        opt_ident(self.section, "section id")
        if self.age_seconds is not None:
            set_field(self, "age_seconds", number(self.age_seconds, "age_seconds"))
        if self.budget_seconds is not None:
            set_field(self, "budget_seconds", number(self.budget_seconds, "budget_seconds"))
        flag(self.flagged, "flagged")
        opt_duration(self.budget, "budget")


@dataclass(frozen=True, slots=True)
class SignalTrust:
    """A deciding signal's id with the trust and freshness it had when the rep acted."""

    id: str
    trust: TrustState
    freshness: FreshnessState

    def __post_init__(self) -> None:
        ident(self.id, "signal id")
        choice(self.trust, TRUST_STATES, "trust state")
        choice(self.freshness, FRESHNESS_STATES, "freshness state")


@dataclass(frozen=True, slots=True)
class Event:
    """Base of every event type; `type` names it in the file (`customer_of` gives its customer)."""

    type: ClassVar[str] = ""
    # Payload fields holding nested records, decoded back to these classes by `from_payload`.
    nested: ClassVar[dict[str, builtins.type]] = {}
    # Properties written into the payload for plain-SQL readers, ignored when decoding.
    derived: ClassVar[tuple[str, ...]] = ()

    ctx: Context

    def __post_init__(self) -> None:
        if not isinstance(self.ctx, Context):
            raise ValueError(f"telemetry context must be a Context, not {describe(self.ctx)}")


@dataclass(frozen=True, slots=True)
class _CustomerEvent(Event):
    customer_id: str

    def __post_init__(self) -> None:
        Event.__post_init__(self)
        ident(self.customer_id, "customer id")


@dataclass(frozen=True, slots=True)
class SessionStart(Event):
    """The app started: its version and the terminal size (which decides the fold)."""

    type: ClassVar[str] = "session_start"
    app_version: str
    columns: int | None = None
    rows: int | None = None

    def __post_init__(self) -> None:
        Event.__post_init__(self)
        ident(self.app_version, "app version")
        for name in ("columns", "rows"):
            if getattr(self, name) is not None:
                count(getattr(self, name), name)


@dataclass(frozen=True, slots=True)
class SessionEnd(Event):
    """The app stopped: how (quit, error, interrupted)."""

    type: ClassVar[str] = "session_end"
    reason: EndReason = "quit"

    def __post_init__(self) -> None:
        Event.__post_init__(self)
        choice(self.reason, END_REASONS, "end reason")


@dataclass(frozen=True, slots=True)
class ScreenOpened(Event):
    """A screen or modal came up (launcher, support, sdr, csm, lead, help, identity...)."""

    type: ClassVar[str] = "screen_opened"
    screen: str

    def __post_init__(self) -> None:
        Event.__post_init__(self)
        ident(self.screen, "screen")


@dataclass(frozen=True, slots=True)
class ViewOpened(_CustomerEvent):
    """A decision view was shown: every signal with trust and freshness, and the recommendation."""

    type: ClassVar[str] = "view_opened"
    nested: ClassVar[dict[str, builtins.type]] = {"signals": ShownSignal}
    derived: ClassVar[tuple[str, ...]] = ("above_fold",)
    via: Via
    signals: tuple[ShownSignal, ...]
    recommended_action: str
    agent_ready: bool = False

    def __post_init__(self) -> None:
        _CustomerEvent.__post_init__(self)
        choice(self.via, VIAS, "via")
        if not all(isinstance(s, ShownSignal) for s in self.signals):
            raise ValueError("telemetry view_opened signals must be ShownSignal")
        set_field(self, "signals", tuple(self.signals))
        ident(self.recommended_action, "recommended action")
        flag(self.agent_ready, "agent_ready")

    @property
    def above_fold(self) -> tuple[str, ...]:
        """Ids of the signals above the fold, in rank order."""
        return tuple(s.id for s in self.signals if s.above_fold)


@dataclass(frozen=True, slots=True)
class _SectionEvent(_CustomerEvent):
    section_id: str

    def __post_init__(self) -> None:
        _CustomerEvent.__post_init__(self)
        ident(self.section_id, "section id")


@dataclass(frozen=True, slots=True)
class SectionExpanded(_SectionEvent):
    """A collapsed detail section was opened."""

    type: ClassVar[str] = "section_expanded"


@dataclass(frozen=True, slots=True)
class SectionCollapsed(_SectionEvent):
    """An open detail section was closed."""

    type: ClassVar[str] = "section_collapsed"


@dataclass(frozen=True, slots=True)
class _FieldEvent(_CustomerEvent):
    signal_id: str

    def __post_init__(self) -> None:
        _CustomerEvent.__post_init__(self)
        ident(self.signal_id, "signal id")


@dataclass(frozen=True, slots=True)
class FieldExpanded(_FieldEvent):
    """One signal's detail line was expanded."""

    type: ClassVar[str] = "field_expanded"


@dataclass(frozen=True, slots=True)
class FieldCollapsed(_FieldEvent):
    """One signal's detail line was collapsed again."""

    type: ClassVar[str] = "field_collapsed"


@dataclass(frozen=True, slots=True)
class ProvenanceOpened(_CustomerEvent):
    """The rep asked "why" about a signal; its trust state at that moment is kept."""

    type: ClassVar[str] = "provenance_opened"
    signal_id: str
    trust: TrustState

    def __post_init__(self) -> None:
        _CustomerEvent.__post_init__(self)
        ident(self.signal_id, "signal id")
        choice(self.trust, TRUST_STATES, "trust state")


@dataclass(frozen=True, slots=True)
class ValueFlagged(_CustomerEvent):
    """The rep said "this value is wrong": the signal, its attribute, trust and winning source."""

    type: ClassVar[str] = "value_flagged"
    signal_id: str
    attribute: str | None
    trust: TrustState
    source_system: str | None

    def __post_init__(self) -> None:
        _CustomerEvent.__post_init__(self)
        ident(self.signal_id, "signal id")
        opt_ident(self.attribute, "attribute")
        choice(self.trust, TRUST_STATES, "trust state")
        opt_ident(self.source_system, "source system")


@dataclass(frozen=True, slots=True)
class ActionTaken(_CustomerEvent):
    """The rep acted: the action, the recommendation, time since the view opened, deciding trust."""

    type: ClassVar[str] = "action_taken"
    nested: ClassVar[dict[str, builtins.type]] = {"deciding": SignalTrust}
    derived: ClassVar[tuple[str, ...]] = ("override",)
    action: str
    recommended_action: str
    ms_since_view: int
    deciding: tuple[SignalTrust, ...] = ()

    def __post_init__(self) -> None:
        _CustomerEvent.__post_init__(self)
        ident(self.action, "action")
        ident(self.recommended_action, "recommended action")
        count(self.ms_since_view, "ms_since_view")
        if not all(isinstance(s, SignalTrust) for s in self.deciding):
            raise ValueError("telemetry action_taken deciding signals must be SignalTrust")
        set_field(self, "deciding", tuple(self.deciding))

    @property
    def override(self) -> bool:
        """True when the rep did something other than what the view recommended."""
        return self.action != self.recommended_action


@dataclass(frozen=True, slots=True)
class Search(Event):
    """A search ran: result count, query length and kind, the customer ids offered; no text."""

    type: ClassVar[str] = "search"
    result_count: int
    query_length: int
    query_kind: QueryKind
    customer_ids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        Event.__post_init__(self)
        count(self.result_count, "result_count")
        count(self.query_length, "query_length")
        choice(self.query_kind, QUERY_KINDS, "query kind")
        set_field(self, "customer_ids", ids(self.customer_ids, "customer id"))

    @classmethod
    def of_query(
        cls,
        ctx: Context,
        query: str,
        customer_ids: list[str] | tuple[str, ...],
        *,
        total: int | None = None,
    ) -> Search:
        """The event for `query` and the ids it offered; only its length and kind are kept."""
        count = len(customer_ids) if total is None else total
        return cls(ctx, count, len(query.strip()), query_kind(query), tuple(customer_ids))


@dataclass(frozen=True, slots=True)
class QueuePresented(Event):
    """A queue was shown to the rep: the queue's name and the customer ids in it, in order."""

    type: ClassVar[str] = "queue_presented"
    queue: str
    customer_ids: tuple[str, ...]
    total: int | None = None

    def __post_init__(self) -> None:
        Event.__post_init__(self)
        ident(self.queue, "queue")
        if self.total is None:
            set_field(self, "total", len(self.customer_ids))
        count(self.total, "total")
        set_field(self, "customer_ids", ids(self.customer_ids, "customer id"))


@dataclass(frozen=True, slots=True)
class SplitRequested(_CustomerEvent):
    """The rep said two source records are not the same person."""

    type: ClassVar[str] = "split_requested"
    nested: ClassVar[dict[str, builtins.type]] = {"left": RecordKey, "right": RecordKey}
    left: RecordKey
    right: RecordKey

    def __post_init__(self) -> None:
        _CustomerEvent.__post_init__(self)
        for key in (self.left, self.right):
            if not isinstance(key, RecordKey):
                raise ValueError(f"telemetry split keys must be RecordKey, not {describe(key)}")
            ident(key.feed, "feed")
            ident(key.record_id, "record id")


def customer_of(event: Event) -> str | None:
    """The customer an event is about, or None for session, screen, search and queue events."""
    return event.customer_id if isinstance(event, _CustomerEvent) else None


EVENT_CLASSES: dict[str, type[Event]] = {
    cls.type: cls
    for cls in (
        SessionStart,
        SessionEnd,
        ScreenOpened,
        ViewOpened,
        SectionExpanded,
        SectionCollapsed,
        FieldExpanded,
        FieldCollapsed,
        ProvenanceOpened,
        ValueFlagged,
        ActionTaken,
        Search,
        QueuePresented,
        SplitRequested,
    )
}

_EMAILISH = re.compile(r"\S+@\S*")
_PHONEISH = re.compile(r"[+(]?[\d][\d\s().\-/]{5,}")
_ACCOUNTISH = re.compile(r"(?=.*\d)[A-Za-z0-9][A-Za-z0-9_\-:]*")


def query_kind(query: str) -> QueryKind:
    """The shape of a search query (phone, email, account id, name) without keeping any of it."""
    text = query.strip()
    if not text:
        return "empty"
    if "@" in text and _EMAILISH.fullmatch(text):
        return "email"
    if _PHONEISH.fullmatch(text) and sum(c.isdigit() for c in text) >= 6:
        return "phone"
    if _ACCOUNTISH.fullmatch(text):
        return "account_id"
    return "name"
