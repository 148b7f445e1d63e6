"""Benchmarks: speed and quality measurements with results in RESULTS.md."""
