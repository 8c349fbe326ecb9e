"""Tagging in the 13 supported languages: per-language lexicons, script rules, themes, traps."""

import pandas as pd
import pytest

from bilat_analysis.dyads import annotate_documents, infer_dyads
from bilat_analysis.lexicons import read_formats, read_languages, read_themes, read_title_words
from bilat_analysis.tagging import (
    Matcher,
    document_languages,
    in_title_context,
    tag_formats,
    tag_partners,
    tag_themes,
)

ROW = {"kind": "state", "alias_type": "name", "case": "", "seat_of": "", "match": ""}


def lexicon(*rows: tuple) -> pd.DataFrame:
    """A small partner lexicon: (alias, code, language[, alias_type[, match[, kind]]])."""
    records = []
    for alias, code, language, *rest in rows:
        record = dict(ROW, alias=alias, code=code, language=language)
        for key, value in zip(("alias_type", "match", "kind"), rest, strict=False):
            record[key] = value
        records.append(record)
    return pd.DataFrame(records)


def corpus_of(*texts: str, language: str | None = None, titles=None) -> pd.DataFrame:
    corpus = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": list(texts)})
    if language is not None:
        corpus["language"] = language
    if titles is not None:
        corpus["title"] = titles
    return corpus


def partners_in(text: str, language: str | None, table: pd.DataFrame | None = None) -> list[str]:
    mentions = tag_partners(corpus_of(text, language=language), lexicon=table)
    return mentions.loc[mentions["kind"] != "region", "partner"].tolist()


def counted_themes(text: str, language: str) -> set[str]:
    mentions = tag_themes(corpus_of(text, language=language))
    return set(mentions.loc[~mentions["in_title"], "theme"])


# ---------------------------------------------------------------- lexicon rows per language


def test_document_languages():
    assert document_languages("ru") == ("ru", "mul")
    assert document_languages("zh-TW") == ("zh", "mul")
    assert document_languages("nl") == ("en", "mul", "nl")
    assert document_languages(None) == document_languages(float("nan")) == ("*",)


def test_a_row_applies_to_its_own_language_and_mul_rows_to_all():
    table = lexicon(
        ("EU", "USA", "es", "acronym"),
        ("EU", "EU", "en", "acronym"),
        ("Maurice", "MUS", "fr"),
        ("NATO", "NATO", "mul", "acronym", "", "organisation"),
    )
    assert partners_in("EU y NATO", "es", table) == ["USA", "NATO"]
    assert partners_in("the EU and NATO", "en", table) == ["EU", "NATO"]
    assert partners_in("Maurice Thompson met NATO officials", "en", table) == ["NATO"]
    assert partners_in("Maurice et l'Inde", "fr", table) == ["MUS"]


def test_each_language_is_compiled_once():
    from bilat_analysis.tagging import compile_lexicon

    _, matcher = compile_lexicon("themes")
    assert matcher.matcher("de") is matcher.matcher("de")
    assert matcher.matcher("de") is not matcher.matcher("ru")


# ---------------------------------------------------------------- script rules


def test_han_and_kana_need_no_word_boundary():
    table = lexicon(("中国", "CHN", "zh"), ("俄罗斯", "RUS", "zh"), ("トルコ", "TUR", "ja"))
    assert partners_in("中国和俄罗斯签署联合声明", "zh", table) == ["CHN", "RUS"]
    assert partners_in("首相はトルコを訪問した", "ja", table) == ["TUR"]
    # a Latin acronym between Han characters still stands alone
    assert partners_in("中国与ASEAN合作", "zh", lexicon(("ASEAN", "ASEAN", "mul", "acronym"))) == [
        "ASEAN"
    ]


def test_arabic_aliases_match_after_proclitics():
    table = lexicon(("مصر", "EGY", "ar"), ("الصين", "CHN", "ar"), ("السعودية", "SAU", "ar"))
    text = "زار الوزير مصر ثم قال إن لمصر وللصين وبالسعودية والصين دورا"
    assert partners_in(text, "ar", table) == ["EGY", "EGY", "CHN", "SAU", "CHN"]
    # a longer word that merely ends like an alias is no mention
    assert partners_in("مصرف", "ar", table) == []


def test_caseless_scripts_pass_the_capital_letter_rule():
    table = lexicon(("مصر", "EGY", "ar", "name"), ("中国", "CHN", "zh", "name"))
    assert table.pipe(lambda t: t.assign(case="title"))["case"].eq("title").all()
    titled = table.assign(case="title")
    assert partners_in("مصر", "ar", titled) == ["EGY"]
    assert partners_in("中国", "zh", titled) == ["CHN"]


def test_turkish_apostrophe_suffixes():
    table = lexicon(("Türkiye", "TUR", "tr"), ("Rusya", "RUS", "tr"))
    assert partners_in("Türkiye'nin ve Rusya’nın bakanları", "tr", table) == ["TUR", "RUS"]


def test_prefix_stems_match_inflected_forms_and_report_the_whole_word():
    table = lexicon(
        ("российск", "RUS", "ru", "demonym", "prefix"),
        ("турецк", "TUR", "ru", "demonym", "prefix"),
        ("deutsch", "DEU", "de", "demonym", "prefix"),
        ("indisch", "IND", "de", "demonym", "prefix"),
    )
    mentions = tag_partners(
        corpus_of("российско-турецкие переговоры", language="ru"), lexicon=table
    )
    assert mentions["match"].tolist() == ["российско", "турецкие"]
    mentions = tag_partners(
        corpus_of("die deutsch-indische Partnerschaft", language="de"), lexicon=table
    )
    assert mentions["match"].tolist() == ["deutsch", "indische"]
    # a prefix still starts at a word boundary
    assert partners_in("nichtdeutsche Firmen", "de", table) == []


def test_title_case_acronyms_and_all_caps_headlines():
    table = lexicon(
        ("ASEAN", "ASEAN", "mul", "acronym", "", "bloc"),
        ("UN", "UN", "mul", "acronym", "", "organisation"),
        ("US", "USA", "en", "acronym"),
    )
    assert partners_in("India and Asean leaders", "en", table) == ["ASEAN"]
    assert partners_in("Un accord", "fr", table) == []  # short acronyms stay letter for letter
    assert partners_in("LET US KNOW WHAT YOU THINK", "en", table) == []
    assert partners_in("UN AN APRÈS", "fr", table) == []
    assert partners_in("The US and the UN agreed", "en", table) == ["USA", "UN"]
    assert partners_in("US-ASEAN TALKS", "en", table) == ["USA", "ASEAN"]


def test_bundled_lexicon_headline_traps():
    assert partners_in("LET US KNOW", "en") == []
    assert partners_in("UN AN APRÈS", "fr") == []


def test_none_phrases_and_pair_forms():
    table = lexicon(
        ("Deutsche Bank", "", "de", "name", "word", "none"),
        ("Deutschland", "DEU", "de"),
        ("中", "CHN", "zh", "pair"),
        ("俄", "RUS", "zh", "pair"),
        ("sino", "CHN", "en", "pair"),
        ("Indian", "IND", "en", "demonym"),
    )
    assert partners_in("Die Deutsche Bank und Deutschland", "de", table) == ["DEU"]
    assert partners_in("中俄双方签署声明", "zh", table) == ["CHN", "RUS"]
    assert partners_in("市中心", "zh", table) == []  # 中 alone is no partner
    assert partners_in("Sino-Indian ties", "en", table) == ["CHN", "IND"]
    assert partners_in("the casino Sino lounge", "en", table) == []


def test_matcher_case_and_mode_checks():
    matcher = Matcher(["deutsch", "UNESCO"], ["any", "exact"], ["prefix", "word"])
    assert matcher.find("deutschen Unesco") == [(0, 9, 0), (10, 16, 1)]
    assert Matcher([], []).find("anything") == []


def test_bad_match_mode_is_a_clear_error():
    table = lexicon(("X", "XX", "en", "name", "stem"))
    with pytest.raises(ValueError, match=r"column 'match' has \['stem'\]; valid values: 'word'"):
        tag_partners(corpus_of("X"), lexicon=table)


# ---------------------------------------------------------------- themes in every language

THEME_SENTENCES = {
    "en": (
        "The two sides discussed defence cooperation and renewable energy.",
        {"defence", "energy"},
    ),
    "fr": (
        "Les deux pays ont parlé de cybersécurité et d'agriculture.",
        {"cyber_digital", "agriculture"},
    ),
    "es": (
        "Ambos gobiernos firmaron acuerdos de comercio y de salud.",
        {"trade_investment", "health"},
    ),
    "de": (
        "Beide Seiten sprachen über Verteidigungspolitik und den Klimaschutz.",
        {"defence", "climate_environment"},
    ),
    "it": (
        "I ministri hanno discusso di sicurezza marittima e di istruzione.",
        {"maritime_security", "education_culture"},
    ),
    "pt": (
        "Os dois países assinaram acordos sobre energia nuclear e agricultura.",
        {"nuclear_energy", "agriculture"},
    ),
    "ru": (
        "Стороны обсудили военно-техническое сотрудничество и торговлю.",
        {"defence", "trade_investment"},
    ),
    "ar": ("ناقش الجانبان التعاون في مجال الطاقة ومكافحة الإرهاب", {"energy", "counterterrorism"}),
    "zh": ("双方就航天合作和气候变化交换了意见。", {"space", "climate_environment"}),
    "ja": ("両国は宇宙協力と人道支援について協議した。", {"space", "humanitarian_aid"}),
    "id": (
        "Kedua negara membahas pasukan perdamaian dan ketahanan pangan.",
        {"peacekeeping", "agriculture"},
    ),
    "vi": (
        "Hai bên thảo luận về chủ nghĩa đa phương và khoa học công nghệ.",
        {"multilateralism", "science_technology"},
    ),
    "tr": (
        "İki ülke terörle mücadele ve yapay zeka alanında işbirliğini görüştü.",
        {"counterterrorism", "science_technology"},
    ),
}


def test_every_supported_language_has_a_sentence_here():
    assert set(THEME_SENTENCES) == set(read_languages()["language"])


@pytest.mark.parametrize("language", sorted(THEME_SENTENCES))
def test_themes_are_found_in_each_language(language):
    text, expected = THEME_SENTENCES[language]
    assert counted_themes(text, language) == expected


def test_a_theme_keyword_fires_only_in_its_language():
    # German "Handel" (trade) is no keyword in an English document
    assert counted_themes("Handel composed the Messiah.", "en") == set()


def test_every_language_has_title_words_and_formats():
    languages = set(read_languages()["language"])
    assert set(read_title_words()["language"]) == languages
    formats = read_formats()
    for code in set(formats["format"]):
        assert set(formats.loc[formats["format"] == code, "language"]) == languages, code
    assert {"word", "prefix"} == set(read_themes()["match"])


# ---------------------------------------------------------------- precision traps


def test_a_title_before_a_name_is_not_a_theme():
    text = "Trade Minister Piyush Goyal met Defence Minister Richard Marles and said trade grew."
    mentions = tag_themes(corpus_of(text, language="en"))
    assert mentions[["match", "in_title"]].to_numpy().tolist() == [
        ["Trade", True],
        ["Defence", True],
        ["trade", False],
    ]
    assert in_title_context("Commerce and Industry Minister Piyush Goyal", 0, 8, language="en")
    assert not in_title_context("talks on energy and the minister said", 9, 15, language="en")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Verteidigungsminister Boris Pistorius reiste nach Delhi."),
        ("ru", "Министр обороны России прибыл в Пекин."),
        ("es", "El ministro de Defensa llegó a Rabat."),
        ("tr", "Savunma Bakanı Yaşar Güler Ankara'da konuştu."),
        ("zh", "国防部长会见了代表团。"),
        ("ja", "防衛相が記者会見した。"),
        ("id", "Menteri Pertahanan tiba di Canberra."),
        ("vi", "Bộ trưởng Quốc phòng tiếp đoàn đại biểu."),
        ("ar", "وصل وزير الدفاع إلى القاهرة."),
    ],
)
def test_job_titles_in_every_language(language, text):
    mentions = tag_themes(corpus_of(text, language=language))
    assert len(mentions) == 1
    assert mentions["in_title"].all()


def test_cyber_space_is_cyber_not_space():
    assert counted_themes("The Cyber Space dialogue met in Delhi.", "en") == {"cyber_digital"}


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "Les entretiens se sont tenus dans un climat de sérénité."),
        ("fr", "Un partenariat durable entre les deux pays."),
        ("en", "The leaders reviewed the regional security environment."),
        ("zh", "双方认为地区安全环境复杂。"),
        ("ja", "厳しい安全保障環境について議論した。"),
        ("es", "Las conversaciones se celebraron en un clima de confianza."),
    ],
)
def test_figurative_climate_and_environment_are_not_climate(language, text):
    assert "climate_environment" not in counted_themes(text, language)


def test_meeting_formats_in_other_languages():
    corpus = pd.DataFrame(
        {
            "doc_id": ["ru", "ja", "de", "es"],
            "text": [
                "Стороны провели переговоры на высшем уровне и подписали соглашения.",
                "両首脳は首脳会談で覚書に署名した。",
                "Der Staatsbesuch endete mit einem Gipfeltreffen.",
                "La cumbre terminó con una visita de Estado.",
            ],
            "language": ["ru", "ja", "de", "es"],
        }
    )
    found = tag_formats(corpus).groupby("doc_id")["format"].apply(set).to_dict()
    assert found["ru"] == {"summit", "agreement_signed"}
    assert found["ja"] == {"summit", "agreement_signed"}
    assert found["de"] == {"state_visit", "summit"}
    assert found["es"] == {"summit", "state_visit"}


# ---------------------------------------------------------------- dyads

DYAD_LEXICON = lexicon(
    ("российск", "RUS", "ru", "demonym", "prefix"),
    ("турецк", "TUR", "ru", "demonym", "prefix"),
    ("Россия", "RUS", "ru"),
    ("Турция", "TUR", "ru"),
    ("中", "CHN", "zh", "pair"),
    ("俄", "RUS", "zh", "pair"),
    ("日", "JPN", "zh", "pair"),
    ("豪", "AUS", "ja", "pair"),
    ("日", "JPN", "ja", "pair"),
    ("中国", "CHN", "zh"),
    ("India", "IND", "en"),
    ("France", "FRA", "en"),
    ("China", "CHN", "en"),
    ("Japan", "JPN", "en"),
    ("Brazil", "BRA", "en"),
    ("Kenya", "KEN", "en"),
    ("Egypt", "EGY", "en"),
    ("Australia", "AUS", "en"),
    ("Philippines", "PHL", "en"),
    ("Belgium", "BEL", "en"),
    ("Brussels", "BEL", "en", "capital"),
    ("EU", "EU", "en", "acronym", "word", "bloc"),
    ("ASEAN", "ASEAN", "mul", "acronym", "word", "bloc"),
    ("G20", "G20", "mul", "acronym", "word", "organisation"),
    ("sino", "CHN", "en", "pair"),
    ("franco", "FRA", "en", "pair"),
    ("Indian", "IND", "en", "demonym"),
)


def dyad_of(text: str, language: str, title: str | None = None):
    corpus = corpus_of(text, language=language, titles=None if title is None else [title])
    return infer_dyads(corpus, lexicon=DYAD_LEXICON).iloc[0]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Начались российско-турецкие переговоры.", "ru", ("RUS", "TUR")),
        ("中俄双方签署联合声明。", "zh", ("CHN", "RUS")),
        ("日豪首脳会談が行われた。", "ja", ("AUS", "JPN")),
        ("Sino-Indian talks resumed on Monday.", "en", ("CHN", "IND")),
        ("The Franco-Indian roadmap was signed.", "en", ("FRA", "IND")),
        ("Россия и Турция подписали соглашение.", "ru", ("RUS", "TUR")),
    ],
)
def test_pair_forms_make_a_pair(text, language, expected):
    assert dyad_of(text, language)["dyad"] == expected


def test_a_country_in_a_dateline_bracket_is_the_venue():
    text = "Brussels [Belgium], May 2: India and the EU agreed on a trade roadmap."
    assert dyad_of(text, "en")["dyad"] == ("EU", "IND")
    corpus = corpus_of(text, language="en")
    counted = annotate_documents(corpus, partners=DYAD_LEXICON).iloc[0]["partners"]
    assert "BEL" not in counted


def test_a_partner_named_once_in_passing_does_not_complete_a_pair():
    text = (
        "India and Freedonia held talks on trade in Delhi. "
        "India will send a delegation. India hopes for more. "
        "A similar deal was signed with Kenya last year."
    )
    row = dyad_of(text, "en")
    assert row["dyad"] is None
    assert "no dyad" in row["evidence"]


def test_a_list_of_countries_around_a_clear_pair_keeps_the_pair():
    text = (
        "Australia and the Philippines held their first joint sail. "
        "Officials in Japan, China, Kenya, Egypt and Brazil were briefed on the plan."
    )
    assert dyad_of(text, "en")["dyad"] == ("AUS", "PHL")


def test_a_multilateral_summit_gives_no_dyad():
    text = (
        "Leaders of the G20 closed their summit on Tuesday. "
        "Brazil and Kenya called for debt relief."
    )
    assert dyad_of(text, "en")["dyad"] is None
    assert dyad_of("The ASEAN summit opened. Japan sent an observer.", "en")["dyad"] is None
    # a bilateral summit is a pair
    assert dyad_of("The India-France summit opened in Paris.", "en")["dyad"] == ("FRA", "IND")


def test_no_partner_at_all_is_no_dyad():
    row = dyad_of("Nothing here is about a country.", "en")
    assert row["dyad"] is None
    assert tag_partners(corpus_of("", language="en")).empty


def test_an_organisation_next_to_a_summit_word_is_a_multilateral_lead():
    table = pd.concat(
        [DYAD_LEXICON, lexicon(("Ucraina", "UKR", "it"), ("russi", "RUS", "it", "demonym"))]
    )
    table = pd.concat([table, lexicon(("G7", "G7", "mul", "acronym", "word", "organisation"))])
    corpus = corpus_of(
        "Il vertice del G7 si è chiuso con un prestito all'Ucraina garantito dai beni russi.",
        language="it",
    )
    assert infer_dyads(corpus, lexicon=table).iloc[0]["dyad"] is None


def test_a_day_number_does_not_end_the_lead():
    # "1. Dezember" is a date: the lead runs on to the sentence that names the forum
    table = pd.concat(
        [
            lexicon(("Russland", "RUS", "de"), ("Ukraine", "UKR", "de"), ("Malta", "MLT", "de")),
            lexicon(("OSZE", "OSCE", "de", "acronym", "word", "organisation")),
        ]
    )
    text = (
        "SKOPJE, 1. Dezember 2023 - Die Außenminister der OSZE haben sich auf Malta "
        "geeinigt. Russland und die Ukraine warfen sich Blockade vor."
    )
    assert infer_dyads(corpus_of(text, language="de"), lexicon=table).iloc[0]["dyad"] is None


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Il ministro italiano Guido Crosetto e il suo omologo giapponese si sono visti.", "it"),
        ("Indian Foreign Minister S. Jaishankar met his Japanese counterpart in Tokyo.", "en"),
    ],
)
def test_a_counterpart_joins_a_pair(text, language):
    table = pd.concat(
        [
            DYAD_LEXICON,
            lexicon(
                ("italiano", "ITA", "it", "demonym"),
                ("giapponese", "JPN", "it", "demonym"),
                ("Regno Unito", "GBR", "it"),
                ("Japanese", "JPN", "en", "demonym"),
            ),
        ]
    )
    extra = " Il caccia è sviluppato con il Regno Unito." if language == "it" else ""
    corpus = corpus_of(text + extra, language=language)
    row = infer_dyads(corpus, lexicon=table).iloc[0]
    assert set(row["dyad"]) == ({"ITA", "JPN"} if language == "it" else {"IND", "JPN"})
    assert "pairs:" in row["evidence"]


def test_a_counterpart_across_a_sentence_is_no_pair():
    text = "India spoke first. The counterpart from Japan replied."
    table = pd.concat([DYAD_LEXICON, lexicon(("Japanese", "JPN", "en", "demonym"))])
    assert (
        "pairs:"
        not in infer_dyads(corpus_of(text, language="en"), lexicon=table).iloc[0]["evidence"]
    )


def test_a_title_after_and_is_no_unknown_side():
    text = "India and President Lula agreed on trade. Brazil will host the next round."
    table = pd.concat([DYAD_LEXICON, lexicon(("Brazil", "BRA", "en"))])
    row = infer_dyads(corpus_of(text, language="en"), lexicon=table).iloc[0]
    assert row["dyad"] == ("BRA", "IND")
