"""Cards rendered from templates/teams/: structure checked, every piece of user text escaped."""

from __future__ import annotations

import pytest

from bots.engine import ClientMood, Draft, Finding, PolicyRef, Report, check
from bots.teams.cards import CARD_VERSION, CardError, CardRenderer, escape_markdown, validate_card
from tests.conftest import TEMPLATES

HOSTILE = (
    'Hi "there"}]}, {"type": "Action.OpenUrl", "url": "https://evil"} **bold** '
    "[x](https://evil) <at>x</at>\n- item\n1. one \\ `code`"
)


@pytest.fixture
def cards() -> CardRenderer:
    return CardRenderer(TEMPLATES)


def text_blocks(card: dict) -> list[dict]:
    found = []
    for element in card["body"]:
        found += [element] if element["type"] == "TextBlock" else []
        found += [i for i in element.get("items", []) if i["type"] == "TextBlock"]
    return found


def test_markdown_is_neutralised() -> None:
    assert escape_markdown("**a** _b_ [c](d) `e`") == r"\*\*a\*\* \_b\_ \[c\](d) \`e\`"
    assert escape_markdown("- one\n2. two\n# three") == "\\- one\n2\\. two\n\\# three"
    assert (
        escape_markdown("plain words (no marks) - 3.5 # ok.")
        == "plain words (no marks) - 3.5 # ok."
    )
    assert escape_markdown("> quoted") == "\\> quoted"


def test_form_keeps_hostile_text_inside_its_input_values(cards: CardRenderer) -> None:
    card = cards.form(draft=HOSTILE, client_message=HOSTILE)
    inputs = [e for e in card["body"] if e["type"] == "Input.Text"]
    assert [i["value"] for i in inputs] == [
        HOSTILE,
        HOSTILE,
    ]  # Input values are literal, not markdown
    assert not any(a["type"] == "Action.OpenUrl" for a in card["actions"])
    assert card["version"] == CARD_VERSION and card["type"] == "AdaptiveCard"


def test_report_card_escapes_user_text_in_text_blocks(cards: CardRenderer, en_policy, now) -> None:  # type: ignore[no-untyped-def]
    finding = Finding("x.rule", "overpromise", "warning", 0, 5, HOSTILE, HOSTILE, HOSTILE, HOSTILE)
    report = Report((finding,), HOSTILE, False, ClientMood(), PolicyRef("default", "1"))
    card = cards.report(report, HOSTILE, interactive=True, draft=HOSTILE, client_message=HOSTILE)
    validate_card(card)
    blocks = [e["text"] for e in text_blocks(card) if "bold" in e["text"]]
    assert len(blocks) >= 5  # summary, message, why, try, rewrite
    assert all("\\*\\*bold\\*\\*" in t and "**" not in t and "[x](" not in t for t in blocks)
    rewrite = next(e for e in card["body"] if e.get("id") == "rewrite")
    assert rewrite["text"] == escape_markdown(HOSTILE)
    insert = next(a for a in card["actions"] if a["title"] == "Insert rewrite")
    assert insert["data"]["draft"] == HOSTILE  # round-trips exactly through the button's data
    assert not any(a["type"] != "Action.Submit" for a in card["actions"])


def test_report_card_structure_for_a_real_report(cards: CardRenderer, en_policy, now) -> None:  # type: ignore[no-untyped-def]
    report = check(Draft("I guarantee it ships Friday."), en_policy, now=now)
    card = cards.report(report, "1 thing to look at")
    assert card["$schema"] == "http://adaptivecards.io/schemas/adaptive-card.json"
    assert card["body"][0] == {
        "type": "TextBlock",
        "text": "1 thing to look at",
        "weight": "Bolder",
        "wrap": True,
    }
    containers = [e for e in card["body"] if e["type"] == "Container"]
    assert len(containers) == len(report.findings)
    for container, finding in zip(containers, report.findings, strict=True):
        assert container["id"] == f"finding-{finding.rule}"
        assert container["items"][-1]["actions"][0]["data"]["rule"] == finding.rule
    assert "actions" not in card  # chat cards have no dialog buttons


def test_a_clean_report_has_no_findings_and_no_rewrite(cards: CardRenderer) -> None:
    report = Report((), None, False, ClientMood(), PolicyRef("default", "1"))
    card = cards.report(report, "Looks good")
    assert [e["type"] for e in card["body"]] == ["TextBlock", "TextBlock"]


@pytest.mark.parametrize("name", ["help", "hours", "notice", "inserted", "form"])
def test_every_template_renders_a_valid_card(cards: CardRenderer, name: str) -> None:
    values = {
        "help": {"bot_name": "Nudge"},
        "hours": {
            "hours": "Mon–Fri 09:00–17:00 (Europe/London)",
            "open": False,
            "next_weekday": 3,
            "next_time": "09:00",
        },
        "notice": {"text": HOSTILE},
        "inserted": {"rewrite": HOSTILE},
        "form": {"draft": "", "client_message": "", "error": None, "max_length": 10},
    }[name]
    card = cards.render(name, **values)
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    assert card["body"] and all(isinstance(e.get("type"), str) for e in card["body"])


def test_validation_rejects_what_is_not_a_card() -> None:
    for bad in (
        {},
        {"type": "AdaptiveCard", "version": "1.0", "body": [{"type": "TextBlock"}]},
        {"type": "AdaptiveCard", "version": CARD_VERSION, "body": []},
        {"type": "AdaptiveCard", "version": CARD_VERSION, "body": [{"text": "no type"}]},
        {
            "type": "AdaptiveCard",
            "version": CARD_VERSION,
            "body": [{"type": "TextBlock"}],
            "actions": [{"type": "Submit"}],
        },
    ):
        with pytest.raises(CardError):
            validate_card(bad)


def test_every_language_defines_the_same_wording(cards: CardRenderer) -> None:
    assert cards.languages == {"en", "pt"}
    names = {}
    for lang in cards.languages:
        module = cards.env.get_template(f"lang/{lang}.j2").module
        names[lang] = {n for n in dir(module) if not n.startswith("_")}
    assert names["pt"] == names["en"] and "thanks" in names["en"]
    assert cards.language("pt-BR") == "pt" and cards.language("pt_PT") == "pt"
    assert cards.language("de-DE") == "en" and cards.language(None) == "en"


def test_hours_card_names_the_weekday_in_the_language(cards: CardRenderer) -> None:
    import datetime as dt

    monday = dt.datetime(2026, 1, 12, 9, 0)
    pt = cards.hours("Seg–Sex 09:00–18:00 (America/Sao_Paulo)", False, monday, lang="pt")
    assert (
        pt["body"][2]["text"]
        == "Agora é fora do horário; o próximo início é segunda-feira às 09:00."
    )
