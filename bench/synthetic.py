"""Synthetic policies of N rules (80% phrase, 20% pattern), each with examples, as YAML."""

from __future__ import annotations

import itertools
import random
from pathlib import Path
from typing import Any

import yaml

ADJECTIVES = [
    "seamless",
    "bulletproof",
    "instant",
    "effortless",
    "flawless",
    "guaranteed",
    "unlimited",
    "immediate",
    "priority",
    "premium",
    "dedicated",
    "exclusive",
    "turnkey",
    "limitless",
    "airtight",
    "ironclad",
    "frictionless",
    "overnight",
    "zero-risk",
    "risk-free",
    "round-the-clock",
    "white-glove",
    "lightning-fast",
    "rock-solid",
    "foolproof",
    "unconditional",
    "lifetime",
    "perpetual",
    "all-inclusive",
    "bespoke",
    "handcrafted",
    "unrivalled",
    "unbeatable",
    "worry-free",
    "hassle-free",
    "pixel-perfect",
    "best-in-class",
    "world-class",
    "next-level",
    "top-tier",
]
NOUNS = [
    "onboarding",
    "rollout",
    "delivery",
    "support",
    "turnaround",
    "upgrade",
    "migration",
    "refund",
    "discount",
    "access",
    "coverage",
    "warranty",
    "fix",
    "launch",
    "approval",
    "review",
    "response",
    "callback",
    "rebate",
    "credit",
    "waiver",
    "extension",
    "priority",
    "escalation",
    "replacement",
    "installation",
    "audit",
    "consultation",
    "revision",
    "training",
    "handover",
    "sign-off",
    "integration",
    "deployment",
    "release",
    "shipment",
    "payout",
    "settlement",
]
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
NEUTRAL_PASS = (
    "Thanks for the update; I'll review the document and reply tomorrow.",
    "We discussed the schedule with your team and agreed the next steps.",
)


def pairs(seed: int) -> list[str]:
    """Every adjective-noun phrase, shuffled reproducibly."""
    combos = [f"{a} {n}" for a, n in itertools.product(ADJECTIVES, NOUNS)]
    random.Random(seed).shuffle(combos)
    return combos


def phrase_rule(index: int, phrases: list[str]) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": f"synthetic.phrase_{index:04d}",
        "category": "overpromise" if index % 2 else "boundary",
        "severity": "warning" if index % 5 else "info",
        "kind": "phrase",
        "phrases": phrases,
        "unless": ["negated", "hedged", "quoted"],
        "message": "“{{ excerpt }}” promises more than you may be able to give.",
        "why": "Promises of this kind are hard to keep; say what you will do and when.",
        "examples": {
            "flag": [f"We offer a {phrases[0]} for every account."],
            "pass": list(NEUTRAL_PASS),
        },
    }
    if index % 3 == 0:
        rule["suggestion"] = {
            "replace": "I'll confirm exactly what we can offer {{ next_update }}."
        }
    return rule


def pattern_rule(index: int, pair: str) -> dict[str, Any]:
    adjective, noun = pair.split(" ")
    day = WEEKDAYS[index % len(WEEKDAYS)]
    pattern = rf"(?i)\b{adjective}\s+{noun}s?\s+(?:by|before|on)\s+(?:{day}|tomorrow|tonight)\b"
    return {
        "id": f"synthetic.pattern_{index:04d}",
        "category": "overpromise",
        "severity": "warning",
        "kind": "pattern",
        "patterns": [pattern],
        "unless": ["negated", "hedged", "quoted"],
        "message": "“{{ excerpt }}” commits to a date that depends on others.",
        "why": "Dates that depend on others are estimates; give one and say when you'll update.",
        "suggestion": {"template": "next_update.j2"},
        "examples": {
            "flag": [f"You will have the {adjective} {noun} by tomorrow."],
            "pass": [*NEUTRAL_PASS, f"We hope to have the {adjective} {noun} by tomorrow."],
        },
    }


def synthetic_rules(count: int, seed: int = 11) -> tuple[list[dict[str, Any]], list[str]]:
    """`count` rules, 80% phrase and 20% pattern, and the phrases drafts can use to hit them."""
    pool = iter(pairs(seed))
    rules: list[dict[str, Any]] = []
    hits: list[str] = []
    for index in range(count):
        if index % 5 == 4:
            pair = next(pool)
            rules.append(pattern_rule(index, pair))
            hits.append(f"You will have the {pair} by tomorrow.")
        else:
            phrases = [next(pool), next(pool)]
            rules.append(phrase_rule(index, phrases))
            hits.append(f"Every plan now comes with {phrases[index % 2]} included.")
    return rules, hits


#: Room for 5,000-word drafts (the default policy stops at 20,000 characters).
MAX_CHARS = 100_000


def write_policy(base: Path, directory: Path, count: int | None) -> list[str]:
    """Write a policy of `count` synthetic rules (on the base policy's hours, cues and lexicons).

    With `count=None` the base policy's own rules are kept; either way the draft size limit is
    raised to MAX_CHARS so the longest benchmark drafts can be checked.
    """
    spec = yaml.safe_load(base.read_text(encoding="utf-8"))
    spec["limits"] = {**spec.get("limits", {}), "max_draft_chars": MAX_CHARS}
    if count is None:
        hits: list[str] = []
    else:
        rules, hits = synthetic_rules(count)
        spec.update(name="default", version=f"synthetic-{count}", rules=rules)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "default.yaml").write_text(
        yaml.safe_dump(spec, allow_unicode=True, sort_keys=False)
    )
    return hits
