"""What a chat admin command does (`/nudge policy reload` in Slack, `policy reload` in Teams).

Adapters translate the platform's command into one call here and post the returned text.
"""

from __future__ import annotations

from collections.abc import Iterable

from bots.admin.notify import PLATFORMS
from bots.policy_host import PolicyHost


def is_admin(host: PolicyHost, platform: str, user_id: str, extra: Iterable[str] = ()) -> bool:
    """True when the user is in any serving policy's `admins` (or `extra`, e.g. NUDGE_ADMINS)."""
    listed = {a for p in (host.current or ()) for a in p.spec.admins} | set(extra)
    return user_id in listed or f"{platform}:{user_id}" in listed


async def reload_command(
    host: PolicyHost, platform: str, user_id: str, extra_admins: Iterable[str] = ()
) -> str:
    """Reload for an admin and say what happened; anyone else is told who can."""
    if platform not in PLATFORMS or not is_admin(host, platform, user_id, extra_admins):
        return (
            "Only the policy's admins can reload it "
            "(they are listed under `admins:` in the policy file)."
        )
    outcome = await host.refresh(trigger=f"{platform}:{user_id}")
    if outcome.ok:
        return f"Policy reloaded: {outcome.version} (hash {outcome.digest})."
    shown = "\n".join(f"• {e}" for e in outcome.errors[:10])
    more = f"\n… and {len(outcome.errors) - 10} more." if len(outcome.errors) > 10 else ""
    return f"Not reloaded: the last good policy ({outcome.version}) keeps serving.\n{shown}{more}"
