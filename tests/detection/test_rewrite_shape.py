"""What the suggested rewrite looks like: the writer's reply, mended, in tidy paragraphs."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from bots.engine import Draft, check, load_policy_dir
from tests.conftest import POLICIES, TEMPLATES

LONDON = dt.UTC  # January: London is on UTC


def rewrite(policy, text, client=None, at=None, now=None):  # type: ignore[no-untyped-def]
    report = check(Draft(text, client, at), policy, now=at or now)
    assert report.rewrite is not None, [f.rule for f in report.findings]
    return report.rewrite


def test_blank_lines_between_greeting_body_closing_and_signoff(en_policy, now):
    text = "Hi Sam, the report is attached. Call me any time, day or night. Best, Dana"
    out = rewrite(en_policy, text, now=now)
    blocks = out.split("\n\n")
    assert blocks[0] == "Hi Sam,"
    assert blocks[1].startswith("The report is attached.")
    assert blocks[-1] == "Best, Dana"
    assert "any time" not in out and "Mon–Fri 09:00–18:00" in out


def test_paragraphs_of_the_draft_are_kept(en_policy, now):
    text = (
        "Hi Sam,\n\nThe figures are in the sheet.\n\nI guarantee the bank approves it.\n\n"
        "The call is at 3.\n\nBest,\nDana"
    )
    blocks = rewrite(en_policy, text, now=now).split("\n\n")
    assert blocks[1] == "The figures are in the sheet."
    assert blocks[2].startswith(
        "I can't promise the outcome yet, but I'll confirm where things stand"
    )
    assert blocks[3] == "The call is at 3."
    assert blocks[-1] == "Best,\nDana"


def test_only_the_offending_clause_goes_when_the_rest_carries_facts(en_policy, now):
    text = "Drop-off is 8am on Tuesday, and call me any time, day or night."
    out = rewrite(en_policy, text, now=now)
    assert "Drop-off is 8am on Tuesday." in out
    assert "day or night" not in out


def test_self_blame_is_cut_and_the_facts_stay(en_policy, now):
    text = "The hearing moved to the 12th, I'm a terrible lawyer, and the new notice is attached."
    out = rewrite(en_policy, text, now=now)
    assert "terrible" not in out
    assert "The hearing moved to the 12th, the new notice is attached." in out


def test_overpromise_becomes_an_honest_commitment_timed_by_office_hours(en_policy):
    text = "I guarantee the permit is approved this week."
    wednesday_10 = dt.datetime(2026, 1, 7, 10, 0, tzinfo=LONDON)
    friday_17 = dt.datetime(2026, 1, 9, 17, 0, tzinfo=LONDON)
    wednesday_22 = dt.datetime(2026, 1, 7, 22, 0, tzinfo=LONDON)
    assert "today at 17:30" in rewrite(en_policy, text, at=wednesday_10)
    assert "Monday at 12:00" in rewrite(en_policy, text, at=friday_17)
    assert "tomorrow at 12:00" in rewrite(en_policy, text, at=wednesday_22)
    assert "guarantee" not in rewrite(en_policy, text, at=wednesday_10)


def test_opening_is_fitted_to_the_mood(en_policy, now):
    facts = "The parts arrive Monday. Per my last email, the fitter comes Tuesday."
    angry = rewrite(en_policy, facts, "This is unacceptable.", now=now)
    anxious = rewrite(en_policy, facts, "I'm so worried about the boiler.", now=now)
    calm = rewrite(en_policy, facts, "When do the parts arrive?", now=now)
    assert angry.startswith("I'm sorry for how this has landed on you")
    assert anxious.startswith("I understand this is worrying")
    assert calm.startswith("Thank you for raising this")
    assert "Per my last email" not in calm


def test_no_second_opening_when_the_draft_already_acknowledges(en_policy, now):
    text = "I'm so sorry, that sounds exhausting. Call me any time."
    out = rewrite(en_policy, text, "I'm exhausted and frustrated.", now=now)
    assert out.startswith("I'm so sorry, that sounds exhausting.")
    assert "I understand how frustrating" not in out


def test_abuse_gets_a_respectful_limit_and_hours_when_at_stake(en_policy, now):
    out = rewrite(
        en_policy, "Sure, I'll fix it tonight.", "You useless idiots, fix it tonight.", now=now
    )
    assert "respectful" in out
    assert "My working hours are Mon–Fri 09:00–18:00" in out


def test_admins_change_the_wording_without_code(tmp_path: Path, now):
    directory = tmp_path / "policies"
    shutil.copytree(POLICIES, directory)
    default = directory / "default.yaml"
    default.write_text(
        default.read_text(encoding="utf-8").replace(
            "templates: {}",
            "templates:\n  next_update.j2: "
            '"You will hear from me {{ next_update }}, whatever the news."',
        ),
        encoding="utf-8",
    )
    policy = load_policy_dir(directory, TEMPLATES, examples=False).default
    out = rewrite(policy, "I guarantee it ships Friday.", now=now)
    assert "You will hear from me today at 17:30, whatever the news." in out
