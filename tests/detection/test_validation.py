"""Validation: what counts as acknowledging an upset client, and what takes it back."""

from __future__ import annotations

import pytest

from bots.engine import Draft, check
from tests.detection.findings import rules_of

UPSET = "Third time the delivery has been missed and we lost a morning's trade."
NEXT = " The new slot is Thursday at 10."


def validation_rules(policy, draft, now, client=UPSET):  # type: ignore[no-untyped-def]
    return rules_of("validation", policy, draft, client, now)


@pytest.mark.parametrize(
    "opening",
    [
        "Three missed deliveries is not what you signed up for.",
        "I'd be fed up too.",
        "You've had a rotten run with us.",
        "That's three wasted mornings, and it's on us.",
        "You shouldn't have had to chase this.",
        "I completely get why you're cross.",
        "You've been more than patient with us.",
        "We've let you down, plainly.",
        "Losing a morning's trade is maddening.",
        "Thank you for sticking with us through this.",
        "That's a poor show on our part.",
        "This has cost you time and money.",
        "Of course you're annoyed.",
        "I appreciate this isn't the result you hoped for.",
        "I know how nerve-racking this week is.",
        "I'm so sorry, a wasted morning is the last thing you needed.",
        "Sorry about the wasted morning.",
        "Please accept our sincere apologies.",
    ],
)
def test_acknowledgement_in_any_wording(en_policy, now, opening):
    assert "validation.acknowledge_first" not in validation_rules(en_policy, opening + NEXT, now)


@pytest.mark.parametrize(
    "opening",
    [
        "I'd be happy to look into this.",
        "I'd appreciate it if you could confirm the address.",
        "The form must be signed before we rebook.",
        "Please let me know of any other concerns.",
        "The main concern is access to the loading bay.",
        "We ran a pressure test on the system.",
        "It makes sense to book a morning slot.",
        "I would be grateful for the gate code.",
        "Of course you can change the address.",
        "I understand the driver could not find the gate.",
        "I can see the booking in our system.",
        "I appreciate you getting in touch.",
        "Sorry, the van was full.",
        "We're so sorry.",
        "Sorry for any inconvenience caused.",
        "Don't panic, it's a common fault.",
        "I know how they work: the slot will hold.",
        "I'll tell you as soon as I hear anything back from them.",
        "Thanks for telling us. There's nothing to be scared of.",
        "Apologies, the driver had the wrong gate code.",
        "Sorry to bother you, but we need the gate code.",
        "The new stock may cause a stomach upset in some dogs.",
        "Sorry for the late reply, I was on site all day.",
        "Apologies for the delay in getting back to you.",
    ],
)
def test_words_that_only_look_like_acknowledgement(en_policy, now, opening):
    assert "validation.acknowledge_first" in validation_rules(en_policy, opening + NEXT, now)


@pytest.mark.parametrize(
    ("draft", "rule"),
    [
        ("We did warn you the slot could move.", "validation.told_you_so"),
        ("As you'll recall, the quote excluded delivery.", "validation.told_you_so"),
        ("I've already covered this twice now: the fee is £40.", "validation.told_you_so"),
        ("As stated clearly in the guide, the key is under Settings.", "validation.told_you_so"),
        ("If you'd booked earlier, this wouldn't have happened.", "validation.told_you_so"),
        ("Please read the manual before contacting support again.", "validation.told_you_so"),
        ("There's no need to get so worked up about a delivery.", "validation.dismissive"),
        ("With respect, the driver followed the instructions.", "validation.dismissive"),
        ("I'm not sure how I can make this any clearer.", "validation.dismissive"),
        ("I hear you, but the driver followed the instructions.", "validation.understand_but"),
        ("I appreciate this is frustrating, however the terms stand.", "validation.understand_but"),
        ("I'm sorry. It's only a two-hour delay, though.", "validation.defensive"),
        ("I'm sorry. I'm not sure what else we could have done.", "validation.defensive"),
        ("Like I've said several times now, staging is smaller.", "validation.told_you_so"),
        ("As I'm sure you'll remember, the Nordics were out of scope.", "validation.told_you_so"),
        ("This was already covered in the handbook: it's 25 days.", "validation.told_you_so"),
        ("I understand you're confused, but it's all in the policy.", "validation.understand_but"),
        ("While I appreciate your frustration, I can't call back.", "validation.understand_but"),
        ("Appreciate this is stressful, but it's a known issue.", "validation.understand_but"),
    ],
)
def test_dismissive_and_defensive_moves(en_policy, now, draft, rule):
    assert rule in validation_rules(en_policy, draft, now)


@pytest.mark.parametrize(
    "draft",
    [
        "I'm sorry you were told the wrong date; the right one is the 14th.",
        "Sorry about the mix-up. If you check the attachment, the new slot is on page two.",
        "I'm sorry the delivery was missed again. It's a two-hour window on Thursday, 10 to 12.",
    ],
)
def test_plain_statements_are_not_dismissive(en_policy, now, draft):
    assert validation_rules(en_policy, draft, now) == set()


def test_an_apology_for_something_else_does_not_hide_a_real_one(en_policy, now):
    draft = "Sorry for the late reply, and I'm so sorry about the wasted morning." + NEXT
    assert "validation.acknowledge_first" not in validation_rules(en_policy, draft, now)


def test_naming_who_decides_is_not_defensive(en_policy, now):
    draft = "I'm sorry, I know this is urgent. Release timing is customs' call, not ours."
    assert validation_rules(en_policy, draft, now) == set()


@pytest.mark.parametrize(
    ("draft", "kept"),
    [
        (
            "The brief you approved specified a blue palette, which is what we delivered.",
            "The brief specified a blue palette, which is what we delivered.",
        ),
        (
            "Payroll was processed using the hours you submitted on Tuesday.",
            "Payroll was processed using the hours on Tuesday.",
        ),
        (
            "The edit follows the storyboard v3 that you approved on the 2nd.",
            "The edit follows the storyboard v3 on the 2nd.",
        ),
    ],
)
def test_the_clients_own_sign_off_is_struck_and_the_fact_kept(en_policy, now, draft, kept):
    report = check(Draft(draft, UPSET, now), en_policy, now=now)
    assert "validation.client_blamed" in {f.rule for f in report.findings}
    assert report.rewrite is not None and kept in report.rewrite
    again = check(Draft(report.rewrite, UPSET, now), en_policy, now=now)
    assert [f.rule for f in again.findings if f.severity != "info"] == []


def test_the_clients_sign_off_named_to_a_calm_client_is_not_blame(en_policy, now):
    draft = "The brief you approved is attached, with your two changes marked in red."
    client = "Could you resend the brief with the changes marked?"
    assert validation_rules(en_policy, draft, now, client) == set()


@pytest.mark.parametrize(
    "draft",
    [
        "Being summoned with a day's notice and no reason would rattle anyone. Here's the law.",
        "Opening an envelope like that would make anyone's stomach drop. A CP2000 is not an audit.",
        "Hearing 'load-bearing' can feel like the floor dropping out. Most walls can come out.",
        "Hobbling two streets because of our skip is exactly what shouldn't happen, and we should "
        "have moved it days ago. It goes tomorrow.",
    ],
)
def test_acknowledgement_in_paraphrase_counts(en_policy, now, draft):
    client = "This is the third time and I'm furious about it."
    rules = {f.rule for f in check(Draft(draft, client), en_policy, now=now).findings}
    assert "validation.acknowledge_first" not in rules


@pytest.mark.parametrize(
    ("draft", "flagged"),
    [
        ("It's all in the spec if you'd read it.", True),
        ("It's in the tenant newsletter, which you'd know if you read it.", True),
        ("You should have calibrated your screen before approving the proof.", True),
        (
            "Four days without a fridge is a hassle and you should have been kept in the loop.",
            False,
        ),
        ("You should have received the link by email this morning.", False),
    ],
)
def test_hindsight_blame_is_flagged_whatever_the_mood(en_policy, now, draft, flagged):
    rules = {f.rule for f in check(Draft(draft, None), en_policy, now=now).findings}
    assert ("validation.hindsight" in rules) is flagged
