"""Generated drafts: realistic business replies with a sprinkling of things worth flagging."""

from __future__ import annotations

import random
from collections.abc import Sequence

#: Sentences an account manager, lawyer or agency lead would plausibly write; none flags.
NEUTRAL = (
    "Thanks for your message about the renewal and for laying out the details so clearly.",
    "I have gone through the invoice line by line with our finance team this morning.",
    "The design team shared the second round of mock-ups with me yesterday afternoon.",
    "Our carrier confirmed that the pallet left the warehouse on Tuesday.",
    "I spoke with the council's planning officer about the application this week.",
    "The migration plan has three stages, and the first one is already finished.",
    "Here is a short summary of where each workstream stands today.",
    "We reviewed the contract clause you mentioned and attached our reading of it.",
    "The engineers reproduced the problem on a test account and logged every step.",
    "Your onboarding session is booked for Thursday at two, with the same trainer as before.",
    "I have copied Priya, who manages the supplier relationship on our side.",
    "The revised quote reflects the smaller print run we agreed on the call.",
    "We will share the draft report with your team for comments before it is final.",
    "The hearing has been listed for the spring, and we are preparing the bundle now.",
    "I checked the ticket history, and the last update was sent on the fourth.",
    "Please find the updated timeline attached, with the dependencies marked in blue.",
    "Our next check-in is on Friday, and I will bring the test results to it.",
    "The vendor has asked for two more days to finish the security review.",
    "I understand the budget is tight this quarter, so I have split the work into phases.",
    "Let me know if the proposed agenda works for you and your colleagues.",
)

#: Sentences that should draw a finding from the default policy (overpromise, boundary).
TRIGGERS = (
    "I guarantee the shipment will arrive by Friday.",
    "You have my word that this will never happen again.",
    "Feel free to call me anytime, even on weekends.",
    "I'll work through the weekend to get it done.",
    "We'll refund the full amount today.",
    "It was completely my fault and I am so sorry.",
    "We'll add the extra pages for free, no problem at all.",
    "The permit will definitely be approved this month.",
)

GREETINGS = ("Hi Sam,", "Hello Dana,", "Dear Ms Okafor,", "Hi team,")
SIGNOFFS = ("Best,\nAlex", "Kind regards,\nJordan", "Thanks,\nMaria", "Warm regards,\nChris")

CLIENT_MESSAGES = (
    "This is the third time I've asked for an update and I'm still waiting. "
    "Frankly it's unacceptable.",
    "I'm worried we will miss our launch date. What happens if the shipment is late?",
    "Could you send the revised invoice when you have a moment?",
)


def words(text: str) -> int:
    return len(text.split())


def make_draft(
    target_words: int,
    rng: random.Random,
    hit_rate: float = 0.12,
    extra_hits: Sequence[str] = (),
) -> str:
    """A reply of about `target_words` words; roughly `hit_rate` of sentences should flag."""
    sentences: list[str] = []
    count = words(GREETINGS[0])
    while count < target_words:
        if rng.random() < hit_rate:
            pool = TRIGGERS if not extra_hits or rng.random() < 0.5 else extra_hits
            sentence = rng.choice(pool)
        else:
            sentence = rng.choice(NEUTRAL)
        sentences.append(sentence)
        count += words(sentence)
    paragraphs = [" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
    return "\n\n".join([rng.choice(GREETINGS), *paragraphs, rng.choice(SIGNOFFS)])


def make_drafts(
    target_words: int, count: int, seed: int = 7, extra_hits: Sequence[str] = ()
) -> list[str]:
    """`count` different drafts of about `target_words` words, reproducible from `seed`."""
    rng = random.Random(seed * 100_003 + target_words)
    return [make_draft(target_words, rng, extra_hits=extra_hits) for _ in range(count)]
