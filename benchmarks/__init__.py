"""Benchmarks of the SPEC's speed targets, run against the local Bot API sandbox."""
