"""Policy loading: every error at once, with file, line, column and key path."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from bots.engine import PolicyError, load_policy_dir
from tests.conftest import POLICIES, TEMPLATES

GOOD_RULE = """
  - id: test.rule
    category: overpromise
    kind: phrase
    phrases: [guarantee]
    message: "m"
    why: "w"
    examples:
      flag: ["I guarantee it."]
      pass: ["Fine."]
"""

HEADER = """schema: 1
name: t
version: "1"
office_hours:
  timezone: Europe/Lisbon
rules:
"""


def write(tmp_path: Path, text: str) -> Path:
    directory = tmp_path / "policies"
    directory.mkdir(exist_ok=True)
    (directory / "p.yaml").write_text(text, encoding="utf-8")
    return directory


def issues(directory: Path) -> list:
    with pytest.raises(PolicyError) as caught:
        load_policy_dir(directory, TEMPLATES)
    return list(caught.value.issues)


def test_five_distinct_errors_are_all_reported_with_lines(tmp_path):
    text = """schema: 1
name: t
version: "1"
colour: blue
office_hours:
  timezone: Mars/Olympus
rules:
  - id: a.one
    category: overpromise
    kind: pattern
    patterns: ["(a)\\\\1"]
    message: "m"
    why: "w"
  - id: a.two
    category: boundary
    kind: phrase
    phrases: [x]
    message: "Hello {{ nobody }}"
    why: "w"
  - id: a.three
    category: nonsense
    kind: phrase
    phrases: [x]
    message: "m"
    why: "w"
  - id: a.four
    category: boundary
    kind: phrase
    phrases: [x]
    message: "m"
    why: "w"
    sevrity: error
"""
    found = issues(write(tmp_path, text))
    by_path = {i.path: i for i in found}
    assert (
        "colour" in by_path
        and by_path["colour"].line == 4
        and "unknown key" in by_path["colour"].message
    )
    assert by_path["rules[2].category"].line == 21
    assert by_path["rules[3].sevrity"].line == 32
    # timezone, regex and template errors are found at compile time, alongside the schema errors
    text_fixed_schema = text.replace("colour: blue\n", "").replace(
        "category: nonsense", "category: boundary"
    )
    text_fixed_schema = text_fixed_schema.replace("    sevrity: error\n", "")
    found2 = issues(write(tmp_path, text_fixed_schema))
    paths2 = {i.path: i for i in found2}
    assert (
        paths2["office_hours.timezone"].line == 5
        and "unknown time zone" in paths2["office_hours.timezone"].message
    )
    assert (
        paths2["rules[0].patterns[0]"].line == 10
        and "RE2" in paths2["rules[0].patterns[0]"].message
    )
    assert paths2["rules[1].message"].line == 17 and "nobody" in paths2["rules[1].message"].message
    for issue in found + found2:
        assert issue.file.endswith("p.yaml") and issue.line >= 1 and issue.column >= 1


def test_yaml_syntax_error_has_line_and_column(tmp_path):
    found = issues(write(tmp_path, HEADER + "  - id: [unclosed\n"))
    assert len(found) == 1 and found[0].line == 8 and "YAML syntax" in found[0].message


def test_failing_example_is_an_error_at_the_example(tmp_path):
    rule = GOOD_RULE.replace('pass: ["Fine."]', 'pass: ["I guarantee nothing changes."]')
    found = issues(write(tmp_path, HEADER + rule))
    assert found[0].path == "rules[0].examples.pass[0]"
    assert "expected no finding" in found[0].message and found[0].line == 16


def test_pattern_matching_empty_string_is_refused(tmp_path):
    rule = GOOD_RULE.replace(
        "kind: phrase\n    phrases: [guarantee]", 'kind: pattern\n    patterns: ["x*"]'
    )
    found = issues(write(tmp_path, HEADER + rule))
    assert "empty string" in found[0].message


def test_duplicate_ids_and_duplicate_keys(tmp_path):
    found = issues(write(tmp_path, HEADER + GOOD_RULE + GOOD_RULE))
    assert any("duplicate rule id" in i.message for i in found)
    found = issues(
        write(tmp_path, HEADER.replace('version: "1"', 'version: "1"\nversion: "2"') + GOOD_RULE)
    )
    assert "duplicate key" in found[0].message and found[0].line == 4


def test_a_bad_file_in_a_directory_does_not_hide_a_good_ones_errors(tmp_path):
    directory = write(tmp_path, HEADER + GOOD_RULE.replace('why: "w"', 'why: "{{ bad"'))
    (directory / "other.yaml").write_text("schema: 1\nname: other\n", encoding="utf-8")
    files = {Path(i.file).name for i in issues(directory)}
    assert files == {"p.yaml", "other.yaml"}


def test_catastrophic_regex_returns_in_milliseconds(tmp_path, now):
    from bots.engine import Draft, check

    rule = GOOD_RULE.replace(
        "kind: phrase\n    phrases: [guarantee]", 'kind: pattern\n    patterns: ["(a+)+$"]'
    )
    rule = rule.replace('flag: ["I guarantee it."]', 'flag: ["aaa"]')
    policy = load_policy_dir(write(tmp_path, HEADER + rule), TEMPLATES).default
    hostile = "a" * 10_000 + "b"
    started = time.perf_counter()
    report = check(Draft(hostile), policy, now=now)
    elapsed = time.perf_counter() - started
    assert report.findings == ()
    # Generous bound for a noisy CI machine; stdlib `re` takes minutes on this input.
    assert elapsed < 0.5


def test_the_bundled_policies_load_and_every_rule_has_examples(policies):
    for policy in policies:
        for rule in policy.rules:
            assert rule.spec.why.strip()
            assert len(rule.spec.examples.flag) >= 2 and len(rule.spec.examples.pass_) >= 2, rule.id


def test_validate_cli_reports_problems_with_exit_2(nudge, tmp_path):
    directory = write(
        tmp_path, HEADER + GOOD_RULE.replace("category: overpromise", "category: oops")
    )
    result = nudge("policy", "validate", "--policy", str(directory))
    assert result.code == 2
    assert "p.yaml:9:5: rules[0].category" in result.err


def test_validate_cli_ok(nudge):
    result = nudge("policy", "validate")
    assert result.code == 0 and "ok" in result.out


def test_policy_test_cli_passes_on_the_bundled_policies(nudge):
    result = nudge("policy", "test")
    assert result.code == 0, result.out
    assert " 0 failed" in result.out


def test_policy_test_cli_shows_a_readable_diff_on_failure(nudge, tmp_path):
    shutil.copytree(POLICIES, tmp_path / "p")
    policy = tmp_path / "p" / "default.yaml"
    policy.write_text(
        policy.read_text(encoding="utf-8").replace(
            '"I guarantee the permit will be approved this month."', '"Everything is fine."'
        ),
        encoding="utf-8",
    )
    result = nudge("policy", "test", "--policy", str(tmp_path / "p"))
    assert result.code == 1
    assert "FAIL default overpromise.guarantee flag[0]" in result.out
    assert (
        "expected: a finding" in result.out
        and "got:      expected a finding, got none" in result.out
    )


FORECAST_RULE = """
  - id: test.forecast
    category: overpromise
    kind: forecast
    message: "{{ excerpt }}: {{ reason }}"
    why: "w"
    forecast:
      future: [will]
      decisions: [approve]
      subjects: {writer: [i], others: [they]}
      times: ['(?i)\\\\btomorrow\\\\b']
      reasons: {date: "d {{ anchor }}", outcome: "o {{ subject }}", needs_others: "n"}
    examples:
      flag: ["They will approve it."]
      pass: ["I will approve it."]
"""


def test_a_forecast_rule_loads_and_runs_its_examples(tmp_path):
    policy = load_policy_dir(write(tmp_path, HEADER + FORECAST_RULE), TEMPLATES).default
    assert policy.rule("test.forecast").grammar is not None


@pytest.mark.parametrize(
    ("old", "new", "path", "needle"),
    [
        (
            "    forecast:\n      future: [will]",
            "    phrases: [x]\n    forecast:\n      future: [will]",
            "rules[0]",
            "takes no `phrases`",
        ),
        (
            "kind: forecast",
            "kind: pattern\n    patterns: [x]",
            "rules[0]",
            "only applies to forecast",
        ),
        ("      future: [will]\n", "", "rules[0].forecast.future", "Field required"),
        ("'(?i)\\\\btomorrow\\\\b'", "'(?<=x)y'", "rules[0].forecast.times", "RE2"),
        ('"o {{ subject }}"', '"o {{ client }}"', "rules[0].forecast.reasons.outcome", "client"),
        ("subjects: {", "subjects: {colour: red, ", "rules[0].forecast.subjects.colour", "unknown"),
    ],
)
def test_forecast_rule_errors_name_the_key(tmp_path, old, new, path, needle):
    rule = FORECAST_RULE.replace(old, new)
    assert rule != FORECAST_RULE
    found = issues(write(tmp_path, HEADER + rule))
    assert any(i.path.startswith(path) and needle in i.message for i in found), found


def test_a_suggestion_takes_one_action_strike_included(tmp_path):
    rule = GOOD_RULE.replace('why: "w"', 'why: "w"\n    suggestion: { strike: true, drop: true }')
    found = issues(write(tmp_path, HEADER + rule))
    assert any("exactly one of: replace, template, drop, strike" in str(i) for i in found)
