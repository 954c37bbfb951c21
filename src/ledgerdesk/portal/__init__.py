"""The self-service portal: vendors and customers see their invoices, payments and cases.

Every query that serves a portal user goes through `portal.scoping`; see its docstring.
"""
