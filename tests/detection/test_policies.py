"""Both bundled policies: same categories, every rule explained and exemplified."""

from __future__ import annotations

from bots.engine import PolicySet


def test_english_and_portuguese_policies_exist(policies: PolicySet):
    assert policies.for_language("en").name == "default"
    pt = policies.for_language("pt")
    assert (pt.name, pt.language) == ("default-pt", "pt")
    assert pt.hours.zone.key == "America/Sao_Paulo"


def test_both_policies_cover_the_same_categories_and_rules(policies: PolicySet):
    en, pt = policies.for_language("en"), policies.for_language("pt")
    assert {r.category for r in en.rules} == {r.category for r in pt.rules}
    shared = {
        "overpromise.guarantee",
        "boundary.always_available",
        "boundary.abuse_unaddressed",
        "boundary.no_limit_stated",
        "validation.acknowledge_first",
        "validation.defensive",
        "validation.understand_but",
        "after_hours.sending_late",
    }
    assert shared <= {r.id for r in en.rules} & {r.id for r in pt.rules}


def test_every_rule_explains_itself_with_two_flags_and_two_passes(policies: PolicySet):
    for policy in policies:
        for rule in policy.rules:
            where = f"{policy.name}:{rule.id}"
            assert rule.spec.why.strip(), where
            assert len(rule.spec.examples.flag) >= 2, where
            assert len(rule.spec.examples.pass_) >= 2, where


def test_mood_lexicons_cover_every_mood_in_both_languages(policies: PolicySet):
    for policy in policies:
        moods = {mood for mood, _ in policy.mood.expressions}
        assert moods == {"abusive", "angry", "frustrated", "anxious"}, policy.name
        assert policy.mood.negation is not None and policy.mood.hints, policy.name
