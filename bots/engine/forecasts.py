"""Certainty about what the writer does not control, read from clause structure.

A clause counts when it asserts a future (a future marker, or a present-tense verb or
"is back" with a time after it), its subject is not the writer acting alone, and it is
anchored: to a date or time, or to an outcome somebody else decides. Who the subject is
decides which anchors count (docs/detection.md, "Forecasts"). Pure: text and Grammar in,
spans out.
"""

from __future__ import annotations

from dataclasses import dataclass

from bots.engine.grammar import Grammar, starts
from bots.engine.subjects import STOPS, Subjects, s_form
from bots.engine.tokens import Tokens, all_matches

_MAX_PREDICATE = 18


@dataclass(frozen=True, slots=True)
class Forecast:
    """One clause that states as certain something the writer does not control."""

    start: int
    end: int
    case: str  # "date" | "outcome" | "needs_others"
    subject: str
    anchor: str


def find(text: str, start: int, end: int, g: Grammar) -> list[Forecast]:
    """Every forecast in the sentence `text[start:end]`; offsets are into `text`."""
    sentence = text[start:end]
    if sentence.rstrip().endswith("?"):
        return []
    tokens = Tokens(sentence)
    words = tokens.words
    heads = [i for i, word in enumerate(words) if word in g.heads]
    if not heads:
        return []
    parse = _Parse(sentence, tokens, g, heads)
    return [
        Forecast(start + f.start, start + f.end, f.case, f.subject, f.anchor) for f in parse.run()
    ]


@dataclass(slots=True)
class _Clause:
    subject: int  # index of its first token
    cls: str  # writer | own | client | own_work | named | other | thing
    head: int  # index of the future marker or present verb
    after: int  # index just after the head
    kind: str  # future | present | state
    end: int  # index just after its last token
    last: int  # index of the subject's last token (before "and" when the subject is shared)


class _Parse:
    """One sentence's tokens, and the questions asked about them."""

    def __init__(self, sentence: str, tokens: Tokens, g: Grammar, heads: list[int]):
        self.sentence, self.words, self.g = sentence, tokens.words, g
        self.starts, self.ends, self.capital = tokens.starts, tokens.ends, tokens.capital
        self.heads = heads
        self.who = Subjects(tokens, g)
        self._times: list[tuple[int, int]] | None = None  # found once per sentence, when needed
        self._pasts: list[tuple[int, int]] | None = None

    def run(self) -> list[Forecast]:
        found: list[Forecast] = []
        done = 0  # a clause's head may be several words ("is going to")
        for i in self.heads:
            clause = self._clause_at(i) if i >= done else None
            if clause is None:
                continue
            forecast = self._judge(clause)
            if forecast:
                found.append(forecast)
            # a flagged clause covers its coordinated verbs ("clears … and arrives …")
            done = clause.end if forecast else clause.after
        return found

    # ---------------------------------------------------------------- structure

    def _clause_at(self, i: int) -> _Clause | None:
        g, words = self.g, self.words
        n = starts(g.future, words, i)
        kind = "future"
        if not n and words[i] in g.be and self._where(i + 1)[0] and self._finite(i):
            n, kind = 1, "state"
        if not n and starts(g.present, words, i):
            if not self._finite(i):
                return self._shared(i)
            n, kind = 1, "present"
        if not n:
            return None
        subject = self.who.before(i)
        if subject is None or self.who.conditional(subject[0]):
            return None
        first, cls = subject
        if kind != "future" and not self.who.agrees(i):
            return None
        return _Clause(first, cls, i, i + n, kind, self._predicate_end(i + n), i - 1)

    def _where(self, at: int) -> tuple[int, str]:
        """Where a state after "be" ends, and its kind: a place others bring things to
        ("on the van", "in your account": a locative, up to three words, a place), or a listed
        state ("back", "with you"); (0, "") when neither follows."""
        g, words = self.g, self.words
        if at < len(words) and words[at] in g.locatives:  # a place first: "in" is a state too
            for k in range(at + 1, min(at + 5, len(words))):
                if words[k] in STOPS or words[k] in g.breaks:
                    break
                if words[k] in g.places:
                    return k + 1, "place"
        n = starts(g.states, words, at)
        return (at + n, "state") if n else (0, "")

    def _shared(self, i: int) -> _Clause | None:
        """A present verb after "and" that shares the subject of the clause before it: "the
        pallets leave Rotterdam on Monday and reach you Thursday". That subject opens the
        clause; its noun phrase ends where a verb agreeing with this one would start."""
        g, words = self.g, self.words
        if i < 3 or words[i - 1] not in g.breaks or not g.agreement:
            return None
        b = i - 2
        while b > 0 and words[b - 1] not in STOPS and words[b - 1] not in g.breaks:
            b -= 1
        if self.who.conditional(b):
            return None
        subject = self.who.opening(b, i - 1, s_form(words[i]))
        if subject is None:
            return None
        first, last, cls = subject
        return _Clause(first, cls, i, i + 1, "present", self._predicate_end(i + 1), last)

    def _finite(self, i: int) -> bool:
        """A present-tense verb, not a noun or an infinitive: something names its subject."""
        if i == 0:
            return False
        before = self.words[i - 1]
        g = self.g
        return not (
            before in STOPS
            or before in g.determiners
            or before in g.own_side
            or before in g.be
            or before in g.breaks
            or before in g.future
            or before in g.modals
        )

    def _hinged(self) -> bool:
        """ "Once the parts arrive, the fitter fits them Tuesday": the date waits on an event.
        An outcome does not ("HMRC will cancel the penalty once they see our letter")."""
        return any(starts(self.g.hinges, self.words, k) for k in range(len(self.words)))

    def _predicate_end(self, j: int) -> int:
        g, words = self.g, self.words
        end = j
        while end < len(words) and end - j < _MAX_PREDICATE:
            w = words[end]
            if w in STOPS:
                break
            if w in g.breaks and end + 1 < len(words) and self._starts_subject(end + 1):
                break
            end += 1
        return end

    def _starts_subject(self, k: int) -> bool:
        g, w = self.g, self.words[k]
        return (
            w in g.determiners
            or w in g.own_side
            or w in g.writer
            or w in g.client
            or w in g.others
            or w in g.things
            or self.capital(k)
        )

    # ---------------------------------------------------------------- meaning

    def _judge(self, c: _Clause) -> Forecast | None:
        if c.cls == "writer" and c.kind != "future":
            return None
        if c.after < len(self.words) and self.words[c.after] in self.g.negation:
            return None  # "will not", "is never going to"
        predicate, anchor = self._predicate(c)
        if self.words[c.subject] in self.g.others:  # he, she, they: maybe the writer's people
            if predicate == "remedy":
                predicate = "action"  # "he'll replace the valve": he may be the writer's fitter
            elif predicate == "place":
                predicate = "be"  # "she's on the 9am flight": a person's own plans
        vouched = self.who.vouched(c.subject)
        # A date is looked for (an RE2 pass over the sentence) only when one would change the
        # case: most clauses are decided by whose they are and what they say.
        case = _decide(c.cls, c.kind, predicate, False, vouched)
        time = ""
        if case != _decide(c.cls, c.kind, predicate, True, vouched):
            time = self._time(c)
            if time:
                case = _decide(c.cls, c.kind, predicate, True, vouched)
        if case is None or self._past(c) or (case == "date" and self._hinged()):
            return None
        start = self.starts[c.subject]
        end = self.ends[c.end - 1] if c.end > c.subject else self.ends[c.head]
        subject = self.sentence[start : self.ends[c.last]]
        if c.cls != "named":  # "The pallets" at the start of a sentence reads "the pallets"
            subject = subject[:1].lower() + subject[1:]
        return Forecast(start, end, case, subject, time if case == "date" else anchor)

    def _predicate(self, c: _Clause) -> tuple[str, str]:
        """What kind of predicate follows the head, and the words that decide it."""
        g, words = self.g, self.words
        if c.kind == "state":
            end, kind = self._where(c.head + 1)  # "is back" / "is on the van"
            return kind, self._span(c.head, end)
        if c.kind == "present":
            n = starts(g.decisions, words, c.head) or starts(g.results, words, c.head)
            if n:
                return "decision", self._span(c.head, c.head + n)
            if starts(g.remedies, words, c.head):
                return "remedy", self._span(c.head, c.head + 1)
            if words[c.head] in g.receive:
                return self._receipt(c.head, c.end)
            return "action", self._span(c.head, c.head + starts(g.present, words, c.head))
        p = c.after
        if starts(g.routine, words, p):
            return "routine", ""
        if p < c.end and words[p] in g.be:
            q = p + 1
            n = starts(g.decisions, words, q) or starts(g.results, words, q)
            if n:
                return "passive", self._span(q, q + n)
            n = starts(g.handled, words, q)
            if n:
                return "handled", self._span(q, q + n)  # "will be fitted on Monday"
            end, kind = self._where(q)
            return (kind, self._span(q, end)) if end else ("be", "")
        for k in self._verb_positions(p, c.end):
            n = starts(g.decisions, words, k)
            if n:
                return "decision", self._span(k, k + n)
            n = starts(g.results, words, k)
            if n:
                return "result", self._span(k, k + n)
            n = starts(g.remedies, words, k)
            if n:
                return "remedy", self._span(k, k + n)
        if p < c.end and words[p] in g.receive:
            return self._receipt(p, c.end)
        return "action", self._span(p, p + 1) if p < c.end else ""

    def _verb_positions(self, p: int, end: int) -> list[int]:
        """The predicate's verbs: its first word, and the first word after each "and"/"or"."""
        positions = [p]
        for k in range(p, end - 1):
            if self.words[k] in self.g.breaks:
                positions.append(k + 1)
        return positions

    def _receipt(self, p: int, end: int) -> tuple[str, str]:
        """ "have"/"get" + what others issue ("your deposit", "planning permission", "it back"),
        or + something + a decision ("get the charges dropped"); + a remedy ("have it fixed")
        it is a remedy: the writer's own when the writer says it, someone else's otherwise."""
        g, words = self.g, self.words
        stop = p + 1  # "get access once IT approves": the approval is another clause's
        while stop < min(end, p + 6):
            if words[stop] in g.breaks or starts(g.conditions, words, stop):
                break
            stop += 1
        window = range(p + 1, stop)
        for k in window:
            n = starts(g.decisions, words, k)
            if n and k > p + 1:
                return "causative", self._span(p, k + n)
            n = starts(g.remedies, words, k)
            if n and k > p + 1:
                return "remedy", self._span(p, k + n)
        for k in window:
            if words[k] in g.issued:
                return "receipt", self._span(p, k + 1)
        return "action", self._span(p, p + 1)

    def _time(self, c: _Clause) -> str:
        """A date, time or deadline in the clause, including one put first ("On Friday the…")."""
        left = c.subject
        while left > 0 and self.words[left - 1] not in STOPS:
            if self.words[left - 1] in self.g.breaks:
                break
            left -= 1
        ranges = [(left, c.subject), (c.after, c.end)]
        for a, b in ranges:
            if a >= b:
                continue
            lo, hi = self.starts[a], self.ends[b - 1]
            for start, end in self._time_spans():
                if lo <= start and end <= hi:
                    return self.sentence[start:end].strip()
        return ""

    def _time_spans(self) -> list[tuple[int, int]]:
        """Every date or time in the sentence, found once (RE2)."""
        if self._times is None:
            self._times = all_matches(self.g.times, self.sentence)
        return self._times

    def _past(self, c: _Clause) -> bool:
        if self._pasts is None:
            self._pasts = all_matches(self.g.past, self.sentence)
        lo, hi = self.starts[c.subject], self.ends[c.end - 1]
        return any(lo <= start and end <= hi for start, end in self._pasts)

    def _span(self, a: int, b: int) -> str:
        return self.sentence[self.starts[a] : self.ends[b - 1]] if b > a else ""


def _decide(cls: str, kind: str, predicate: str, dated: bool, vouched: bool) -> str | None:
    """Whose clause it is and what it says → the finding's case, or None (the writer's to say).

    `vouched`: the clause follows "I'll make sure": the writer vouches for it.
    """
    if predicate in ("routine", "be"):
        return None
    if kind != "future" and not (dated or vouched):
        return None  # a present tense with no time is a habit ("tenants get their deposit back")
    if cls == "writer":
        return "needs_others" if predicate == "causative" else None
    if cls in ("own", "client"):
        if predicate in ("receipt", "passive", "result", "causative"):
            return "needs_others"
        return "needs_others" if cls == "client" and predicate == "state" and dated else None
    if predicate == "place" and cls in ("own_work", "named"):
        return None  # "the report is on your desk Monday"; "Tom is at your door at 9"
    if predicate == "handled" and cls != "other":
        return None  # "it will be fitted Monday": "it" may be the writer's own job
    outcome = kind == "future" and predicate in ("decision", "passive", "result")
    if cls == "own_work":  # "the report will be approved"; when it is sent is the writer's to say
        return "outcome" if outcome and predicate == "passive" else None
    if cls == "named":  # "Tom" may be a colleague, "Stripe" a vendor: only outcomes count
        return "outcome" if outcome else None
    remedy = cls == "other" and kind == "future" and predicate == "remedy"
    if outcome or remedy or (cls == "other" and predicate == "receipt"):
        return "outcome"  # "the lender will approve", "the airline will rebook you"
    if cls == "thing" and predicate == "state":
        return None  # "it will be back at 3pm": "it" may be the writer's own system or work
    if dated:
        return "date"
    return "outcome" if vouched and cls == "other" else None  # "make sure the fitter turns up"
