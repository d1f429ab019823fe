"""Portuguese: which policy serves a draft, and what the pt-BR policy catches and writes."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest

from bots.engine import Draft, check, load_policy_dir
from bots.engine import language as language_module
from bots.engine.language import choose_language, detect_language, locale_language
from tests.conftest import POLICIES, TEMPLATES


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Oi, tudo bem? Te mando o relatório amanhã.", "pt"),
        ("Não consigo garantir a data, mas aviso até sexta.", "pt"),
        ("Olá! Segue em anexo.", "pt"),
        ("Hi Ana, I'll send the report tomorrow.", "en"),
        ("Thanks, see you Monday.", "en"),
        ("OK", "en"),
    ],
)
def test_detects_language_from_the_text(text, language):
    assert detect_language(text) == language


def _counted_word_by_word(text: str) -> str:
    """detect_language as first written: words by regex, counted in a Python loop."""
    lowered = text.lower()
    words = re.findall(r"[a-zà-ÿ']+", lowered)
    pt_words = set(language_module._PT_WORDS.split())
    en_words = set(language_module._EN_WORDS.split())
    pt = sum(w in pt_words for w in words) + len(re.findall(r"[ãõçâêôáéíóúà]", lowered)) // 2
    en = sum(w in en_words for w in words)
    return "pt" if pt > en else "en"


def test_detection_in_bytes_counts_what_word_by_word_counting_did():
    pieces = ["não", "the", "é", "você", "I'm", "it's", "Está", "ÀÇÉ", "ÿ÷", "ß", "İ", "日本", "😀"]
    pieces += ["ã", "õ", "ç", "'", "’", " ", "\n", ".", ",", "-", "\x1c", "\u2028", "Ñ", "ü"]
    rng = random.Random(8)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        assert detect_language(text) == _counted_word_by_word(text), text


@pytest.mark.parametrize(
    ("locale", "language"),
    [
        ("pt-BR", "pt"),
        ("pt_BR", "pt"),
        ("PT", "pt"),
        ("en-US", "en"),
        ("fr-FR", None),
        ("", None),
        (None, None),
    ],
)
def test_locale_language(locale, language):
    assert locale_language(locale) == language


def test_forced_beats_locale_beats_detection():
    assert choose_language("Hi there, thanks!", "pt-BR") == "pt"
    assert choose_language("Olá, obrigado pela paciência!", "fr-FR") == "pt"
    assert choose_language("Olá, obrigado!", "pt-BR", forced="en") == "en"


def test_policy_selection(policies):
    assert policies.select("Hi Ana, thanks for this.").name == "default"
    assert policies.select("Oi Ana, obrigado pela paciência.").name == "default-pt"
    assert policies.select("Hi Ana, thanks for this.", "pt-BR").name == "default-pt"
    assert policies.select("Oi Ana, tudo bem? Não consigo hoje.", "de-DE").name == "default-pt"


def test_a_team_can_force_its_language(tmp_path: Path):
    directory = tmp_path / "policies"
    shutil.copytree(POLICIES, directory)
    default = directory / "default.yaml"
    default.write_text(
        default.read_text(encoding="utf-8").replace(
            "team_languages: {}", "team_languages: {T0PT: pt, C0EN: en}"
        ),
        encoding="utf-8",
    )
    policies = load_policy_dir(directory, TEMPLATES, examples=False)
    assert policies.select("Hi, thanks!", "en-US", team="T0PT").name == "default-pt"
    assert policies.select("Oi, obrigado!", "pt-BR", team="T0PT", channel="C0EN").name == "default"
    assert policies.select("Hi, thanks!", "en-US", team="T0OTHER").name == "default"


def _categories(policy, text, client=None, now=None):  # type: ignore[no-untyped-def]
    return {f.rule for f in check(Draft(text, client), policy, now=now).findings}


def test_pt_policy_catches_the_three_categories(pt_policy, now):
    found = _categories(
        pt_policy,
        "Sr. Paulo, a culpa foi do fornecedor, não nossa. Garanto que fica pronto até sábado. "
        "Pode me ligar a qualquer hora no meu celular pessoal.",
        "Vocês são uma piada, a obra está atrasada de novo.",
        now,
    )
    assert {
        "overpromise.guarantee",
        "boundary.always_available",
        "validation.acknowledge_first",
    } <= found
    assert "validation.defensive" in found


def test_pt_boundaries_are_unicode_aware(pt_policy, now):
    # Cues and phrases end at accented letters ("não", "garantia"): Unicode boundaries.
    assert "overpromise.guarantee" not in _categories(pt_policy, "Não garanto a data.", None, now)
    assert "overpromise.guarantee" in _categories(pt_policy, "Garanto a data.", None, now)
    assert "overpromise.never_again" in _categories(
        pt_policy, "Isso nunca mais vai acontecer.", None, now
    )
    assert "overpromise.never_again" not in _categories(
        pt_policy, "Não posso prometer que nunca mais vai acontecer.", None, now
    )
    assert (
        _categories(pt_policy, "A garantia do fabricante cobre a peça por dois anos.", None, now)
        == set()
    )


def test_pt_hedged_and_writer_controlled_commitments_pass(pt_policy, now):
    assert (
        _categories(
            pt_policy,
            "Nossa previsão é quinta, e te mando o relatório até as 16h de hoje.",
            None,
            now,
        )
        == set()
    )


def test_pt_rewrite_uses_portuguese_templates_and_hours(pt_policy, now):
    report = check(
        Draft(
            "Oi, Ana! Pode me ligar a qualquer hora. Abraço, Rui", "Estou preocupada com o prazo."
        ),
        pt_policy,
        now=now,
    )
    assert report.rewrite is not None
    assert report.rewrite.startswith("Oi, Ana!\n\n")
    assert report.rewrite.endswith("\n\nAbraço, Rui")
    assert "seg–sex 09:00–18:00" in report.rewrite
    assert "a qualquer hora" not in report.rewrite
    assert "preocupação" in report.rewrite  # opening fitted to an anxious client, in Portuguese


@pytest.mark.parametrize(
    "draft",
    [
        # a garantia do produto, descrita, não é promessa
        "Tem sim: 90 dias de garantia para a peça trocada e a mão de obra.",
        "Como consta no contrato, a reposição garantida vale para os salgados até o fim da festa.",
        # um colega com título, como "Tom" em inglês: só o resultado dele contaria
        "O Dr. Cássio vai comentar o resultado na consulta de retorno do dia 2.",
        # o reconhecimento que usa "cai no pior momento" não é previsão
        "Com a imprensa marcada pra hoje, essa reprovação cai no pior momento possível, eu sei.",
        # a condição ("após a aprovação") e o colega pelo cargo ("a orientadora")
        "Entrega em 7 dias úteis após a aprovação do roteiro.",
        "Hoje mesmo a orientadora vai conversar com a turma.",
        # "nenhuma" nega: nenhuma anestesia é risco zero
        "Os exames vieram ótimos, embora nenhuma anestesia seja risco zero.",
        # um colega pelo nome, como "Tom"; e "24h" é o dia inteiro, não uma hora
        "Amanhã o Zé passa aí pra olhar de novo.",
        "O Pronto-Socorro da Rua Marechal funciona 24h e atende particular.",
        # "está fechado" é o consultório; "fica pronto amanhã" sem sujeito é o próprio trabalho
        "Hoje o consultório está fechado, mas amanhã às 8h te atendo.",
        "As lentes chegaram hoje cedo. Fica pronto amanhã a partir das 10h.",
    ],
)
def test_pt_descriptions_are_not_promises(pt_policy, now, draft):
    assert not {r for r in _categories(pt_policy, draft, None, now) if r.startswith("overpromise.")}


@pytest.mark.parametrize(
    ("draft", "category"),
    [
        ("Garanto que a prefeitura aprova o alvará este mês.", "overpromise"),
        ("Essa autorização é certa, o plano cobre.", "overpromise"),
        ("Fica travado sim, e ainda consigo 15% de desconto pra você.", "overpromise"),
        ("Vai voltar em 10 minutos e depois disso não cai mais.", "overpromise"),
        ("Até amanhã a versão online estará corrigida, dou a minha palavra.", "overpromise"),
        ("Entendo, mas é importante salvar as respostas antes de enviar.", "validation"),
        ("Oi, Cláudia! Sem pânico kkkk. Amanhã vai ser lindo.", "validation"),
        ("Claro, sem problema. Faço no fim de semana e te envio domingo à noite.", "boundary"),
        ("Revisamos tudo dentro do mesmo honorário, e de outras que surgirem.", "boundary"),
        ("Até julho seu joelho vai estar 100% recuperado.", "overpromise"),
        ("Sr. Ivan, entendo que o senhor esteja abalado, mas o Bob chegou tarde.", "validation"),
        ("Isso estava no contrato, era só ter lido.", "validation"),
        (
            "Como já te falei umas três vezes, troca de dia só com 24h de antecedência.",
            "validation",
        ),
        ("Ganhamos essa fácil, pode contar com a indenização de R$ 50 mil.", "overpromise"),
        ("No recurso a gente reverte com certeza.", "overpromise"),
        ("Tenho uma boa notícia: ela vai se recuperar 100%.", "overpromise"),
        ("Pro senhor faço um desconto de 40% no plano.", "overpromise"),
        ("Olha, as plantas estavam saudáveis, era só ter seguido as instruções.", "validation"),
    ],
)
def test_pt_catches_what_a_blind_set_taught(pt_policy, now, draft, category):
    assert {r.split(".")[0] for r in _categories(pt_policy, draft, None, now)} >= {category}


@pytest.mark.parametrize(
    "draft",
    [
        "Nove anos de casa e uma demissão dessas deixam qualquer pessoa desnorteada. Vamos ver.",
        "Imaginar sua mãe sozinha num aeroporto aperta o coração de qualquer filha. Já liguei.",
        "Esperar uma biópsia é das esperas mais difíceis; a senhora não está exagerando.",
        "Descobrir pelo cliente que o formulário não funcionava é constrangedor. Já achei a causa.",
    ],
)
def test_pt_acknowledgement_in_paraphrase_counts(pt_policy, now, draft):
    client = "Tô desesperada, ninguém me responde e já faz 15 dias que pedi."
    found = {f.rule for f in check(Draft(draft, client), pt_policy, now=now).findings}
    assert not {r for r in found if r.startswith("validation.")}
