"""Pure domain logic: specs, normalisation, matching, reconciliation, freshness, decision view.

Nothing in this package does I/O or imports textual or sqlmodel; callers pass data and an
as-of time in and get data back.
"""
