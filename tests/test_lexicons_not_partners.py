"""Aliases that name no partner: personal names, dishes, idioms (data/not_partner_context.csv)."""

from __future__ import annotations

import pandas as pd
import pytest

from bilat_analysis.lexicons import read_languages, read_lexicon, read_partners
from bilat_analysis.paths import data_file
from bilat_analysis.tagging import drop_non_partner_uses, fold_text, tag_corpus, tag_partners

CONTEXT = data_file("not_partner_context.csv")


def partners_in(text: str, language: str) -> list[str]:
    """Partner codes found in one document, in text order."""
    corpus = pd.DataFrame({"doc_id": ["d"], "text": [text], "language": [language]})
    return tag_partners(corpus)["partner"].tolist()


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # a first name that is also a state's name, then a surname
        ("fr", "Maurice Girard tient une boulangerie à Lyon depuis 1998.", []),
        ("fr", "Le Premier ministre de Maurice a reçu son homologue indien.", ["MUS", "IND"]),
        ("fr", "Maurice et l'Inde renforcent leur coopération maritime.", ["MUS", "IND"]),
        ("en", "Coach Jordan Miller praised his players after the final.", []),
        ("es", "El entrenador Chad Romero elogió a sus jugadores.", []),
        ("en", "Chad and Niger discussed border security on Monday.", ["TCD", "NER"]),
        ("en", "Jordan and Egypt signed a water agreement.", ["JOR", "EGY"]),
        ("es", "Santiago Herrera abrió una librería en Sevilla.", []),
        ("es", "El canciller viajó a Santiago para reunirse con su homóloga.", ["CHL"]),
        ("en", "Jordan Opens New Border Crossing With Syria", ["JOR", "SYR"]),
        # a surname after a given name; an Arabic nisba after a given name
        ("en", "The novelist Anna Jordan read from her new book.", []),
        ("ar", "قال الكاتب سمير اللبناني إن روايته الجديدة صدرت أمس.", []),
        ("ar", "التقى الرئيس اللبناني نظيره الفرنسي في بيروت.", ["LBN", "FRA", "LBN"]),
        ("vi", "Bà Trần Thị Nga phát biểu tại hội thảo.", []),
        ("vi", "Nga và Việt Nam ký kết thỏa thuận.", ["RUS", "VNM"]),
        # a dish or food named after a country, on the side the language puts it
        ("ru", "Магазин продаёт французский сыр и вино.", []),
        ("ru", "В меню были итальянский и испанский сыры.", []),
        ("ru", "Россия и Франция подписали соглашение.", ["RUS", "FRA"]),
        ("de", "Schweizer Schokolade ist in Japan beliebt.", ["JPN"]),
        ("de", "Die Schweizer Regierung lud nach Bern ein.", ["CHE", "CHE"]),
        ("fr", "Au menu, une tarte italienne et du fromage anglais et suisse.", []),
        ("ar", "يبيع المتجر الجبن الهولندي والسويسري.", []),
        ("ar", "وصل وزير الخارجية الهولندي إلى القاهرة.", ["NLD", "EGY"]),
        ("zh", "这家店的法国面包和比利时巧克力很受欢迎。", []),
        ("zh", "法国总统访问中国。", ["FRA", "CHN"]),
        ("ja", "トルコアイスとベルギーワッフルを食べた。", []),
        ("ja", "日本とアイスランドの首脳が会談した。", ["JPN", "ISL"]),
        ("id", "Toko itu menjual roti Prancis dan keju Belanda.", []),
        ("id", "Indonesia dan Belanda menandatangani perjanjian.", ["IDN", "NLD"]),
    ],
)
def test_names_and_dishes_are_not_partners(language: str, text: str, expected: list[str]) -> None:
    assert partners_in(text, language) == expected


def test_a_trade_commodity_is_still_the_state() -> None:
    # staples are left out of the food list on purpose: "Vietnamese rice" is Vietnam's
    assert partners_in("Vietnamese rice exports to the Philippines rose.", "en") == ["VNM", "PHL"]


def test_nothing_found_and_empty_tables() -> None:
    text = "Maurice Girard vend du pain."
    corpus = pd.DataFrame({"doc_id": ["a"], "text": [text], "language": ["fr"]})
    mentions = tag_partners(corpus)
    assert mentions.empty
    assert list(drop_non_partner_uses(mentions, corpus).columns) == list(mentions.columns)
    # no language column: every alias is tried, the rules still read each alias's language
    bare = pd.DataFrame({"doc_id": ["b"], "text": [text]})
    assert "MUS" not in tag_partners(bare)["partner"].tolist()


def test_tag_corpus_and_tag_partners_agree() -> None:
    corpus = pd.DataFrame(
        {
            "doc_id": ["a", "b"],
            "text": [
                "Maurice Girard vend du pain à Maurice.",
                "Магазин продаёт французский сыр; Франция.",
            ],
            "language": ["fr", "ru"],
        }
    )
    alone = tag_partners(corpus)
    together, _ = tag_corpus(corpus)
    pd.testing.assert_frame_equal(alone, together)
    assert alone["partner"].tolist() == ["MUS", "FRA"]


def test_context_file_is_valid() -> None:
    table = read_lexicon(CONTEXT, ("word", "role", "language", "match", "side"))
    assert set(table["role"]) == {"first_name", "given_name", "food"}
    assert set(table["language"]) <= set(read_languages()["language"])
    assert set(table["match"]) <= {"", "word", "prefix"}
    food = table["role"] == "food"
    assert set(table.loc[food, "side"]) == {"after", "before"}
    assert set(table.loc[~food, "side"]) == {""}
    assert not table.duplicated(["word", "role", "language"]).any()
    # every language has its side once: the food words of one language sit on one side
    sides = table[food].groupby("language")["side"].agg(lambda s: len(set(s)))
    assert (sides == 1).all()


def test_every_first_name_is_an_alias_of_its_language() -> None:
    partners = read_partners()
    aliases = set(zip(partners["language"], partners["alias"].map(fold_text), strict=True))
    table = read_lexicon(CONTEXT, ("word", "role", "language"))
    first = table[table["role"] == "first_name"]
    missing = [
        (lang, word)
        for lang, word in zip(first["language"], first["word"], strict=True)
        if (lang, fold_text(word)) not in aliases
    ]
    assert missing == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Делегация Египта прибыла в Москву.", ["EGY", "RUS"]),
        ("Египтяне и американцы обсудили поставки.", ["EGY", "USA"]),
        ("Туркмены и турки подписали меморандум.", ["TKM", "TUR"]),
        ("Выступил профессор Поляков.", []),  # a surname, not the Poles
    ],
)
def test_russian_case_forms_and_nouns_for_people(text: str, expected: list[str]) -> None:
    assert partners_in(text, "ru") == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("de", "Spanier und Ägypter feierten gemeinsam.", ["ESP", "EGY"]),
        ("de", "Brasilianer und Vietnamesen trafen sich.", ["BRA", "VNM"]),
        ("pt", "Os russos e os islandeses assinaram o acordo.", ["RUS", "ISL"]),
        ("it", "I panamensi e i giamaicani hanno votato.", ["PAN", "JAM"]),
    ],
)
def test_nouns_for_a_states_people(language: str, text: str, expected: list[str]) -> None:
    assert partners_in(text, language) == expected
