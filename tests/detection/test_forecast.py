"""The `forecast` kind: certainty about what the writer does not control, read from the clause."""

from __future__ import annotations

import datetime as dt

import pytest

from bots.engine import Draft, Trace, check
from bots.engine.grammar import starts
from bots.engine.tokens import Tokens

RULE = "overpromise.forecast_as_fact"


def _hits(policy, now, text: str) -> list:  # type: ignore[no-untyped-def]
    report = check(Draft(text), policy, now=now)
    return [f for f in report.findings if f.rule == RULE]


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [
        # anyone else, with a date: a future, or a present tense with a time after it
        ("The council signs off the plans on the 14th.", "The council signs off the plans"),
        ("The crates reach Leeds by Thursday morning.", "The crates reach Leeds"),
        ("Your replacement card is back with you on Monday.", "Your replacement card is back"),
        ("Our fitter is booked; the seller signs tomorrow.", "the seller signs tomorrow"),
        # anyone else, with an outcome they decide (no date needed)
        ("The underwriters will accept the risk.", "The underwriters will accept"),
        ("Your appeal is going to be upheld.", "Your appeal is going to be upheld"),
        ("The landlord will give you the whole deposit back.", "The landlord will give you"),
        ("Openreach will refund the connection fee.", "Openreach will refund"),
        # "our" names a relationship, not control, for the parties one works with
        ("Our courier will drop it off on Tuesday.", "Our courier will drop it off"),
        ("Our engineers will have the fix live by tonight.", "Our engineers will have the fix"),
        # the writer's side, when it needs someone else
        ("We're going to get the fine overturned.", "get the fine overturned"),
        ("We'll have the export licence by the 3rd.", "We'll have the export licence"),
        ("I'll get your visa approved before you fly.", "I'll get your visa approved"),
        # the client, receiving or being judged
        ("You'll get your bond back from the agency on Friday.", "You'll get your bond back"),
        ("You'll pass the audit.", "You'll pass the audit"),
        ("Sure, you get your bond back on the 3rd.", "you get your bond back"),
        # a second verb sharing the first one's subject
        ("The crates leave Hull tonight and reach you on Friday.", "The crates leave Hull"),
        ("The courier collects it today and drops it off tomorrow.", "The courier collects it"),
        ("They leave the depot at 6 and get to you by noon.", "They leave the depot"),
        # a place others bring things to, with a time
        ("Your mixer is on the van tomorrow.", "Your mixer is on the van"),
        ("The wardrobe is on the 7am lorry.", "The wardrobe is on the 7am lorry"),
        ("It'll be in your account within a few days.", "It'll be in your account"),
        # what others do to put things right, stated as settled (no date needed)
        ("The airline will rebook you on the evening flight.", "The airline will rebook you"),
        ("The exam board is going to remark the paper.", "The exam board is going to remark"),
        # the writer vouching for someone else's act
        ("I'll make sure the fitter turns up.", "the fitter turns up"),
        ("We'll ensure that the registrar signs it.", "the registrar signs it"),
        ("I'll make sure the van arrives by nine.", "the van arrives by nine"),
        # an outcome stays one when its timing waits on an event
        ("The council will cancel the fine once it sees the permit.", "The council will cancel"),
        # organisations: an acronym or a long capitalised name is no colleague's first name
        ("The DVLA will reissue the licence.", "The DVLA will reissue"),
        ("Severn Trent Water reconnects you on Monday.", "Severn Trent Water reconnects"),
        # deadlines in words, and places after "will be"
        ("The insurer pays out within the week.", "The insurer pays out"),
        ("They'll have it repaired within the hour.", "They'll have it repaired"),
        ("Your case will be on the next flight tonight.", "Your case will be on the next flight"),
        # what others do to a thing, in the passive with a time; results said other ways
        ("Your sofa will be delivered on Saturday.", "Your sofa will be delivered"),
        ("The surgery will go perfectly.", "The surgery will go perfectly"),
        ("The decorators will be done by Friday.", "The decorators will be done"),
        ("The specialist will see you within a fortnight.", "The specialist will see you"),
        # deadlines said in words
        ("The funds reach the seller by close of business.", "The funds reach the seller"),
        ("The visa office will process it in time for your trip.", "The visa office will process"),
        ("The part lands mid-March.", "The part lands"),
        ("The movers arrive over the weekend.", "The movers arrive"),
    ],
)
def test_certainty_about_others_is_flagged(en_policy, now, text, excerpt):
    hits = _hits(en_policy, now, text)
    assert hits, text
    assert excerpt in hits[0].excerpt


@pytest.mark.parametrize(
    "text",
    [
        # the writer's own steps, and the writer's side doing its own work
        "I'll send the minutes by 5pm today.",
        "Our team will deliver the training on Tuesday.",
        "We'll repaint the hall on Thursday and tidy up before we leave.",
        "The team will present the findings on Thursday at 3.",
        # the client receiving what the writer sends
        "You'll have it by Friday.",
        "You'll have the draft from me by Friday.",
        # the writer's own deliverables and calendar
        "The report will be with you on Friday.",
        "The workshop starts at 9:30 on Tuesday and finishes by 4.",
        # hedged, conditional, negated, reported
        "The refund should reach your card within five working days.",
        "If the council approves the plans on the 12th, we start the following Monday.",
        "I can't promise the insurer will cover all of it.",
        "The carrier says the van reaches you on Thursday.",
        "I think the board will approve it on Monday.",
        "Banks usually release the funds within two working days.",
        "The bank will not release the funds before Friday.",
        # past, questions, quotes
        "The parts arrived on Monday and the fitter came yesterday.",
        "Will the landlord be there on Friday?",
        'You wrote that "the bank will release the funds Friday", and I will check.',
        # routine contact, and a name that may be a colleague
        "The consultant will call you on Thursday afternoon.",
        "Tom will send you the contract tomorrow.",
        # "it" may be the writer's own system
        "It will be back at 3pm.",
        # the writer's side sharing a subject, and the writer's own remedies
        "We leave the office at five and reopen on Monday.",
        "I pick it up on Monday and bring it back to you on Tuesday.",
        "Our engineer will replace the valve.",
        "He'll replace the valve while he's there.",
        # a place that is the writer's calendar, or the client's own journey
        "The workshop is in the main hall on Friday.",
        "The hearing is on Monday at ten.",
        "You're on the 9am train tomorrow.",
        "She's on the 9am flight tomorrow.",
        # vouching for one's own side, or for routine contact
        "I'll make sure the team is on site by eight.",
        "I'll make sure the engineer calls you first.",
        "I'll make sure you have the draft by Friday.",
        # the client getting what the writer gives
        "You get a ten percent discount on your next order.",
        # conditions and hedges still excuse the new structures
        "If the bank approves it, the money is in your account by Friday.",
        "Hopefully the airline will rebook you.",
        # a date that waits on an event; the writer's own repairs; walking someone through
        "Once the parts arrive, the fitter fits them on Tuesday.",
        "The fitter fits them on Tuesday as soon as the parts arrive.",
        "I'll have it fixed within the hour.",
        "Dr Moss will go through the results with you.",
        "Tom will agree the wording with you tomorrow.",
        "Everything is going as planned, and I'll send the report Friday.",
        # a present tense with no time is a habit, not a forecast
        "Tenants get their deposit back within the scheme's rules.",
        # the passive of the writer's own sending, of "it", of a closure; a remedy with no date
        "The contract will be sent to you tomorrow.",
        "It will be fitted on Monday.",
        "The road will be closed on Monday.",
        "The report will be done by Friday.",
        "You'll be done by noon.",
        "The valve will be replaced under the warranty.",
    ],
)
def test_what_the_writer_controls_or_hedges_is_not_flagged(en_policy, now, text):
    assert _hits(en_policy, now, text) == []


def test_each_finding_says_why(en_policy, now):
    date = _hits(en_policy, now, "The pallets reach your warehouse on Thursday.")[0]
    assert "(“Thursday”)" in date.message and "(the pallets)" in date.message
    outcome = _hits(en_policy, now, "The lender is going to approve the mortgage.")[0]
    assert "“approve”" in outcome.message and "outcome" in outcome.message
    needs = _hits(en_policy, now, "We'll have planning permission by March.")[0]
    assert "“have planning permission”" in needs.message


def test_the_rewrite_of_a_flagged_draft_passes_its_policy(en_policy, now):
    text = "Hi Sam,\n\nThe buyer signs tomorrow, so the money lands on Friday.\n\nBest, Jo"
    report = check(Draft(text), en_policy, now=now)
    assert any(f.rule == RULE for f in report.findings)
    again = check(Draft(report.rewrite or ""), en_policy, now=now)
    assert [f.rule for f in again.findings if f.severity != "info"] == []


def test_explain_says_what_excused_a_clause(en_policy, now):
    trace = Trace(enabled=True)
    check(
        Draft("The bank will probably release the funds on Friday."),
        en_policy,
        now=now,
        trace=trace,
    )
    events = [e for e in trace.events if e.rule == RULE]
    assert [e.what for e in events] == ["suppressed"]
    assert "probably" in events[0].detail


def test_tokens_split_clitics_and_keep_acronyms():
    words = Tokens("They'll ship it; the sellers' agent won't. IT's team").words
    assert words == [
        *("they", "'ll", "ship", "it", ";", "the", "sellers'", "agent", "won't"),
        *("IT", "'s", "team"),
    ]


def test_phrase_tables_match_the_longest_entry_and_english_endings(en_policy):
    grammar = en_policy.rule(RULE).grammar
    assert starts(grammar.present, ["comes", "through", "soon"], 0) == 2
    assert starts(grammar.present, ["arrives", "tomorrow"], 0) == 1
    assert starts(grammar.present, ["arrived"], 0) == 0  # a past tense never heads a forecast
    assert starts(grammar.decisions, ["paid"], 0) == 1  # an irregular form named in the policy


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("A construtora entrega as chaves no dia 30.", True),
        ("O juiz vai dar ganho de causa pra gente.", True),
        ("O dinheiro está na sua conta amanhã.", True),
        ("Você vai receber a restituição em dez dias.", True),
        ("Nossa equipe vai fazer a instalação na terça às 9h.", False),
        ("A transportadora disse que entrega na quinta.", False),
        ("O banco não vai liberar antes de sexta.", False),
        ("Quando o fornecedor mandar as peças, a gente instala em dois dias.", False),
        ("A consultora vai te ligar na quarta à tarde.", False),
        ("Você vai ter o relatório até sexta.", False),
        # a place others bring things to; what others do to put things right
        ("Seu sofá está no caminhão amanhã.", True),
        ("A companhia aérea vai remarcar seu voo.", True),
        ("Nossa equipe vai trocar a peça.", False),
        ("O relatório está na sua mesa amanhã.", False),
    ],
)
def test_the_portuguese_policy_reads_the_same_structure(pt_policy, text, flagged):
    now = dt.datetime(2026, 3, 4, 14, 0, tzinfo=dt.UTC)
    assert bool(_hits(pt_policy, now, text)) is flagged
