"""Which language a draft is in (English or Portuguese), and what a user's locale means.

Detection counts common function words of each language and the letters only Portuguese
uses (ã, õ, ç, ê…); it is meant for choosing a policy, not for linguistics.
"""

from __future__ import annotations

import re

SUPPORTED = ("en", "pt")
_PT_WORDS = (
    "não nao você voce vocês que de do da dos das para pra com uma um por isso está estou então "
    "também mais muito obrigado obrigada olá oi já ainda amanhã hoje seu sua nosso nossa nós eu "
    "ele ela são é foi vamos pode posso preciso entendo desculpe desculpa prazo até semana no na "
    "nos nas ao aos se mas porque quando como te lhe vou vai fica ficou tudo bem abraço att "
    "atenciosamente sinto agora aqui assim depois antes sobre entre sem"
)
_EN_WORDS = (
    "the and you your we our is are was to of for with this that will can i it in on be have has "
    "not but thanks please hi hello today tomorrow week sorry understand i'm i'll we'll it's don't "
    "what when how just would could should there their they from about at by as an best regards"
)
# Words are runs of [a-zà-ÿ'] in the lower-cased text: all Latin-1, so the text is read as
# Latin-1 bytes (anything else becomes "?", never a word) and split and counted in C. A Python
# loop over the words cost more than the rest of choosing a policy.
_PT = frozenset(w.encode("latin-1") for w in _PT_WORDS.split())
_EN = frozenset(w.encode("latin-1") for w in _EN_WORDS.split())
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyz'" + bytes(range(0xE0, 0x100)))
_WORDS_ONLY = bytes(b if b in _WORD_BYTES else 0x20 for b in range(256))
_PT_LETTERS = frozenset("ãõçâêôáéíóúà".encode("latin-1"))
_NOT_PT_LETTER = bytes(b for b in range(256) if b not in _PT_LETTERS)


def detect_language(text: str) -> str:
    """'pt' when the text reads as Portuguese, else 'en' (the default on a tie)."""
    lowered = text.lower().encode("latin-1", "replace")
    words = lowered.translate(_WORDS_ONLY).split()
    letters = len(lowered.translate(None, _NOT_PT_LETTER))
    pt = sum(map(_PT.__contains__, words)) + letters // 2
    en = sum(map(_EN.__contains__, words))
    return "pt" if pt > en else "en"


def locale_language(locale: str | None) -> str | None:
    """The language of a locale ("pt-BR", "pt_BR", "en-US") when a policy speaks it."""
    if not locale or not locale.strip():
        return None
    base = re.split(r"[-_.@]", locale.strip().lower(), maxsplit=1)[0]
    return base if base in SUPPORTED else None


def choose_language(text: str, locale: str | None = None, forced: str | None = None) -> str:
    """Forced by the team's policy, else the user's locale, else detected from the draft."""
    return forced or locale_language(locale) or detect_language(text)
