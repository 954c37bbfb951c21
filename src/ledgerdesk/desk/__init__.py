"""The help desk: cases, tiers, SLA clocks, queues, timelines and canned replies."""
