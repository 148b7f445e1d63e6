"""c360tui: a terminal Customer 360 built around decisions."""

__version__ = "0.1.0"
