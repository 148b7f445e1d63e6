"""The profile store: SQLite tables, bulk writes, customer loading and search.

Importing this package does not import sqlmodel or open anything; call `open_store`.
"""

from c360tui.store.customers import CustomerSummary, IdentityRow
from c360tui.store.engine import SCHEMA_VERSION
from c360tui.store.search import SearchHit
from c360tui.store.store import Store, open_store
from c360tui.store.writer import AddResult, QuarantineEntry, RecordConflict, ResolvedSummary

__all__ = [
    "SCHEMA_VERSION",
    "AddResult",
    "CustomerSummary",
    "IdentityRow",
    "QuarantineEntry",
    "RecordConflict",
    "ResolvedSummary",
    "SearchHit",
    "Store",
    "open_store",
]
