"""Credit control: statements of account, friendly reminders, payment arrangements,
follow-up tasks, fee waivers within authority limits and proactive credits."""
