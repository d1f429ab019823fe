"""Refuse drafts the engine cannot judge, with a message a person can act on."""

from __future__ import annotations

import re

#: Control characters (category Cc) other than newline and tab, surrogates (Cs) and U+FFFE.
#: One regex search instead of a per-character loop: the loop cost more than matching the rules.
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe]")


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
    bad = _first_forbidden(text)
    if bad:
        ch, index = bad.group(), bad.start()
        name = "NUL" if ch == "\0" else f"U+{ord(ch):04X}"
        raise DraftError(
            f"the {what} contains a control character ({name}) at position {index}; "
            "paste plain text"
        )


def _first_forbidden(text: str) -> re.Match[str] | None:
    """`_FORBIDDEN.search(text)`, skipped for text that is printable but for line breaks and tabs.

    Every forbidden character is unprintable (categories Cc, Cs, Cn), so such text has none;
    `isprintable` tells in C in a fraction of the search's time (a draft is checked per request).
    """
    if text.replace("\n", " ").replace("\t", " ").isprintable():
        return None
    return _FORBIDDEN.search(text)
