import pandas as pd
import pytest

from bilat_analysis.officials import name_key, tag_officials


def officials(*texts):
    corpus = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": list(texts)})
    return tag_officials(corpus)


@pytest.mark.parametrize(
    ("text", "official", "title"),
    [
        ("Foreign Secretary Vikram Misri met him.", "Vikram Misri", "Foreign Secretary"),
        ("Le Premier ministre Narendra Modi est arrivé.", "Narendra Modi", "Premier ministre"),
        (
            "La ministra de Asuntos Exteriores Arancha González Laya viajó a Rabat.",
            "Arancha González Laya",
            "ministra de Asuntos Exteriores",
        ),
        (
            "Die Außenministerin Annalena Baerbock traf ihren Amtskollegen.",
            "Annalena Baerbock",
            "Außenministerin",
        ),
        ("Bundeskanzler Olaf Scholz reiste nach Neu-Delhi.", "Olaf Scholz", "Bundeskanzler"),
        (
            "Il ministro degli Esteri Antonio Tajani ha incontrato il collega.",
            "Antonio Tajani",
            "ministro degli Esteri",
        ),
        (
            "O ministro dos Negócios Estrangeiros João Gomes Cravinho recebeu o colega.",
            "João Gomes Cravinho",
            "ministro dos Negócios Estrangeiros",
        ),
        (
            "Министр иностранных дел Сергей Лавров провёл переговоры с коллегой.",
            "Сергей Лавров",
            "Министр иностранных дел",
        ),
        ("Встреча с министром Сергеем Лавровым прошла в Москве.", "Сергеем Лавровым", "министром"),
    ],
)
def test_titles_in_seven_languages(text, official, title):
    found = officials(text)
    assert found[["official", "title"]].to_numpy().tolist()[0] == [official, title]


def test_a_word_ending_like_a_title_is_no_title():
    assert officials("They will administer Vikram Misri's programme.").empty


def test_no_title_no_official():
    assert officials("Annalena Baerbock und Sergej Lawrow.", "Nothing here.").empty


def test_names_are_matched_across_scripts():
    found = officials(
        "Russian Foreign Minister Sergey Lavrov met his counterpart.",
        "Министр иностранных дел Сергей Лавров провёл переговоры.",
    )
    assert found["official"].tolist() == ["Sergey Lavrov", "Sergey Lavrov"]
    assert found["match"].tolist() == ["Sergey Lavrov", "Сергей Лавров"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Лавров", "Lavrov"),
        ("Сергей Лавров", "Sergei Lavrov"),
        ("Олаф Шольц", "Olaf Scholz"),
        ("Эмманюэль Макрон", "Emmanuel Macron"),
        ("Анналена Бербок", "Annalena Baerbock"),
        ("Хакан Фидан", "Hakan Fidan"),
        ("Джайшанкар", "Jaishankar"),
        ("محمد بن سلمان", "Mohammed bin Salman"),
        ("王毅", "Wang Yi"),
        ("Anne-Marie Descôtes", "anne marie descotes"),
    ],
)
def test_name_key_is_one_across_scripts_and_spellings(a, b):
    assert name_key(a) == name_key(b) != ""


def test_name_key_keeps_different_names_apart():
    names = ["Sergey Lavrov", "Vladimir Putin", "Olaf Scholz", "Vikram Misri", "Alice Rufo"]
    assert len({name_key(n) for n in names}) == len(names)
    assert name_key("123 !") == ""


def test_an_inflected_german_title_is_a_title_not_a_name():
    found = officials("Scholz empfing den türkischen Präsidenten Recep Tayyip Erdoğan in Berlin.")
    assert found["official"].tolist() == ["Recep Tayyip Erdoğan"]
    assert found["title"].tolist() == ["Präsidenten"]


def test_another_language_partner_alias_does_not_block_a_name(monkeypatch):
    from bilat_analysis import officials as module

    partners = module.read_partners()
    extra = pd.DataFrame(
        [
            {
                "alias": "Misri",
                "code": "EGY",
                "kind": "state",
                "alias_type": "name",
                "language": "sw",
            },
            {
                "alias": "Phần Lan",
                "code": "FIN",
                "kind": "state",
                "alias_type": "name",
                "language": "vi",
            },
        ]
    )
    monkeypatch.setattr(module, "read_partners", lambda: pd.concat([partners, extra]))
    module._lexicons.cache_clear()
    module._vocabulary_of.cache_clear()
    try:
        corpus = pd.DataFrame(
            {
                "doc_id": ["en", "vi"],
                "text": [
                    "Foreign Secretary Vikram Misri, in talks with Defence Minister Phan Van Giang,"
                    " welcomed the progress made since their last meeting in the capital.",
                    "Bộ trưởng Ngoại giao Phần Lan đã tới.",
                ],
                "language": ["en", "vi"],
            }
        )
        assert tag_officials(corpus)["official"].tolist() == ["Vikram Misri", "Phan Van Giang"]
    finally:
        monkeypatch.undo()
        module._lexicons.cache_clear()
        module._vocabulary_of.cache_clear()


@pytest.mark.parametrize(
    ("text", "alias", "language"),
    [
        (
            "La delegación de Francia, encabezada por la embajadora Marie Dupont, llegó a Madrid.",
            "Francia",
            "es",
        ),
        (
            "A delegação da França foi chefiada pela embaixadora Marie Dupont na reunião.",
            "França",
            "pt",
        ),
        (
            "La delegazione della Francia era guidata dall'ambasciatrice Marie Dupont ieri.",
            "Francia",
            "it",
        ),
    ],
)
def test_the_partner_represented_is_read_in_other_languages(text, alias, language):
    from bilat_analysis.lexicons import read_partners

    row = {"alias": alias, "code": "FRA", "kind": "state", "alias_type": "name"}
    partners = pd.concat([read_partners(), pd.DataFrame([{**row, "language": language}])])
    corpus = pd.DataFrame({"doc_id": ["d"], "text": [text], "language": [language]})
    found = tag_officials(corpus, partners=partners)
    assert found[["official", "partner"]].to_numpy().tolist() == [["Marie Dupont", "FRA"]]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Си Цзиньпин", "Xi Jinping"),
        ("习近平", "Xi Jinping"),
        ("Ван И", "Wang Yi"),
        ("Хаканом Фиданом", "Hakan Fidan"),
        ("Сергеем Лавровым", "Sergey Lavrov"),
        ("Марии Захаровой", "Maria Zakharova"),
        ("Alexander Schallenberg", "Александр Шалленберг"),
    ],
)
def test_name_key_across_cases_and_chinese_transcriptions(a, b):
    assert name_key(a) == name_key(b)


def test_a_title_phrase_stops_at_another_persons_name():
    found = officials("Bundeskanzler Scholz empfing den Präsidenten Recep Tayyip Erdoğan gestern.")
    assert found["title"].tolist() == ["Präsidenten"]


def test_token_offsets_are_those_of_the_tokeniser():
    from bilat_analysis import officials as module

    text = "M. Jean-Pierre  l’ambassadrice, 10.7M __x_ y² «Ахмед» 中国\u0301 a_b\n\nend_"
    expected = [(m.group(), m.start(), m.end()) for m in module._TOKEN.finditer(text)]
    assert module._tokens(text) == expected
    assert module._tokens("") == []
    assert module._tokens("  _ ") == []
