"""Tell a policy's admins privately when their edit was refused (every error, file and line).

Slack and Teams wiring registers one hook each:
`host.on_failure.append(admin_notifier(slack_notifier))`. Admin ids in a policy may carry the
platform (`slack:U0123`, `teams:<aad object id>`); ids without one go to every platform's
notifier unless `owns` says otherwise.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence

from bots.policy_host import FailureHook, ReloadOutcome
from bots.reminders.notify import DeliveryError, Notice, Notifier

log = logging.getLogger(__name__)
PLATFORMS = ("slack", "teams")
MAX_LISTED = 30  # a chat message has limits; the dashboard and /readyz list everything


def failure_text(outcome: ReloadOutcome) -> str:
    """Plain text for a DM: what happened, what still serves, then each problem."""
    count = len(outcome.errors)
    lines = [
        f"Nudge did not load the policy change ({count} problem{'s' if count != 1 else ''}). "
        f"The last good policy ({outcome.version}) is still serving.",
        "",
        *(f"• {error}" for error in outcome.errors[:MAX_LISTED]),
    ]
    if count > MAX_LISTED:
        lines.append(
            f"… and {count - MAX_LISTED} more: run `nudge policy validate` to see them all."
        )
    return "\n".join(lines)


SLACK_USER = re.compile(r"^[UW][A-Z0-9]{4,}$")


def on_platform(platform: str, user_id: str) -> bool:
    """For admin ids without a `slack:`/`teams:` prefix: Slack ids look like U0123ABCD."""
    return bool(SLACK_USER.match(user_id)) == (platform == "slack")


def recipient(admin: str, platform: str, owns: Callable[[str], bool]) -> str | None:
    """The user id on `platform` for a policy's admin entry, or None when it is another's."""
    prefix, sep, rest = admin.partition(":")
    if sep and prefix in PLATFORMS:
        return rest if prefix == platform and rest else None
    return admin if owns(admin) else None


def admin_notifier(
    notifier: Notifier,
    *,
    owns: Callable[[str], bool] = lambda _: True,
    fallback: Sequence[str] = (),
) -> FailureHook:
    """A PolicyHost.on_failure hook that DMs each admin of the failed policy via `notifier`."""

    async def hook(outcome: ReloadOutcome) -> None:
        text = failure_text(outcome)
        for admin in outcome.admins or tuple(fallback):
            user = recipient(admin, notifier.platform, owns)
            if user is None:
                continue
            key = f"policy-failure:{outcome.digest}:{outcome.at.isoformat()}:{user}"
            try:
                await notifier.send(Notice(notifier.platform, user, None, text, key))
            except DeliveryError as exc:
                log.warning(
                    "could not tell an admin about a policy failure",
                    extra={"platform": notifier.platform, "retryable": exc.retryable},
                )

    return hook
