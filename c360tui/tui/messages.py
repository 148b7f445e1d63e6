"""Messages workers post when data arrives; `@on` handlers turn them into screen changes.

The flow reads as a chain: SearchFinished → (enter) DecisionLoaded → ActionRecorded, and
QueueLoaded → DecisionLoaded → ActionRecorded → QueueLoaded for the queues.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from c360tui.core.decision_model import DecisionView
    from c360tui.core.records import RecordKey
    from c360tui.tui.backend import IdentityDetail, QueueSnapshot, SearchResult


class SearchFinished(Message):
    """Results for one query; stale queries are dropped by the exclusive worker group."""

    def __init__(self, query: str, results: list[SearchResult]) -> None:
        super().__init__()
        self.query = query
        self.results = results


class DecisionLoaded(Message):
    """A customer's decision view, built against the app clock."""

    def __init__(self, view: DecisionView) -> None:
        super().__init__()
        self.view = view


class DecisionPrefetched(Message):
    """A decision view loaded ahead of need (the next customer in a queue)."""

    def __init__(self, view: DecisionView) -> None:
        super().__init__()
        self.view = view


class QueueLoaded(Message):
    """The open part of a queue, in the spec's order, with its progress counts."""

    def __init__(self, snapshot: QueueSnapshot) -> None:
        super().__init__()
        self.snapshot = snapshot


class ActionRecorded(Message):
    """An action on a customer is stored (a queue item worked or snoozed, or a case closed)."""

    def __init__(self, customer_id: str, action: str) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.action = action


class FlagRecorded(Message):
    """ "This value is wrong" is stored for one signal."""

    def __init__(self, customer_id: str, signal_id: str) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.signal_id = signal_id


class IdentityLoaded(Message):
    """The source records and merge evidence behind one customer."""

    def __init__(self, detail: IdentityDetail) -> None:
        super().__init__()
        self.detail = detail


class SplitRecorded(Message):
    """A "not the same person" request is stored for two records."""

    def __init__(self, customer_id: str, left: RecordKey, right: RecordKey) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.left = left
        self.right = right


class DataFailed(Message):
    """A worker failed; `message` is one sentence for the user."""

    def __init__(self, group: str, message: str) -> None:
        super().__init__()
        self.group = group
        self.message = message
