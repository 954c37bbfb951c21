"""Satisfaction surveys: after a case, and periodically for each relationship."""
