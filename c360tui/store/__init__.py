"""The profile store: SQLite tables, bulk writes, customer loading and search.

Importing this package does not import sqlmodel or open anything; call `open_store`. The names
below load with their module on first use: opening a screen checks the store through
`store.engine` alone, without the writers, codecs and search (~12 ms before the first paint).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from c360tui.store.customers import CustomerSummary, IdentityRow
    from c360tui.store.engine import SCHEMA_VERSION
    from c360tui.store.search import SearchHit
    from c360tui.store.store import Store, open_store
    from c360tui.store.writer import AddResult, QuarantineEntry, RecordConflict, ResolvedSummary

# Each exported name and the module that defines it.
_HOMES = {
    "SCHEMA_VERSION": "engine",
    "AddResult": "writer",
    "CustomerSummary": "customers",
    "IdentityRow": "customers",
    "QuarantineEntry": "writer",
    "RecordConflict": "writer",
    "ResolvedSummary": "writer",
    "SearchHit": "search",
    "Store": "store",
    "open_store": "store",
}

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


def __getattr__(name: str) -> Any:
    """An exported name, imported from its module the first time it is asked for."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
