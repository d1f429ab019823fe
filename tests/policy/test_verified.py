"""Examples that passed are not run again for the same policy, templates and code; nothing else
changes: an edit whose examples fail is refused exactly as without the record."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bots.engine import PolicyError, load_policy_dir
from bots.engine.policy.verified import ExampleGate, VerifiedExamples
from bots.policy_host import PolicyHost
from bots.settings import load_settings
from tests.conftest import POLICIES, TEMPLATES
from tests.policy.test_policy_errors import GOOD_RULE, HEADER, write

FAILING = GOOD_RULE.replace('pass: ["Fine."]', 'pass: ["I guarantee nothing changes."]')


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    target = tmp_path / "templates"
    shutil.copytree(TEMPLATES, target)
    return target


def test_passing_examples_are_recorded_for_every_policy_of_the_folder():
    verified = VerifiedExamples()
    policies = load_policy_dir(POLICIES, TEMPLATES, verified=verified)
    gate = ExampleGate.for_load(verified, TEMPLATES)
    assert len(verified.keys) == len(policies.policies) == 3  # default, pt-BR, teams/legal
    assert not any(gate.needed(p) for p in policies)


def test_a_recorded_key_is_what_skips_the_examples(tmp_path, templates):
    # The record is trusted: with the failing policy's key in it, its examples do not run.
    directory = write(tmp_path, HEADER + FAILING)
    with pytest.raises(PolicyError):
        load_policy_dir(directory, templates, verified=VerifiedExamples())
    policy = load_policy_dir(directory, templates, examples=False).default
    verified = VerifiedExamples()
    verified.add(verified.key(policy, ExampleGate.for_load(verified, templates).templates))
    assert load_policy_dir(directory, templates, verified=verified).default.digest == policy.digest


def test_an_edit_runs_the_examples_again_and_a_failure_is_refused(tmp_path, templates):
    directory = write(tmp_path, HEADER + GOOD_RULE)
    verified = VerifiedExamples()
    load_policy_dir(directory, templates, verified=verified)
    write(tmp_path, HEADER + FAILING)
    with pytest.raises(PolicyError) as caught:
        load_policy_dir(directory, templates, verified=verified)
    assert caught.value.issues[0].path == "rules[0].examples.pass[0]"
    assert len(verified.keys) == 1  # failures are never recorded


def test_changed_templates_run_the_examples_again(tmp_path, templates):
    directory = write(tmp_path, HEADER + GOOD_RULE)
    verified = VerifiedExamples()
    policy = load_policy_dir(directory, templates, verified=verified).default
    assert not ExampleGate.for_load(verified, templates).needed(policy)
    (templates / "en" / "abuse.j2").write_text("{{ mood }}\n", encoding="utf-8")
    assert ExampleGate.for_load(verified, templates).needed(policy)


def test_a_child_whose_examples_fail_is_refused_though_its_parent_passed(tmp_path, templates):
    directory = tmp_path / "policies"
    shutil.copytree(POLICIES, directory)
    verified = VerifiedExamples()
    load_policy_dir(directory, templates, verified=verified)
    legal = directory / "teams" / "legal.yaml"
    legal.write_text(
        legal.read_text(encoding="utf-8").replace(
            "  overpromise.certainty:\n    severity: error\n",
            "  overpromise.certainty:\n    severity: error\n"
            '    examples: {flag: ["Lovely weather today."], pass: ["Fine."]}\n',
        ),
        encoding="utf-8",
    )
    with pytest.raises(PolicyError) as caught:
        load_policy_dir(directory, templates, verified=verified)
    assert {Path(i.file).name for i in caught.value.issues} == {"legal.yaml"}


def test_the_record_survives_a_restart_and_a_corrupt_one_is_ignored(tmp_path):
    path = tmp_path / "var" / "verified-examples.json"
    first = VerifiedExamples.open(path)
    load_policy_dir(POLICIES, TEMPLATES, verified=first)
    assert first.save() and not first.save()  # written once; nothing new the second time
    again = VerifiedExamples.open(path)
    assert again.keys == first.keys
    path.write_text("{not json", encoding="utf-8")
    assert VerifiedExamples.open(path).keys == {}
    path.write_text(json.dumps({"schema": 1, "verified": [1, "k"]}), encoding="utf-8")
    assert list(VerifiedExamples.open(path).keys) == ["k"]


def test_an_unwritable_place_keeps_the_record_in_memory(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    verified = VerifiedExamples.open(blocker / "verified-examples.json")  # parent is a file
    verified.add("k")
    assert verified.save() is False and "k" in verified


def test_the_server_host_records_on_start_and_refuses_a_broken_edit(tmp_path, templates):
    directory = write(tmp_path, HEADER + GOOD_RULE)
    path = tmp_path / "verified.json"
    host = PolicyHost(directory, templates, verified=VerifiedExamples.open(path))
    assert host.reload().ok and path.exists()
    good = host.version
    write(tmp_path, HEADER + FAILING)
    outcome = host.reload("watch")
    assert not outcome.ok and host.version == good
    assert "expected no finding" in outcome.errors[0]


def test_the_setting_turns_the_record_off(tmp_path):
    assert load_settings(NUDGE_EXAMPLES_CACHE="off").examples_cache is None
    assert load_settings(NUDGE_EXAMPLES_CACHE="").examples_cache is None
    chosen = tmp_path / "v.json"
    assert load_settings(NUDGE_EXAMPLES_CACHE=str(chosen)).examples_cache == chosen


def test_validate_runs_every_example_and_records_the_passes(nudge, tmp_path, monkeypatch):
    record = tmp_path / "verified.json"
    monkeypatch.setenv("NUDGE_EXAMPLES_CACHE", str(record))
    (tmp_path / "broken").mkdir()
    (tmp_path / "good").mkdir()
    broken = write(tmp_path / "broken", HEADER + FAILING)
    trusted = VerifiedExamples.open(record)
    policy = load_policy_dir(broken, TEMPLATES, examples=False).default
    trusted.add(trusted.key(policy, ExampleGate.for_load(trusted, TEMPLATES).templates))
    trusted.save()
    failed = nudge("policy", "validate", "--policy", str(broken))
    assert failed.code == 2 and "expected no finding" in failed.err  # the record is not trusted
    good = write(tmp_path / "good", HEADER + GOOD_RULE)
    assert nudge("policy", "validate", "--policy", str(good)).code == 0
    policy = load_policy_dir(good, TEMPLATES, examples=False).default
    gate = ExampleGate.for_load(VerifiedExamples.open(record), TEMPLATES)
    assert not gate.needed(policy)  # a server starting next skips these examples
