"""Slack adapter: Bolt listeners that translate payloads to drafts and reports to Block Kit."""
