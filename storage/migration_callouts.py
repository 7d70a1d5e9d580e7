"""Schema version 3: additions for callouts and missions."""

CALLOUTS_V3 = "SELECT 1"
