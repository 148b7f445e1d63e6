"""Deterministic sample source exports with known traps and ground truth (`c360 sample`)."""

from c360tui.sample.writer import DEFAULT_AS_OF, SampleOptions, SampleSummary, generate, parse_as_of

__all__ = ["DEFAULT_AS_OF", "SampleOptions", "SampleSummary", "generate", "parse_as_of"]
