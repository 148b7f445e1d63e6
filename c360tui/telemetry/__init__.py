"""Interaction telemetry: typed events (events.py), the file's schema (schema.py), the background
writer (writer.py) and the read-only reader (reader.py). Documented in docs/telemetry.md."""
