"""Reports: missions, training, insurance, roster and readiness, aggregated from plain data."""
