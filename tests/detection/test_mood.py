"""The client's mood: strongest evidence wins, weak hints need company, negation cancels."""

from __future__ import annotations

import pytest

from bots.engine import Draft, check
from tests.cli.conftest import run_nudge


def mood_of(policy, message, now):  # type: ignore[no-untyped-def]
    return check(Draft("Thanks, I'll look into it.", message), policy, now=now).client


@pytest.mark.parametrize(
    ("message", "mood", "word"),
    [
        ("Could you send the invoice again when you get a chance?", "calm", None),
        ("I'm really worried we'll miss the filing date.", "anxious", "worried"),
        ("My dog is limping and I'm freaking out a bit.", "anxious", "freaking out"),
        ("I've been waiting three weeks and I'm so disappointed.", "frustrated", "disappointed"),
        ("Nobody told me the price had changed.", "frustrated", "Nobody told"),
        ("The site is down again.", "frustrated", "down again"),
        ("This is outrageous and I want my money back.", "angry", "outrageous"),
        ("Answer the phone or I'm calling my lawyer.", "angry", "lawyer"),
        ("You useless idiots broke it again.", "abusive", "useless"),
    ],
)
def test_mood_and_its_evidence(en_policy, now, message, mood, word):
    client = mood_of(en_policy, message, now)
    assert client.mood == mood
    if word is None:
        assert client.evidence == ()
        return
    assert any(word in span.text for span in client.evidence)
    for span in client.evidence:
        assert message[span.start : span.end] == span.text
    assert mood in client.reason and f"“{client.evidence[0].text}”" in client.reason


def test_no_message_is_calm_with_a_reason(en_policy, now):
    client = mood_of(en_policy, None, now)
    assert client.mood == "calm" and client.reason


@pytest.mark.parametrize(
    "message",
    [
        "No worries at all, it's not urgent.",
        "I'm not worried about the date, just curious.",
        "Sorry for the late message! Thanks again for today.",
    ],
)
def test_negated_or_polite_messages_stay_calm(en_policy, now, message):
    assert mood_of(en_policy, message, now).mood == "calm"


def test_one_weak_hint_is_not_enough_but_two_are(en_policy, now):
    assert mood_of(en_policy, "What happens if it rains on the day?", now).mood == "calm"
    two = mood_of(en_policy, "What happens if we miss the deadline?", now)
    assert two.mood == "anxious" and len(two.evidence) == 2
    assert "milder signs" in two.reason


def test_strongest_mood_wins(en_policy, now):
    assert mood_of(en_policy, "I'm worried and frankly furious.", now).mood == "angry"
    assert mood_of(en_policy, "Furious. You are all incompetent.", now).mood == "abusive"


def test_shouting_reads_as_frustrated(en_policy, now):
    client = mood_of(en_policy, "THE PARCEL IS NOT HERE?? I NEED IT TODAY", now)
    assert client.mood == "frustrated"
    assert "shouting" in client.reason


def test_accented_capitals_are_shouting_too(pt_policy, now):
    """Words in accented capitals ("ATENÇÃO", "VOCÊS") shout too; ASCII-only, neither did."""
    client = mood_of(pt_policy, "ATENÇÃO, VOCÊS!", now)
    assert client.mood == "frustrated"
    assert [span.text for span in client.evidence] == ["ATENÇÃO", "VOCÊS"]


def test_acronyms_are_not_shouting(en_policy, now):
    assert mood_of(en_policy, "Can you send the PDF and the JSON export?", now).mood == "calm"


def test_one_four_letter_capital_word_is_an_acronym_not_shouting(pt_policy, en_policy, now):
    """ "IPTU" beside "atrasado" was two hints, so a calm question read as frustrated."""
    calm = "Boa tarde, é possível parcelar o IPTU atrasado do ano passado?"
    assert mood_of(pt_policy, calm, now).mood == "calm"
    assert mood_of(en_policy, "Has the HMRC refund been delayed?", now).mood == "calm"
    assert (
        mood_of(pt_policy, "NADA FOI FEITO até agora, atrasado de novo", now).mood == "frustrated"
    )


@pytest.mark.parametrize(
    ("message", "mood"),
    [
        ("Você pode me mandar a nota fiscal?", "calm"),
        ("Estou muito preocupada com o prazo.", "anxious"),
        ("É a terceira vez que isso acontece, estou chateado.", "frustrated"),
        ("Isso é inaceitável, quero meu dinheiro de volta.", "angry"),
        ("Vocês são um bando de incompetentes.", "abusive"),
        ("Sem pressa, não é urgente.", "calm"),
        # Sem palavra de sentimento: o que foi pago, o prazo que passou, o problema que volta.
        ("Paguei 380 reais nisso e hoje já está igual.", "frustrated"),
        ("O armário deveria ter sido instalado há três semanas.", "frustrated"),
        ("Os posts saíram com o logo antigo. De novo.", "frustrated"),
        ("Terceiro dia sem internet e ninguém me dá previsão.", "frustrated"),
        ("Vocês quebraram o espelho da minha avó na mudança.", "frustrated"),
        ("Gastamos 20 mil em anúncios e vendemos 3 unidades.", "frustrated"),
        ("Vocês estão brincando comigo?", "angry"),
        ("Se não resolver eu vou te processar.", "angry"),
        ("Sua açougueira, meu lábio ficou torto.", "abusive"),
        ("Ela chorou a noite toda.", "anxious"),
        ("Terceira semana sem elevador no bloco B. Até quando?", "frustrated"),
        ("O rastreio está parado em Curitiba há 6 dias.", "frustrated"),
        ("Pedi o cancelamento em janeiro e continuam debitando no meu cartão.", "frustrated"),
        ("A mudança chegou com a TV quebrada.", "frustrated"),
        ("Gostaria de saber se o apartamento ainda está disponível e se aceita fiador.", "calm"),
        ("Adorei o resultado! Pode mandar a nota?", "calm"),
        ("Pode mandar de novo o arquivo?", "calm"),
        # o que está em jogo, o corpo, a culpa apontada, a falha que continua
        ("Sem diploma eu perco a vaga que estudei 3 anos pra conseguir.", "anxious"),
        ("Ele tá com 38,5 de febre desde as 20h e não quer comer.", "anxious"),
        ("Fiquei no cheque especial por um erro de vocês.", "frustrated"),
        ("Terceira visita e o aparelho continua pingando.", "frustrated"),
        ("Gastei quase 3 mil no tratamento e as manchas continuam iguais.", "frustrated"),
        ("A internet caiu bem na minha reunião com o investidor.", "frustrated"),
        ("Pago plano premium pra isso?", "frustrated"),
        ("Você não serve pra nada.", "angry"),
        ("Seu pedreiro é um ladrão e você também.", "abusive"),
        ("Você me ajuda com o pitch deck pro investidor?", "calm"),
        ("Fui cobrado duas vezes este mês, pode verificar?", "calm"),
        ("Vocês mataram meu cachorro. Vou processar essa clínica.", "angry"),
        ("Vc nem lê o que eu mando? Tô perdendo meu tempo.", "frustrated"),
        (
            "O DJ não apareceu na festa de 15 anos da minha filha. Vc sabe o que é isso?",
            "frustrated",
        ),
        ("Vocês mudaram a cor da fachada sem me consultar.", "frustrated"),
        ("Oxe, a conta veio quase o dobro do que a senhora disse!", "frustrated"),
        ("Síndico, já reclamei 3x do barulho do 302 e nada acontece.", "frustrated"),
        ("A grama que vcs plantaram tá amarela, não era isso que eu queria.", "frustrated"),
        (
            "Marquei revisão às 8h e o carro só ficou pronto às 18h, perdi o dia inteiro.",
            "frustrated",
        ),
        ("A conta veio R$ 600 por causa do vazamento que seus caras fizeram.", "frustrated"),
        ("3 meses treinando contigo e engordei 2kg. Tô jogando dinheiro fora?", "frustrated"),
        # o cliente se xingando não é abuso contra quem escreve
        ("Três meses de treino e tô quase desistindo, me sinto uma idiota.", "frustrated"),
    ],
)
def test_portuguese_moods(pt_policy, now, message, mood):
    assert mood_of(pt_policy, message, now).mood == mood


def test_mood_is_in_every_report(en_policy, now):
    report = check(Draft("Fine.", "This is unacceptable."), en_policy, now=now)
    client = report.to_dict()["client"]
    assert client["mood"] == "angry"
    assert client["reason"].startswith("Reads as angry")
    assert client["evidence"][0]["text"] == "unacceptable"


def test_policy_explain_prints_mood_and_reason():
    result = run_nudge(
        "policy",
        "explain",
        "-",
        "--client-message",
        "I'm so worried about Friday.",
        "--format",
        "json",
        stdin="The report goes out Friday.",
    )
    assert result.code == 1, result.err
    assert '"mood": "anxious"' in result.out and "worried" in result.out


@pytest.mark.parametrize(
    ("message", "mood"),
    [
        # No feeling word: the harm described, the wait counted out, rhetorical questions, sarcasm.
        ("Is anyone actually reading my emails?", "frustrated"),
        # what was expected against what happened, counted failures, what it cost (set 17)
        (
            "Worktops were meant to be fitted last Tuesday. We're washing up in the bath.",
            "frustrated",
        ),
        ("I was told I'd hear about the role last Friday. It's Wednesday now.", "frustrated"),
        ("The survey arrived a week after you said it would.", "frustrated"),
        ("We're now six weeks past the agreed go-live.", "frustrated"),
        ("Panels went on six weeks ago and the app still shows zero export.", "frustrated"),
        ("I've now received a third bill for a visit my insurance covered.", "frustrated"),
        ("The wifi has dropped four times today during client calls.", "frustrated"),
        ("The site looks nothing like the mock-ups and we launch in a week.", "frustrated"),
        ("I'd taken the afternoon off work for this.", "frustrated"),
        ("Customers are emailing us and our reviews are sliding.", "frustrated"),
        ("The lift has been out for eleven days.", "frustrated"),
        ("He was left without his tablets until my neighbour found him.", "anxious"),
        ("The sellers say they'll pull out and our whole chain will collapse.", "anxious"),
        ("HMRC sent a penalty. I sent you everything in December.", "frustrated"),
        (
            "It's been five days without heating or hot water. We have a three-month-old.",
            "frustrated",
        ),
        ("We waited 55 minutes for mains at my mum's 70th.", "frustrated"),
        ("Two days of sales data vanished after your update.", "frustrated"),
        ("Wow, second deadline missed. Guess my book launch can just wait, right?", "frustrated"),
        ("Lovely job. You've shaved my poodle bald and nicked her ear. Well done.", "frustrated"),
        ("If it isn't in the warehouse by Thursday we lose our biggest week.", "anxious"),
        (
            "The website is showing an error page and our sale goes live at midnight!! HELP",
            "frustrated",
        ),
        ("Your 'four hour response' SLA is a joke.", "frustrated"),
        ("The hedges look worse than before you started. I'm not paying for that.", "frustrated"),
        ("I would like to arrange and pay for my own funeral in advance.", "calm"),
        ("You're all bone idle and thick as mince.", "abusive"),
        ("You're a crap instructor. I've failed twice now because of you.", "abusive"),
        ("Could you confirm the deadline? I'm still waiting on one reference.", "calm"),
        ("Could we do a couple more rounds on the logo? It's still not quite there.", "calm"),
        ("The heating in my flat has been broken since Friday.", "calm"),
        ("Investors are asking when the patent will be granted.", "calm"),
        ("Is our second appointment still on for Tuesday?", "calm"),
        ("How hard can it be to send one form?", "frustrated"),
        ("It was supposed to be finished in May. It's August.", "frustrated"),
        ("I've taken three days off work waiting for your fitter.", "frustrated"),
        ("Wonderful, yet another cancelled appointment.", "frustrated"),
        ("The heater is broken and the flat has had no heating for a week.", "frustrated"),
        ("Our booking system crashed and every order from Monday is missing.", "frustrated"),
        ("The boss asked me in front of the whole board where the figures were.", "anxious"),
        ("My father died on Sunday and I can't cope with the paperwork.", "anxious"),
        ("Did you even look at the photos I sent?", "frustrated"),
        ("That's the third delivery this month left on the step.", "frustrated"),
        ("The new ticket system is driving me mad.", "frustrated"),
        ("Your front desk was rude to my mother.", "frustrated"),
        ("The wrong tax code means I lost £600 this month.", "frustrated"),
        ("Since the diagnosis I'm really struggling.", "anxious"),
        ("If this gets out it could cost me my job.", "anxious"),
        ("Could I call you between sessions if I'm struggling?", "calm"),
        ("We need it Wednesday or we lose the contract.", "anxious"),
        ("I paid £2,000 for this and it's going yellow.", "frustrated"),
        ("What are we paying you for?", "frustrated"),
        ("I specifically said sage, and this is mint.", "frustrated"),
        ("What kind of clowns are you running over there?", "abusive"),
        ("Can you stay late on Friday? I'm stuck at work.", "calm"),
        ("Emailed four times about the mould. Fix it or I'm going to the council.", "angry"),
        ("One lead. Do you have any idea how much we spent?", "frustrated"),
        ("You moved me into that fund and I've lost 30%. I trusted you.", "frustrated"),
        ("Pathetic, the lot of you. Absolute clowns.", "abusive"),
        ("Is anyone competent working there? We lost orders all night.", "frustrated"),
        ("Typical landlord, you don't care.", "frustrated"),
        ("Stupid useless helpdesk. Ticket closed without fixing anything.", "abusive"),
        ("Do you people actually read emails?", "angry"),
        ("The app crashed in our demo and I looked like an idiot.", "anxious"),
        ("Catering was dreadful. Half the guests got cold food.", "frustrated"),
        ("The panels were meant to go up in March. It's May.", "frustrated"),
        ("Your update deleted half our tags. Fix it today.", "frustrated"),
        ("I've been passed between departments for two months.", "frustrated"),
        ("I'm having a really bad night. Can I call you?", "anxious"),
        ("We need it by Friday or the bank won't release the loan.", "anxious"),
        # Blame aimed at the writer's side, insults at their people, money paid for nothing.
        ("Your fitters cracked my new worktop.", "frustrated"),
        ("You've mixed up our orders again and the shop opens at nine.", "frustrated"),
        ("This is your mistake, not ours.", "frustrated"),
        ("Why am I paying you every month?", "frustrated"),
        ("I've paid you hundreds and the damp is back.", "frustrated"),
        ("I'm at my limit with this kitchen.", "frustrated"),
        ("Your receptionist was an arrogant little prat.", "abusive"),
        ("Are you lot thick or something?", "abusive"),
        ("Best of luck to the next mug you fleece. Daylight robbery.", "angry"),
        ("This is the worst agency we have ever used.", "angry"),
        ("My tenants are shouting at me about the boiler.", "anxious"),
        ("I'm out of my insulin until the pharmacy reopens.", "anxious"),
        ("The balcony rail is loose. This is dangerous.", "anxious"),
        ("The boiler you installed in March has stopped again.", "frustrated"),
        ("£650 and it lasted nine days.", "frustrated"),
        (
            "Great, so the campaign went live with last year's prices. Love that for us.",
            "frustrated",
        ),
        ("Nobody could tell me whether he'd eaten.", "frustrated"),
        ("Leak under the sink, get here now you lazy sod.", "abusive"),
        ("Thieves, the lot of you.", "abusive"),
        ("Her tablets are out of stock again and she's only got two days left.", "frustrated"),
        ("The mould is back for the third winter running.", "frustrated"),
        ("Half my staff weren't paid today and they can't pay their bills.", "frustrated"),
        ("The lift has been broken for 5 weeks. I'm 78 and live on the 6th floor.", "frustrated"),
        ("We're now 6 weeks over. Give me a real date.", "frustrated"),
        ("The documents were meant to be at the court by 10. It's 10:40.", "frustrated"),
        ("My back is worse after the last adjustment, not better.", "frustrated"),
        ("You've taken £430 instead of £130. That's my rent money. Fix it.", "frustrated"),
        ("The buyers below us are ringing me every hour.", "anxious"),
        (
            "The board wants to know if data left the building and I have nothing to tell them.",
            "anxious",
        ),
        ("There are mice in the kitchen again, two weeks after your treatment.", "frustrated"),
        ("Our pallets have been sitting in customs at Felixstowe for nine days.", "frustrated"),
        ("The canapés arrived 50 minutes after the guests did.", "frustrated"),
        ("We booked a sea-view room and were given one overlooking the bins.", "frustrated"),
        ("I retire in three weeks and I still have no idea what my pension will be.", "frustrated"),
        ("Fitters left the kitchen half-done and nobody's been back.", "frustrated"),
        ("The engine you rebuilt in October has seized.", "frustrated"),
        ("Got my car back with a new scratch on the bumper. Brilliant.", "frustrated"),
        ("The structural calcs were due Monday. It's Thursday.", "frustrated"),
        ("The fit-out was meant to be finished last Friday.", "frustrated"),
        ("The campaign went live with last year's prices on it.", "frustrated"),
        ("Your audit team has asked for the same reconciliation four times.", "frustrated"),
        ("The new firewall blocks our own accounting software. Nice work.", "frustrated"),
        ("Our biggest demo is in an hour and the export is broken. Help!", "anxious"),
        ("I'll report you to the SRA if this isn't fixed.", "angry"),
        # A report of one fault, or a question about a refund, is not a complaint.
        ("My hearing aid battery door has cracked. Do I need a whole new aid?", "calm"),
        ("Cracked screen on my phone. Can you fix it today?", "calm"),
        ("Any update on the ruling? The board is asking.", "calm"),
        ("Will the valve leak again?", "calm"),
        ("What's the final headcount deadline again?", "calm"),
        ("His exam is in three weeks. Could you fit in extra sessions?", "calm"),
        ("Could you send the brief you approved last week? Ours is lost.", "calm"),
        ("Your engineer fixed the boiler, thanks. Is it fine to use the shower?", "calm"),
        ("It's not your fault the courier was late.", "calm"),
        ("Crooked picture in the hallway, could your decorator re-hang it?", "calm"),
        ("Slight problem: the invoice has the wrong postcode. Could you reissue it?", "calm"),
        ("When will the refund reach my card?", "calm"),
        ("The old boiler is broken, so could you quote for a new one?", "calm"),
    ],
)
def test_upset_without_feeling_words(en_policy, now, message, mood):
    assert mood_of(en_policy, message, now).mood == mood


def test_adjacent_hints_are_both_counted(en_policy, now):
    """Two hints one space apart: the first match's boundary must not hide the second."""
    client = mood_of(en_policy, "The gate has been broken for a month.", now)
    assert client.mood == "frustrated"
    assert [span.text for span in client.evidence] == ["broken", "for a month"]
