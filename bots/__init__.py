"""Nudge: checks replies to difficult clients in Slack and Microsoft Teams."""
