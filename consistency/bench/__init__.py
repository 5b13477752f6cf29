"""Benchmarks that print figures (speed targets are measured here, never in tests)."""
