"""Who a clause is about: the subject before a verb, and whose it is (bots/engine/forecasts.py).

Classes: writer (I), own (we, our fitter, the team), client (you), own_work (the writer's
deliverables: "the report"), named (a first name or brand: "Tom", "Stripe"), other (any other
noun phrase, he/she/they), thing (it, this, everything).
"""

from __future__ import annotations

from bots.engine.grammar import Grammar, starts
from bots.engine.tokens import Tokens

#: Marks that end a clause.
STOPS = frozenset(',;:()"!?-')
_MAX_SUBJECT = 6
#: Titles before a person's name ("o Dr. Cássio", "a Profa. Lúcia").
_TITLES = frozenset(
    {"dr", "dra", "doutor", "doutora", "sr", "sra", "dona"}
    | {"prof", "profa", "professor", "professora"}
)


def s_form(word: str) -> bool:
    """An English -s form: a third-person verb ("leaves") or a plural noun ("pallets")."""
    return word.endswith("s") and not word.endswith(("ss", "'s", "us", "is"))


class Subjects:
    """One sentence's words, asked where a clause's subject is and whose it is."""

    def __init__(self, tokens: Tokens, g: Grammar):
        self.words, self.g, self.capital = tokens.words, g, tokens.capital

    def opening(self, b: int, stop: int, third: bool) -> tuple[int, int, str] | None:
        """The subject that opens the clause at `b` (first, last, class), for a verb in the -s
        form (`third`) or not: a pronoun, or a noun phrase up to its plural noun ("the pallets
        leave") or up to a singular verb ("the courier leaves")."""
        g, words = self.g, self.words
        w = words[b]
        for cls, group in (("writer", g.writer), ("client", g.client), ("other", g.others)):
            if w in group:
                return b, b, cls
        if w in g.things and w not in g.determiners:
            return b, b, "thing"
        if w not in g.determiners and w not in g.own_side:
            return None
        for e in range(b + 1, min(b + _MAX_SUBJECT, stop - 1)):
            word = words[e]
            if word in STOPS or word in g.future or word in g.be or word in g.modals:
                return None
            if third and e > b + 1 and s_form(word):
                return b, e - 1, self.noun_class(b, e - 1)  # "the courier | leaves"
            if not third and s_form(word):
                return b, e, self.noun_class(b, e)  # "the pallets | leave"
        return None

    def agrees(self, i: int) -> bool:
        """English: "the pallets leave", "the courier leaves": a bare verb has a plural subject."""
        verb, last = self.words[i], self.words[i - 1]
        if verb in self.g.be or not self.g.agreement:
            return True
        third = s_form(verb)
        if last in ("they", "we", "you", "i"):
            return not third
        if last in ("it", "he", "she"):
            return third
        return third != s_form(last)

    def before(self, i: int) -> tuple[int, str] | None:
        """Where the subject before token `i` starts, and whose it is."""
        g, words = self.g, self.words
        k = i - 1
        if k < 0 or words[k] in STOPS:
            return None
        word = words[k]
        for cls, group in (
            ("writer", g.writer),
            ("own", g.own_side),
            ("client", g.client),
            ("other", g.others),
            ("thing", g.things),
        ):
            if word in group:
                return k, cls
        j = k
        while j >= 0 and k - j < _MAX_SUBJECT:
            w = words[j]
            if w in STOPS or w in g.breaks or starts(g.conditions, words, j):
                break
            if w == "'s" and j < k:
                j -= 1  # "the speaker's flight": a possessive, not "is"
                continue
            if w in g.determiners or w in g.own_side:
                return j, self.noun_class(j, k)
            if w in g.future or w in g.be or w in g.modals or w in g.writer or w in g.client:
                return None  # "will definitely be", "I think customs will": no noun phrase here
            if w in g.others or w in g.things or w in g.negation:
                return None  # "o banco não vai…": a negated clause promises nothing
            j -= 1
        first = j + 1  # no determiner: a bare noun phrase after a break ("customs", "Stripe")
        return (first, self.noun_class(first, k)) if first <= k and k - first < 3 else None

    def noun_class(self, first: int, last: int) -> str:
        """own_work ("the report"), own ("our fitter", "the team"), named ("Stripe"), other."""
        g, words = self.g, self.words[first : last + 1]
        if words[-1] in g.own_work:
            return "own_work"
        if any(w.lower() in g.external for w in words):  # "our courier", "our legal team"
            return "other"
        if (
            words[0] in g.own_side
            or " ".join(words) in g.own_side  # "a gente"
            or (len(words) == 2 and words[-1] in g.own_people)
        ):
            return "own"
        if (
            not g.agreement
            and words[0] in g.determiners
            and (
                (len(words) == 3 and words[1] in _TITLES and self.capital(last))
                or (len(words) == 2 and self.capital(last) and not words[1].isupper())
            )
        ):
            # Portuguese puts an article before a name: "o Zé", "o Dr. Cássio" may be a colleague,
            # like "Tom" in English, so only their outcomes count. "a Caixa" reads the same way and
            # loses its dates: measured on the Portuguese sets, one true finding for two false ones.
            return "named"
        if all(self.capital(k) for k in range(first, last + 1)):
            # an acronym or a long name is an organisation ("HMRC", "UK Power Networks"), not
            # a colleague's first name
            if len(words) >= 3 or any(w.isupper() and len(w) > 1 for w in words):
                return "other"
            return "named"
        return "other"

    def vouched(self, first: int) -> bool:
        """The clause follows "I'll make sure (that)", "we will ensure": the writer vouches for
        it. Asked of someone else ("please make sure someone is in") it vouches for nothing."""
        at = first - 1 if first > 0 and self.words[first - 1] == "that" else first
        for length in (1, 2, 3, 4):
            if at - length >= 0 and starts(self.g.vouches, self.words, at - length) == length:
                return self._by_writer(at - length)
        return False

    def _by_writer(self, vouch: int) -> bool:
        """The writer, their side or a future marker among the four words before `vouch`."""
        g, words = self.g, self.words
        for i in range(max(vouch - 4, 0), vouch):
            if words[i] in g.writer or words[i] in g.own_side or starts(g.future, words, i):
                return True
        return False

    def conditional(self, first: int) -> bool:
        """The clause follows "if", "when", "as soon as"…: it asserts nothing."""
        for length in (1, 2, 3):
            at = first - length
            if at >= 0 and starts(self.g.conditions, self.words, at) == length:
                return True
        return False
