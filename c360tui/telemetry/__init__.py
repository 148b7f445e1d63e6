"""Interaction telemetry: typed events (events.py, checked by checks.py, encoded by payload.py),
the file's schema (schema.py), the background writer (writer.py), the read-only reader
(reader.py) and events built from a DecisionView (view_events.py). See docs/telemetry.md."""
