"""Receivables: bank statements in, cash applied to the invoices the remittance names."""
