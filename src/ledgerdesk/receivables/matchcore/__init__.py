"""The cash-matching engine's parts: reading text, look-up tables, sums, the per-line logic."""
