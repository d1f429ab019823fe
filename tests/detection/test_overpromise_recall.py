"""Issue 3: plain promises about other people's actions are caught, honest forecasts are not."""

from __future__ import annotations

import io

import pytest

from bots.engine import Draft, check
from bots.evaluation import evaluate, read_corpus
from tests.detection.findings import rules_of
from tests.detection.invariant import CORPUS_DIR

#: (precision, recall) floors for overpromise on the overpromise-focused tuning sets.
FLOORS = {
    "en_overpromise_tuning": (0.95, 0.95),
    "en_overpromise_tuning2": (0.95, 0.9),
    "en_overpromise_tuning3": (0.95, 0.85),
    "en_overpromise_tuning4": (0.9, 0.85),
    "en_overpromise_tuning5": (0.95, 0.9),
    "pt_overpromise_tuning": (0.95, 0.95),
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_overpromise_sets_meet_their_floors(policies, name):
    text = (CORPUS_DIR / f"{name}.jsonl").read_text(encoding="utf-8")
    result = evaluate(read_corpus(io.StringIO(text)), policies)
    assert not result.bad_lines
    scores = result.categories["overpromise"].to_dict()
    precision, recall = FLOORS[name]
    assert scores["precision"] >= precision, scores
    assert scores["recall"] >= recall, scores


def test_overpromise_sets_are_half_hard_negatives():
    for name in FLOORS:
        rows = (CORPUS_DIR / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        negatives = [row for row in rows if '"overpromise": false' in row]
        assert 0.4 <= len(negatives) / len(rows) <= 0.6, name


def _overpromises(policies, text: str, lang: str, now) -> list[str]:  # type: ignore[no-untyped-def]
    report = check(Draft(text), policies.for_language(lang), now=now)
    return [f.rule for f in report.findings if f.category == "overpromise"]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Don't worry, the bank will release the funds on Wednesday."),
        ("en", "Don't worry, we will win this appeal."),
        ("pt", "Não se preocupe, o banco vai liberar o dinheiro na quarta."),
    ],
)
def test_a_reassurance_is_not_a_negation(policies, now, lang, text):
    assert _overpromises(policies, text, lang, now)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Don't worry, I can't promise the bank will release it, but I'll chase them."),
        ("en", "If the bank releases the funds on Wednesday, completion is Wednesday."),
        ("pt", "Não se preocupe: se o banco não liberar na quarta, te aviso na hora."),
    ],
)
def test_negation_and_conditions_still_hold_after_a_reassurance(policies, now, lang, text):
    assert _overpromises(policies, text, lang, now) == []


@pytest.mark.parametrize(
    "text",
    [
        "I've asked whether the insurer will pay out in full; I'll let you know on Friday.",
        "The supplier told us the parts reach you on Thursday; I'll confirm when they ship.",
        "Your colleague will get access once IT approves the request.",
        "You'll get it back at the end of the tenancy if there's no damage.",
        "The bank will release the funds once both sides confirm, which usually takes a day.",
        # a refund already made is a fact, not a promise (two blind sets' labels disagreed; the
        # issue asks for refunds *promised* without authority)
        "I've refunded the €55 in full this morning.",
        # knowing is not a promise: "we'll know for sure at the meeting"
        "I think the council will approve it, but we'll know for sure at the meeting on the 8th.",
        # "today's prices" is not a date
        "Each plan fixes our fees at today's prices.",
    ],
)
def test_questions_reports_and_conditions_promise_nothing(policies, now, text):
    assert _overpromises(policies, text, "en", now) == []


@pytest.mark.parametrize(
    ("draft", "rule"),
    [
        # A negation governs its own clause; the promise after the comma still stands.
        ("You won't lose the house, I can guarantee that.", "overpromise.guarantee"),
        ("The mice will be gone for good this time.", "overpromise.never_again"),
        # a dash ends the clause a negation governs: the promise after it stands
        ("Don't worry, he won't go to prison — I'll make sure of it.", "overpromise.guarantee"),
        (
            "Exchange will 100% happen tomorrow, the seller's solicitors assured me.",
            "overpromise.certainty",
        ),
        ("Don't worry, it won't rain — these forecasts are always wrong.", "overpromise.certainty"),
        ("Don't worry though, I'll get HMRC to reduce it.", "overpromise.certainty"),
        ("We'll pay for the ring straight away, whatever it's worth.", "overpromise.compensation"),
        ("I'll make sure you never have to wait again.", "overpromise.never_again"),
        ("Stock will come tomorrow 10 am sharp, sure shot.", "overpromise.certainty"),
        ("With our new programme she'll get an A* for sure.", "overpromise.certainty"),
        ("Yes, Petplan will definitely cover it all.", "overpromise.certainty"),
        ("To make up for it I'll knock 50% off your bill.", "overpromise.compensation"),
        ("The launch is on the 31st, I'll make it happen.", "overpromise.guarantee"),
        ("We've never missed an event and we never will.", "overpromise.never_again"),
        ("There's no way a judge rules against you on these facts.", "overpromise.certainty"),
        ("Full refund plus your next event free, that's a promise.", "overpromise.guarantee"),
    ],
)
def test_promises_found_since_the_third_set(en_policy, now, draft, rule):
    assert rule in rules_of("overpromise", en_policy, draft, None, now)


@pytest.mark.parametrize(
    "draft",
    [
        "I can't guarantee the date, but I'll chase them today.",
        "You should have locked in the rate in March; the letters went out on time.",
        "I'm sorry, I know you were counting on it for the weekend.",
        "I'm sorry, it falls short of what we promised.",
        "Save my number and ring me for anything at all, no matter what.",
    ],
)
def test_negated_guarantees_and_past_verbs_are_not_promises(en_policy, now, draft):
    assert "overpromise.guarantee" not in rules_of("overpromise", en_policy, draft, None, now)


@pytest.mark.parametrize(
    "draft",
    [
        "I'll give you clear aftercare advice.",
        "The supplier will confirm the exact day on Friday and I'll pass it on.",
    ],
)
def test_the_writers_own_advice_and_a_third_partys_confirmation_are_not_forecasts(
    en_policy, now, draft
):
    assert rules_of("overpromise", en_policy, draft, None, now) == set()
