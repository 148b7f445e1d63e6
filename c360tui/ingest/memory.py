"""Handing the memory one ingest phase freed back to the operating system before the next.

The C library keeps freed heap pages for reuse. Freed in the middle of the heap, between
objects that live on, they stay in the process's resident memory, and the next phase allocates
new pages beside them. At a million customers that was half a GiB once reading and sorting the
identity columns were done. glibc's `malloc_trim` returns them; elsewhere this does nothing.
"""

from __future__ import annotations

import ctypes
import sqlite3
import sys
from collections.abc import Callable


def _find_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None)  # the C library the interpreter runs on
    except OSError:
        return None
    trim: Callable[[int], int] | None = getattr(libc, "malloc_trim", None)  # glibc only
    return trim


_TRIM = _find_trim()


def release_freed_memory(conn: sqlite3.Connection | None = None) -> None:
    """Return freed heap pages to the system, and first SQLite's page cache of `conn`."""
    if conn is not None:
        conn.execute("PRAGMA shrink_memory")
    if _TRIM is not None:
        _TRIM(0)
