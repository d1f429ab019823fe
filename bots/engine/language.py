"""Which language a text is in (English or Portuguese), from common function words."""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-zà-ÿ']+")
_PT = frozenset(
    "não você vocês que de para com uma um por isso está estou então também mais muito obrigado "
    "obrigada olá oi já ainda amanhã hoje seu sua nosso nossa nós eu ele ela são é foi vamos "
    "pode posso preciso entendo desculpe prazo até semana".split()
)
_EN = frozenset(
    "the and you your we our is are was to of for with this that will can i it in on be have "
    "has not but thanks please hi hello today tomorrow week sorry understand".split()
)


def detect_language(text: str) -> str:
    """'pt' when Portuguese function words outnumber English ones, else 'en'."""
    words = _WORD.findall(text.lower())
    pt = sum(w in _PT for w in words)
    en = sum(w in _EN for w in words)
    return "pt" if pt > en else "en"
