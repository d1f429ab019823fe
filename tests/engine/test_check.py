"""The engine on real policies and real drafts: no mocks."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from bots.engine import Draft, DraftError, check


def run(policy, text, now, **kw):  # type: ignore[no-untyped-def]
    return check(Draft(text, **kw), policy, now=now)


def rules(report) -> set[str]:  # type: ignore[no-untyped-def]
    return {f.rule for f in report.findings}


def test_a_clean_reply_has_no_findings_and_no_rewrite(en_policy, now):
    report = run(en_policy, "Hi Ana, I'll send the minutes by 5pm today. Best, Jo", now)
    assert report.findings == ()
    assert report.rewrite is None
    assert report.after_hours is False


def test_guarantee_is_flagged_with_its_exact_span(en_policy, now):
    text = "Hi Ana,\nI guarantee the permit lands on Friday."
    report = run(en_policy, text, now)
    finding = next(f for f in report.findings if f.rule == "overpromise.guarantee")
    assert text[finding.start : finding.end] == finding.excerpt == "guarantee"
    assert finding.category == "overpromise" and finding.severity == "warning"
    assert finding.why and finding.message and finding.suggestion


@pytest.mark.parametrize(
    "text",
    [
        "I can't guarantee the permit lands on Friday.",
        "I cannot promise you a date yet.",
        "We're aiming for Friday, but I can't guarantee it.",
        'You asked us to "guarantee delivery by Friday"; here is what I can commit to.',
    ],
)
def test_negated_hedged_and_quoted_commitments_pass(en_policy, now, text):
    assert "overpromise.guarantee" not in rules(run(en_policy, text, now))


def test_inflections_and_case_are_tolerated(en_policy, now):
    assert "overpromise.guarantee" in rules(run(en_policy, "We GUARANTEED it would ship.", now))
    assert "overpromise.guarantee" in rules(run(en_policy, "Guaranteeing this is easy.", now))


def test_phrases_are_word_bounded(en_policy, now):
    # "anytime" must not fire inside another word, nor "relax" inside "relaxation".
    report = run(en_policy, "The relaxation workshop agenda is attached.", now)
    assert report.findings == ()


def test_curly_apostrophes_match_like_straight_ones(en_policy, now):
    report = run(en_policy, "I can’t guarantee Friday, but I’ll update you at noon.", now)
    assert "overpromise.guarantee" not in rules(report)


def test_validation_required_only_when_the_client_is_upset(en_policy, now):
    draft = "The parts arrive Monday. The fitter comes Tuesday."
    calm = run(en_policy, draft, now, client_message="When do the parts arrive?")
    upset = run(
        en_policy, draft, now, client_message="I'm fed up, this is the third time it broke."
    )
    assert "validation.acknowledge_first" not in rules(calm)
    assert "validation.acknowledge_first" in rules(upset)
    assert upset.client.mood in {"frustrated", "angry"}
    assert upset.client.evidence and upset.client.reason


def test_after_hours_uses_the_offset_of_the_send_time(en_policy, now):
    late = run(
        en_policy,
        "Thanks, noted.",
        now,
        sent_at=dt.datetime.fromisoformat("2026-01-07T22:30:00-05:00"),
    )
    morning = run(
        en_policy,
        "Thanks, noted.",
        now,
        sent_at=dt.datetime.fromisoformat("2026-01-07T10:30:00-05:00"),
    )
    assert late.after_hours and "after_hours.sending_late" in rules(late)
    assert not morning.after_hours


def test_author_timezone_wins_over_the_offset(en_policy, now):
    # 15:00 UTC is 07:00 in Los Angeles: outside the author's hours.
    sent = dt.datetime(2026, 1, 7, 15, 0, tzinfo=dt.UTC)
    report = run(en_policy, "Thanks, noted.", now, sent_at=sent, timezone="America/Los_Angeles")
    assert report.after_hours


def test_findings_are_immutable(en_policy, now):
    finding = run(en_policy, "I guarantee it.", now).findings[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.rule = "other"  # type: ignore[misc]


def test_rewrite_keeps_greeting_and_signoff_and_passes_the_policy(en_policy, now):
    text = "Hi Sam,\nI guarantee it ships Friday. Call me any time, day or night.\nBest, Dana"
    report = run(en_policy, text, now, client_message="I'm worried we will miss the launch.")
    assert report.rewrite is not None
    assert report.rewrite.startswith("Hi Sam,") and report.rewrite.endswith("Best, Dana")
    again = run(
        en_policy, report.rewrite, now, client_message="I'm worried we will miss the launch."
    )
    assert [f.rule for f in again.findings if f.severity != "info"] == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("hello\x00world", "NUL"),
        ("bell\x07", r"U\+0007"),
        ("x" * 20_001, "limit is 20,000"),
    ],
)
def test_bad_drafts_get_a_clear_error(en_policy, now, text, message):
    with pytest.raises(DraftError, match=message):
        run(en_policy, text, now)


def test_odd_unicode_is_checked_with_correct_offsets(en_policy, now):
    text = "Olá 👋🏽 Zoë — I guarantee the café opens Friday."
    finding = next(
        f for f in run(en_policy, text, now).findings if f.rule == "overpromise.guarantee"
    )
    assert text[finding.start : finding.end] == "guarantee"
