"""LedgerDesk: the service desk for finance shared services."""

__version__ = "0.1.0"
