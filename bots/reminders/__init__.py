"""After-hours reminders: what to tell whom and when, delivered through a Notifier per platform."""
