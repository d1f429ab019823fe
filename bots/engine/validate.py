"""Refuse drafts the engine cannot judge, with a message a person can act on."""

from __future__ import annotations

import unicodedata

_ALLOWED_CONTROLS = frozenset("\n\t")


class DraftError(ValueError):
    """A draft that cannot be checked (empty, too long, binary-looking)."""


def validate_text(text: str, max_chars: int, what: str = "draft") -> None:
    if not text.strip():
        raise DraftError(f"the {what} is empty: paste the reply you want checked")
    if len(text) > max_chars:
        raise DraftError(
            f"the {what} is {len(text):,} characters; the limit is {max_chars:,}. "
            "Check it in parts, or ask an admin to raise limits.max_draft_chars"
        )
    for index, ch in enumerate(text):
        if ch in _ALLOWED_CONTROLS:
            continue
        category = unicodedata.category(ch)
        if category == "Cc" or ch == "\ufffe" or category == "Cs":
            name = "NUL" if ch == "\0" else f"U+{ord(ch):04X}"
            raise DraftError(
                f"the {what} contains a control character ({name}) at position {index}; "
                "paste plain text"
            )
