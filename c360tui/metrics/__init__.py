"""Adoption metrics over telemetry: pure definitions (docs/telemetry.md, "Metrics"), a fast SQL
path for large files, the replay model and the loader that reads files read-only."""
