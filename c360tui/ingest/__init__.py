"""Ingest: read source exports, validate each row, quarantine the bad ones, resolve and store."""
