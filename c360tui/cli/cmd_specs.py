"""Commands: specs (filled in by its owner)."""

from c360tui.cli.app import app  # noqa: F401
