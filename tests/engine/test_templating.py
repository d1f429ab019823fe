"""Rule texts: the string-joining shortcut renders exactly what Jinja renders, or is not used."""

from __future__ import annotations

import pytest

from bots.engine.templating import RULE_VARIABLES, environment, rule_text

VALUES = {
    "excerpt": "I guarantee it",
    "mood": "angry",
    "office_hours": "Mon–Fri 09:00–18:00 (Europe/London)",
    "next_business_start": "tomorrow at 09:00",
    "next_update": "today at 17:30",
    "rule": "overpromise.guarantee",
}


@pytest.mark.parametrize(
    "source",
    [
        "“{{ excerpt }}” commits to an outcome you may not control.",
        "Plain text with no holes at all.\n",
        "  leading and trailing space {{ mood }}  \n\n",
        "{{ excerpt }}{{ rule }} {# a comment #}next to each other",
        "{% include 'next_update.j2' %}",
    ],
)
def test_plain_texts_take_the_shortcut_and_render_like_jinja(source):
    env = environment("en", {})
    text = rule_text(env, source, RULE_VARIABLES, "message")
    assert text._parts is not None
    assert text.render(VALUES) == env.from_string(source).render(VALUES)


@pytest.mark.parametrize(
    "source",
    [
        "{{ excerpt | upper }} is loud.",
        "{% if mood == 'angry' %}Calm first.{% else %}Go on.{% endif %}",
        "{{ 'a constant' }} and {{ excerpt }}",
        "{% include 'opening.j2' %}",  # an include that branches on the mood
    ],
)
def test_anything_else_is_rendered_by_jinja(source):
    env = environment("en", {})
    text = rule_text(env, source, RULE_VARIABLES, "message")
    assert text._parts is None
    assert text.render(VALUES) == env.from_string(source).render(VALUES)


def test_an_overridden_include_is_followed():
    env = environment("en", {"next_update.j2": "Back to you {{ next_update }}, {{ mood }}."})
    text = rule_text(env, "{% include 'next_update.j2' %}", RULE_VARIABLES, "suggestion")
    assert text._parts is not None
    assert text.render(VALUES) == "Back to you today at 17:30, angry."
