"""Insight: metrics and dashboards, aggregated in SQL."""
