"""Inbound and outbound e-mail.

`parsing`, `quoting` and `sources` are the pure core: they read raw bytes and return plain
data, import no Django, and never crash on real-world mail. The Django side (storing,
threading to cases, the IMAP poller, the SMTP listener) calls them.
"""
