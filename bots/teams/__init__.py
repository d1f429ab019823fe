"""Microsoft Teams: everything botbuilder-specific lives in this package (and only here)."""

from bots.teams.hosting import TEAMS, TeamsConfigError, TeamsHost, mount_teams

__all__ = ["TEAMS", "TeamsConfigError", "TeamsHost", "mount_teams"]
