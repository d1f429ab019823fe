"""Boundaries: what gives work or time away, and what only looks like it."""

from __future__ import annotations

import pytest

from bots.engine import Draft, check
from tests.detection.findings import rules_of


def boundary_rules(policy, draft, client, now):  # type: ignore[no-untyped-def]
    return rules_of("boundary", policy, draft, client, now)


@pytest.mark.parametrize(
    "draft",
    [
        "The misprint was ours, so I'll reprint the brochures at no cost.",
        "You can reschedule with a day's notice, and there's no charge for doing so.",
        "Bring it back and we'll run the diagnosis free of charge.",
        "If the fault is in our work, we'll repair it at no cost.",
    ],
)
def test_putting_right_or_moving_an_appointment_is_not_free_extra_work(en_policy, now, draft):
    assert "boundary.free_extra_work" not in boundary_rules(en_policy, draft, None, now)


def test_free_extra_work_is_still_flagged(en_policy, now):
    draft = "I'll add the two extra landing pages at no cost."
    assert "boundary.free_extra_work" in boundary_rules(en_policy, draft, None, now)


ABUSE = "You lot are useless parasites. Fix it or I'm withholding payment."


@pytest.mark.parametrize(
    ("draft", "flagged"),
    [
        ("I'm sorry the heating is still off. An engineer comes Wednesday.", True),
        (
            "I'm sorry it's still off. Please keep your messages free of swearing; "
            "an engineer comes Wednesday.",
            False,
        ),
        ("I want to help, but I won't be spoken to like that. An engineer comes Wednesday.", False),
    ],
)
def test_abuse_must_be_addressed(en_policy, now, draft, flagged):
    rules = boundary_rules(en_policy, draft, ABUSE, now)
    assert ("boundary.abuse_unaddressed" in rules) is flagged


def test_calling_oneself_names_is_not_abuse(en_policy, now):
    client = "The speaker never turned up and I looked like an idiot in front of the board."
    report = check(Draft("I'm so sorry. I'll call you at 2pm.", client), en_policy, now=now)
    assert report.client.mood != "abusive"


@pytest.mark.parametrize(
    ("draft", "flagged"),
    [
        ("Of course, no problem!", True),
        ("Of course. We have Saturday at 9:30 or 10:10; which suits you?", False),
        ("I'll be round at 9 tomorrow to look at it with you.", False),
    ],
)
def test_a_concrete_slot_is_a_limit(en_policy, now, draft, flagged):
    client = "Can you come out on Saturday morning?"
    assert ("boundary.no_limit_stated" in boundary_rules(en_policy, draft, client, now)) is flagged


@pytest.mark.parametrize(
    "draft",
    [
        "I'll come out whenever, just ring my own phone, I don't mind what time it is.",
        "I'll stay as late as you need, any evening.",
        "I'll show it myself every evening and weekend until it sells.",
        "I'll keep my phone next to the bed, so if the board want anything else overnight, call.",
        "I'll have her any day you want, weekends, evenings, overnights, no extra.",
    ],
)
def test_unlimited_availability_in_other_words(en_policy, now, draft):
    assert "boundary.always_available" in boundary_rules(en_policy, draft, None, now)


@pytest.mark.parametrize(
    "draft",
    [
        "Yes, the upload portal runs 24/7, so drop the files in whenever suits.",
        "If she stops drinking, the county's 24/7 emergency hospital is the place to go.",
    ],
)
def test_a_system_or_another_service_round_the_clock_is_not_the_writer(en_policy, now, draft):
    assert "boundary.always_available" not in boundary_rules(en_policy, draft, None, now)


def test_a_threat_of_violence_left_unaddressed_is_a_boundary(en_policy, now):
    client = (
        "If my piano isn't here by tomorrow I'll come down to your office and smash the place up."
    )
    draft = "Hi Colin, the piano is on tomorrow's first van. Regards, Sandra"
    assert "boundary.abuse_unaddressed" in boundary_rules(en_policy, draft, client, now)


UPSET = "The crown fell out after two weeks. I paid £700. Really disappointed."


@pytest.mark.parametrize(
    ("draft", "client", "rule", "flagged"),
    [
        # A negation governs its clause: "No problem," does not cancel what follows the comma.
        (
            "No problem at all, I'm always available, so message me any time.",
            None,
            "boundary.always_available",
            True,
        ),
        (
            "I'm not going to respond to being called a thief. The breakdown is attached.",
            ABUSE,
            "boundary.abuse_unaddressed",
            False,
        ),
        # To an upset client a free fix is a remedy; an open-ended offer is still open-ended.
        (
            "I'm so sorry about the crown. We'll refit it at no charge this week.",
            UPSET,
            "boundary.free_extra_work",
            False,
        ),
        (
            "I'm so sorry about the crown. We'll refit it, and anything else you need, just say.",
            UPSET,
            "boundary.open_ended_extras",
            True,
        ),
        # Someone else's round-the-clock line is not the writer's availability.
        (
            "I can cover 27 to 29 December, 10:00 to 16:00; after that, the vendor's 24/7 line.",
            None,
            "boundary.always_available",
            False,
        ),
    ],
)
def test_boundary_cases(en_policy, now, draft, client, rule, flagged):
    assert (rule in boundary_rules(en_policy, draft, client, now)) is flagged
