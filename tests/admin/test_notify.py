"""Admins hear privately, on their own platform, about every error of a refused policy edit."""

from __future__ import annotations

from pathlib import Path

from bots.admin.notify import admin_notifier, failure_text, recipient
from bots.reminders.notify import DeliveryError, Notice


class Recorder:
    """A Notifier that keeps what it was asked to send (our own interface, not an SDK)."""

    def __init__(self, platform: str, fail_for: str = "") -> None:
        self.platform = platform
        self.fail_for = fail_for
        self.sent: list[Notice] = []

    async def send(self, notice: Notice) -> None:
        if notice.user_id == self.fail_for:
            raise DeliveryError("user not found", retryable=False)
        self.sent.append(notice)


def set_admins(policy_dir: Path, admins: str) -> None:
    path = policy_dir / "default.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("admins: []", f"admins: {admins}"))


def break_it(policy_dir: Path) -> None:
    path = policy_dir / "default.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    severity: warning\n", "    severity: loud\n", 1))


async def test_each_admin_gets_every_error_on_their_platform(host, policy_dir):
    set_admins(policy_dir, '["slack:U0ANA", "teams:aad-77", U0BEA, "slack:U0GONE"]')
    assert (await host.refresh()).ok
    slack, teams = Recorder("slack", fail_for="U0GONE"), Recorder("teams")
    host.on_failure += [
        admin_notifier(slack, owns=lambda user: user.startswith("U")),
        admin_notifier(teams, owns=lambda user: not user.startswith("U")),
    ]
    break_it(policy_dir)
    outcome = await host.refresh()
    assert not outcome.ok
    assert [n.user_id for n in slack.sent] == ["U0ANA", "U0BEA"]
    assert [n.user_id for n in teams.sent] == ["aad-77"]
    text = slack.sent[0].text
    assert "still serving" in text and host.version in text
    assert "default.yaml:" in text and "rules[0].severity" in text
    assert len({n.idempotency_key for n in slack.sent + teams.sent}) == 3


def test_long_error_lists_are_cut_with_a_pointer_to_the_cli(host):
    from bots.policy_host import ReloadOutcome

    errors = tuple(f"p.yaml:{n}:1: rules[{n}].id: bad" for n in range(45))
    text = failure_text(ReloadOutcome(False, host.loaded_at, "v", errors))  # type: ignore[arg-type]
    assert "p.yaml:29:1" in text and "p.yaml:30:1" not in text
    assert "15 more" in text and "nudge policy validate" in text


def test_recipient_reads_platform_prefixes():
    everyone = lambda _: True  # noqa: E731
    assert recipient("slack:U1", "slack", everyone) == "U1"
    assert recipient("slack:U1", "teams", everyone) is None
    assert recipient("teams:29:1abc", "teams", everyone) == "29:1abc"
    assert recipient("U1", "teams", lambda user: False) is None


async def test_reload_command_is_for_admins_only(host, policy_dir):
    from bots.admin.commands import reload_command

    set_admins(policy_dir, '["slack:U0ANA"]')
    assert (await host.refresh()).ok
    refused = await reload_command(host, "slack", "U0EVE")
    assert refused.startswith("Only the policy's admins") and host.history[-1].trigger == "manual"
    assert (await reload_command(host, "slack", "U0ANA")).startswith("Policy reloaded:")
    assert host.history[-1].trigger == "slack:U0ANA"
    break_it(policy_dir)
    reply = await reload_command(host, "teams", "aad-1", extra_admins=["aad-1"])
    assert reply.startswith("Not reloaded") and "rules[0].severity" in reply
