"""Child policies: org default → team → channel, on the real bundled policies (no mocks)."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from bots.engine import Draft, PolicyError, check, load_policy_dir
from bots.engine.matcher import MatchSet
from bots.engine.text import Offsets, fold
from tests.conftest import TEMPLATES, WEDNESDAY_10AM


def write(directory: Path, name: str, body: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
    return path


def problems(directory: Path) -> list:  # type: ignore[type-arg]
    with pytest.raises(PolicyError) as caught:
        load_policy_dir(directory, TEMPLATES)
    return list(caught.value.issues)


CHANNEL = """
    schema: 1
    name: legal-disputes
    version: "1"
    extends: legal
    applies_to: {channels: [C0DISPUTES]}
    overrides:
      boundary.always_available: {enabled: false}
"""


def test_the_bundled_legal_policy_serves_its_team_only(policies):
    legal = policies.select("I guarantee it.", team="T0LEGAL")
    assert legal.name == "legal"
    assert policies.select("I guarantee it.").name == "default"
    assert policies.select("I guarantee it.", team_id="T0LEGAL").name == "legal"  # Draft's names
    assert policies.select("I guarantee it.", "en", "T0OTHER", None).name == "default"
    assert legal.rule("overpromise.guarantee").severity == "error"
    assert policies.default.rule("overpromise.guarantee").severity == "warning"


def test_phrases_added_and_removed_change_what_the_child_flags(policies, now):
    legal = policies.select("x", team="T0LEGAL")
    added = check(Draft("This one is open and shut, honestly."), legal, now=now)
    assert [f.rule for f in added.findings] == ["overpromise.guarantee"]
    assert not check(
        Draft("This one is open and shut, honestly."), policies.default, now=now
    ).findings
    removed = "We deliver on Friday, full stop."
    assert "overpromise.guarantee" not in {
        f.rule for f in check(Draft(removed), legal, now=now).findings
    }
    assert "overpromise.guarantee" in {
        f.rule for f in check(Draft(removed), policies.default, now=now).findings
    }


def test_a_shadow_rule_is_evaluated_but_not_shown(policies, now):
    legal = policies.select("x", team="T0LEGAL")
    report = check(Draft("The judge will side with us."), legal, now=now)
    assert "overpromise.court_outcome" not in {f.rule for f in report.findings}
    assert [f.rule for f in report.shadow] == ["overpromise.court_outcome"]


def test_a_child_shares_what_it_did_not_change_with_its_parent(policies):
    # Compiled once per load: the unchanged rules' expressions and templates are the parent's.
    legal, default = policies.get("legal"), policies.default
    assert legal is not None
    unchanged = default.rule("boundary.always_available")
    mine = legal.rule("boundary.always_available")
    assert unchanged is not None and mine is not None and mine.message is unchanged.message
    by_key = {e.key: e.regex for e in default.matchset.expressions}
    shared = [e for e in legal.matchset.expressions if by_key.get(e.key) is e.regex]
    changed = [e.key for e in legal.matchset.expressions if by_key.get(e.key) is not e.regex]
    assert shared and "overpromise.guarantee" in changed  # its phrases differ: its own regex
    assert "overpromise.court_outcome" in changed  # a rule of the child's own


def test_a_child_searches_its_parents_set_and_finds_what_its_own_would(policies):
    legal, default = policies.get("legal"), policies.default
    assert legal is not None
    parents = [prefilter for prefilter, _ in default.matchset._sets]
    own = [s for s, _ in legal.matchset._sets if not any(s is p for p in parents)]
    assert len(legal.matchset._sets) - len(own) == len(parents)  # every parent Set is reused
    assert sum(len(s.sources) for s in own) <= 5  # and only what the child changed is its own
    alone = MatchSet(legal.matchset.expressions)  # what the child would search on its own
    texts = ["I guarantee it, full stop.", "An assured outcome: the judge will agree.", "Hi."]
    for text in texts:
        offsets = Offsets(fold(text))
        found, expected = legal.matchset.run(offsets), alone.run(offsets)
        assert {k: sorted(v) for k, v in found.items()} == {
            k: sorted(v) for k, v in expected.items()
        }
    assert "overpromise.court_outcome" in legal.matchset.run(Offsets("the judge will"))


def test_child_office_hours_replace_the_parents(policies):
    legal = policies.select("x", team="T0LEGAL")
    at_8_45 = dt.datetime(2026, 1, 7, 8, 45, tzinfo=dt.UTC)
    assert legal.hours.is_open(at_8_45, None)
    assert not policies.default.hours.is_open(at_8_45, None)


def test_channel_beats_team_and_grandchildren_inherit_everything(policy_dir):
    write(policy_dir, "channels/disputes.yaml", CHANNEL)
    policies = load_policy_dir(policy_dir, TEMPLATES)
    chosen = policies.select("x", None, "T0LEGAL", "C0DISPUTES")
    assert chosen.name == "legal-disputes"
    assert chosen.rule("overpromise.guarantee").severity == "error"  # from legal
    assert not chosen.rule("boundary.always_available").spec.enabled  # its own change
    assert policies.scopes["legal-disputes"].chain == ("default", "legal", "legal-disputes")
    assert policies.select("x", None, "T0LEGAL", "C0ELSEWHERE").name == "legal"
    assert policies.for_language("en").name == "default"  # children never become a language default


def test_a_child_of_another_language_is_not_used_for_this_language(policy_dir):
    policies = load_policy_dir(policy_dir, TEMPLATES)
    assert policies.scoped("pt", "T0LEGAL", None) is None
    assert policies.scoped("en", "T0LEGAL", None).name == "legal"


def test_removing_a_phrase_the_parent_lacks_is_an_error_at_that_line(policy_dir):
    write(
        policy_dir,
        "teams/sales.yaml",
        """
        schema: 1
        name: sales
        version: "1"
        extends: default
        overrides:
          overpromise.guarantee:
            phrases-: ["ironclad"]
    """,
    )
    (issue,) = problems(policy_dir)
    assert issue.file.endswith("teams/sales.yaml")
    assert (issue.line, issue.path) == (7, "overrides.overpromise.guarantee.phrases-[0]")
    assert "no phrase 'ironclad'" in issue.message


def test_every_mistake_in_an_override_file_is_reported_at_once(policy_dir):
    write(
        policy_dir,
        "teams/sales.yaml",
        """
        schema: 1
        name: sales
        version: "1"
        extends: default
        applies_to: {teams: [T1], chanels: [C1]}
        overrides:
          overpromise.guarantee:
            severity: critical
            colour: red
    """,
    )
    found = {(i.line, i.path): i.message for i in problems(policy_dir)}
    assert found[(5, "applies_to.chanels")] == "unknown key 'chanels'"
    assert found[(9, "overrides.overpromise.guarantee.colour")] == "unknown key 'colour'"
    assert "info" in found[(8, "overrides.overpromise.guarantee.severity")]


def test_an_override_of_a_rule_the_parent_does_not_have_names_the_rename(policy_dir):
    write(
        policy_dir,
        "teams/sales.yaml",
        """
        schema: 1
        name: sales
        version: "1"
        extends: default
        overrides:
          overpromise.guarantees: {severity: error}
    """,
    )
    (issue,) = problems(policy_dir)
    assert issue.path == "overrides.overpromise.guarantees" and issue.line == 6
    assert "renamed or removed upstream" in issue.message


def test_unknown_parents_and_cycles_are_errors(policy_dir):
    write(policy_dir, "a.yaml", "schema: 1\nname: a\nversion: '1'\nextends: b\n")
    write(policy_dir, "b.yaml", "schema: 1\nname: b\nversion: '1'\nextends: a\n")
    write(policy_dir, "c.yaml", "schema: 1\nname: c\nversion: '1'\nextends: nowhere\n")
    messages = {Path(i.file).name: i.message for i in problems(policy_dir)}
    assert "cycle" in messages["a.yaml"] and "cycle" in messages["b.yaml"]
    assert "no policy is named 'nowhere'" in messages["c.yaml"]


def test_inherited_examples_that_no_longer_hold_point_at_the_override(policy_dir):
    write(
        policy_dir,
        "teams/sales.yaml",
        """
        schema: 1
        name: sales
        version: "1"
        extends: default
        overrides:
          overpromise.guarantee:
            phrases-: ["you have my word"]
    """,
    )
    (issue,) = problems(policy_dir)
    assert issue.path == "overrides.overpromise.guarantee" and issue.line == 6
    assert "inherited example flag[1]" in issue.message and "its own `examples`" in issue.message


def test_switching_a_rule_off_needs_no_example_changes(policy_dir, now):
    write(
        policy_dir,
        "teams/sales.yaml",
        """
        schema: 1
        name: sales
        version: "1"
        extends: default
        applies_to: {teams: [T0SALES]}
        overrides:
          overpromise.guarantee: {enabled: false}
    """,
    )
    sales = load_policy_dir(policy_dir, TEMPLATES).select("x", team="T0SALES")
    findings = check(Draft("I guarantee it."), sales, now=now).findings
    assert not findings


def test_a_new_rule_cannot_reuse_a_parent_rule_id(policy_dir):
    write(
        policy_dir,
        "teams/sales.yaml",
        """
        schema: 1
        name: sales
        version: "1"
        extends: default
        rules:
          - id: overpromise.guarantee
            category: overpromise
            kind: phrase
            phrases: [surely]
            message: m
            why: w
    """,
    )
    (issue,) = problems(policy_dir)
    assert (issue.line, issue.path) == (6, "rules[0].id")
    assert "change it under `overrides:`" in issue.message


def test_editing_the_parent_changes_the_childs_version(policy_dir):
    before = load_policy_dir(policy_dir, TEMPLATES).get("legal").version
    default = policy_dir / "default.yaml"
    default.write_text(default.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    after = load_policy_dir(policy_dir, TEMPLATES).get("legal").version
    assert before != after


def test_the_checker_picks_the_policy_by_the_drafts_team(host):
    from bots.checking import Checker

    checker = Checker(host, clock=lambda: WEDNESDAY_10AM)
    draft = Draft("I guarantee it.", team_id="T0LEGAL")
    assert checker.policy_for(draft).name == "legal"
    assert checker.check(draft).findings[0].severity == "error"


def test_en_and_pt_bases_each_get_their_own_team_policy(policy_dir):
    source = (policy_dir / "default.yaml").read_text(encoding="utf-8")
    pt = source.replace("name: default", "name: pt-BR").replace("language: en", "language: pt")
    (policy_dir / "pt-BR.yaml").write_text(pt, encoding="utf-8")
    policies = load_policy_dir(policy_dir, TEMPLATES, examples=False)
    assert policies.for_language("pt").name == "pt-BR"
    assert policies.select("Olá, não posso garantir.", "pt-BR", "T0LEGAL").name == "pt-BR"
    write(
        policy_dir,
        "teams/legal-pt.yaml",
        """
        schema: 1
        name: legal-pt
        version: "1"
        extends: pt-BR
        applies_to: {teams: [T0LEGAL]}
        overrides:
          overpromise.guarantee: {severity: error}
    """,
    )
    policies = load_policy_dir(policy_dir, TEMPLATES, examples=False)
    assert policies.select("x", "pt-BR", "T0LEGAL").name == "legal-pt"
    assert policies.select("x", "en-GB", "T0LEGAL").name == "legal"
    assert policies.scopes["legal-pt"].chain == ("pt-BR", "legal-pt")
