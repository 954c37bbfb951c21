"""Payables: invoices matched to orders and receipts, duplicates caught, approvals routed."""
