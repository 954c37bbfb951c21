"""Tests of the pure mail core: parsing, quoting, sources."""
