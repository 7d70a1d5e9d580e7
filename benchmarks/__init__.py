"""Benchmarks of the bot's speed targets, run against the local Bot API sandbox."""
