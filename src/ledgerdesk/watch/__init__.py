"""The watch: periodic checks that open a proactive case before the vendor or customer asks."""
