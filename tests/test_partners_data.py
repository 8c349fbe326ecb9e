"""The partner lexicon as data: coverage, codes, the Congos, traps, and real sentences per language.

Sentences go through :func:`bilat_analysis.tagging.tag_partners` with the bundled lexicon
and the document's language (its own rows plus ``mul``). Phrases that are no partner ("New
Mexico", "French fries") are rows of kind ``none`` with no code: they win leftmost-longest
over the name inside them and are never reported. Pair forms (alias_type ``pair``: "sino",
"franco", 中 and 俄 in 中俄) count only when joined to another partner.
"""

from __future__ import annotations

import csv
import importlib
import sys

import pandas as pd
import pytest

from bilat_analysis.lexicons import (
    ALIAS_TYPES,
    CASE_RULES,
    PARTNER_KINDS,
    read_languages,
    read_partners,
)
from bilat_analysis.paths import data_file
from bilat_analysis.tagging import fold_text, tag_partners

ACTORS = ("state", "bloc", "organisation")
DATA_RAW = data_file("partners.csv").parents[2] / "data-raw"
sys.path.insert(0, str(DATA_RAW))  # build_partners.py, imported by the build test
PARTNERS = read_partners()
SUPPORTED = read_languages()["language"].tolist()
UN_STATES = {
    row["alpha3"]
    for row in csv.DictReader(
        line for line in (DATA_RAW / "un_states.csv").read_text(encoding="utf-8").splitlines()
    )
}


def partners_in(text: str, language: str, *, capitals: bool = True) -> list[str]:
    corpus = pd.DataFrame({"doc_id": ["d"], "text": [text], "language": [language]})
    found = tag_partners(corpus)
    found = found[found["kind"].isin(ACTORS)]
    if not capitals:
        found = found[found["alias_type"] != "capital"]
    return sorted(set(found["partner"]))


# ---------------------------------------------------------------- the table itself


def test_columns_and_values_are_valid():
    assert list(PARTNERS.columns[:7]) == [
        "alias", "code", "kind", "alias_type", "language", "case", "seat_of",
    ]  # fmt: skip
    assert set(PARTNERS["match"]) == {"word", "prefix"}
    assert set(PARTNERS["kind"]) <= {*PARTNER_KINDS, "none"}
    assert set(PARTNERS["alias_type"]) <= set(ALIAS_TYPES)
    assert set(PARTNERS["case"]) <= set(CASE_RULES)
    assert (PARTNERS["alias"].str.strip() == PARTNERS["alias"]).all()
    assert (PARTNERS["alias"].str.len() > 0).all()


def test_rows_are_sorted_so_the_build_is_reproducible():
    keys = list(
        zip(
            PARTNERS["kind"], PARTNERS["code"], PARTNERS["language"],
            PARTNERS["alias_type"], PARTNERS["alias"], strict=True,
        )
    )  # fmt: skip
    assert keys == sorted(keys)


def test_every_code_is_known_and_none_rows_have_no_code():
    none = PARTNERS["code"] == ""
    assert set(PARTNERS.loc[none, "kind"]) == {"none"}
    codes = PARTNERS.loc[~none, "code"]
    assert "" not in set(codes)
    assert UN_STATES <= set(codes)
    assert not codes.str.contains("|", regex=False).any()


@pytest.mark.parametrize("language", SUPPORTED)
def test_every_un_state_has_a_name_in_every_supported_language(language):
    rows = PARTNERS[(PARTNERS["language"] == language) & (PARTNERS["kind"] == "state")]
    named = set(rows.loc[rows["alias_type"] != "capital", "code"])
    assert not UN_STATES - named


ORGANISATIONS = "EU UN NATO ASEAN AU G7 G20 BRICS SCO GCC WTO IMF WB WHO IAEA OIC QUAD".split()


@pytest.mark.parametrize("language", SUPPORTED)
def test_blocs_and_organisations_are_named_in_every_supported_language(language):
    rows = PARTNERS[PARTNERS["language"].isin([language, "mul"])]
    assert not set(ORGANISATIONS) - set(rows["code"])
    own = set(PARTNERS.loc[PARTNERS["language"] == language, "code"])
    assert {"EU", "UN", "AU"} <= own  # names in the language itself, not only acronyms


def test_names_come_for_languages_beyond_the_supported_ones():
    assert {"ko", "pl", "nl", "sv", "fa", "hi", "uk", "he", "tl"} <= set(PARTNERS["language"])
    korean = PARTNERS[(PARTNERS["language"] == "ko") & (PARTNERS["code"] == "FRA")]
    assert "프랑스" in set(korean["alias"])


def test_french_has_a_demonym_and_a_capital_for_every_state():
    french = PARTNERS[(PARTNERS["language"] == "fr") & (PARTNERS["kind"] == "state")]
    demonyms = set(french.loc[french["alias_type"] == "demonym", "code"])
    assert UN_STATES - demonyms == {"COD", "COG"}  # "congolais" names both: left out
    capitals = set(french.loc[french["alias_type"] == "capital", "code"])
    # Left out: Jerusalem (contested) and capitals written like the state (Luxembourg, Monaco...)
    same_name = set(french.loc[french["alias"].isin(CITY_STATES), "code"])
    assert UN_STATES - capitals - same_name == {"ISR", "SYC"}


CITY_STATES = ["Djibouti", "Luxembourg", "Monaco", "Panama", "Singapour", "Saint-Marin"]


@pytest.mark.parametrize("language", [*SUPPORTED, "mul"])
def test_no_alias_points_to_two_codes_within_a_language(language):
    rows = PARTNERS[PARTNERS["language"] == language]
    codes = rows.groupby(rows["alias"].map(fold_text))["code"].nunique()
    assert not codes[codes > 1].index.tolist()


DR_CONGO = [
    "DR Congo", "DRC", "D.R. Congo", "Dem. Rep. Congo", "Congo, Dem. Rep.", "Congo-Kinshasa",
    "Democratic Republic of the Congo", "Democratic Republic of Congo", "Zaire", "RDC",
    "République démocratique du Congo", "RD Congo", "Zaïre", "República Democrática del Congo",
    "Demokratische Republik Kongo", "DR Kongo", "ДР Конго", "ДРК", "刚果民主共和国",
]  # fmt: skip
CONGO_REPUBLIC = [
    "Congo-Brazzaville", "Republic of the Congo", "Congo, Rep.", "République du Congo",
    "República del Congo", "Republik Kongo", "Республика Конго",
]  # fmt: skip


@pytest.mark.parametrize(("forms", "code"), [(DR_CONGO, "COD"), (CONGO_REPUBLIC, "COG")])
def test_the_two_congos_never_mix(forms, code):
    keys = PARTNERS["alias"].map(fold_text)
    for form in forms:
        found = set(PARTNERS.loc[keys == fold_text(form), "code"])
        assert found == {code}, form


def test_spanish_eu_is_the_united_states_and_english_eu_the_union():
    eu = PARTNERS[PARTNERS["alias"] == "EU"].set_index("language")["code"]
    assert eu["es"] == "USA"
    assert eu["en"] == "EU"
    assert eu["de"] == "EU"


def test_french_maurice_is_mauritius_only_in_french():
    rows = PARTNERS[PARTNERS["alias"] == "Maurice"]
    assert set(rows["code"]) == {"MUS"}
    assert "en" not in set(rows["language"])


def test_one_character_han_abbreviations_are_only_pair_forms():
    han = PARTNERS[PARTNERS["language"].isin(["zh", "ja"]) & (PARTNERS["kind"] != "none")]
    single = han[han["alias"].str.len() == 1]
    assert {"中", "美", "米", "俄", "露", "日", "豪"} <= set(single["alias"])
    assert set(single["alias_type"]) == {"pair"}


# ---------------------------------------------------------------- traps: no partner at all

TRAPS = [
    ("en", "The senator flew from New Mexico to British Columbia last week."),
    ("en", "He grew up in Benin City and studied in New Jersey."),
    ("en", "Jordan Bardella spoke after Salvador Dalí's paintings were shown."),
    ("en", "They ordered French fries, Brussels sprouts and Turkish delight."),
    ("en", "Russian roulette and Chinese whispers are only idioms."),
    ("en", "A Native American artist and an African American poet met in Atlanta, Georgia."),
    ("en", "PLEASE LET US KNOW WHAT YOU THINK, AND FOLLOW US."),
    ("en", "The Niger Delta and the Congo River flooded again."),
    ("en", "A Great Dane ran towards the North Pole in the story."),
    ("fr", "Les montagnes russes et la roulette russe font peur aux enfants."),
    ("fr", "Le cochon d'Inde mange à la française, puis file à l'anglaise."),
    ("fr", "Maurice Ravel et Jordan Bardella au musée Salvador Dalí."),
    ("fr", "Une tête de Turc, une histoire belge et une auberge espagnole."),
    ("fr", "Les langues indo-européennes sont parlées en Colombie-Britannique."),
    ("fr", "Le Nouveau-Mexique n'est pas un pays, pas plus que Saint-Maurice."),
    ("es", "La montaña rusa y la ruleta rusa, con ensaladilla rusa."),
    ("es", "Viajó a Nuevo México y a Columbia Británica."),
    ("it", "Le montagne russe e l'insalata russa con un porcellino d'India."),
    ("it", "Un piatto di pasta e ceci alla festa del paese."),
    ("pt", "A montanha-russa e a roleta russa assustam."),
    ("de", "Er arbeitet bei der Deutsche Bank und fährt mit der Deutschen Bahn nach New Mexico."),
    ("ru", "Американские горки и русская рулетка не имеют отношения к политике."),
    ("tr", "Türk kahvesi ve Türk lokumu ikram edildi; Hint cevizi de vardı."),
    ("vi", "Pháp luật và mỹ phẩm là hai chủ đề khác nhau."),
    ("id", "Mereka makan kentang goreng Prancis di New Mexico."),
    # language names written like demonyms
    ("en", "The statement was published in French and in Chinese."),
    ("fr", "Le communiqué est rédigé en français et en allemand."),
    ("es", "El comunicado se publicó en español y en francés."),
    ("it", "Il comunicato è disponibile in italiano e in tedesco."),
    ("pt", "O comunicado foi publicado em português e em francês."),
    ("de", "Die Erklärung erschien auf Französisch und auf Russisch."),
    ("ru", "Заявление опубликовано на китайском языке."),
    ("ar", "نشر البيان باللغة الفرنسية واللغة الصينية."),
    ("zh", "声明以西班牙语和葡萄牙语发布。"),
    ("ja", "声明はスペイン語とフランス語で発表された。"),
    ("id", "Panitia membuka kelas bahasa Inggris dan bahasa Jepang."),
    ("vi", "Tài liệu được dịch sang tiếng Pháp và tiếng Nga."),
    # names that are also common words once accents are folded, or personal names
    ("ru", "Того же мнения придерживается и самое большое ведомство."),
    ("vi", "Bị cáo mặc áo dài đến Mỹ Đình xem ca sĩ Mỹ Tâm."),
    ("ar", "قال الأمير تركي الفيصل إن الحوار مهم."),
    ("ar", "أعلنت وزارة المالية عن دعم مالي جديد."),
    ("zh", "沿海地区和上海地铁的建设加快，大家吃意大利面。"),
    ("ja", "インドア派の人がフランスパンを買った。"),
    # the Americas are not the United States
    ("id", "Pameran ini berkeliling Amerika Selatan dan Amerika Tengah."),
    ("vi", "Đoàn nghệ sĩ lưu diễn ở Nam Mỹ và Bắc Mỹ."),
    ("ru", "Выставка объехала Южную Америку."),
    ("it", "La mostra ha girato l'America del Sud."),
    # company names and dishes
    ("zh", "中国银行与中国移动联合发布公告。"),
    ("ja", "中国地方の道の駅でトルコライスとアメリカンドッグを販売。"),
    ("tr", "Tesisatçı İngiliz anahtarı ile Japon balığını kurtardı."),
]


@pytest.mark.parametrize(("language", "text"), TRAPS)
def test_trap_phrases_yield_no_partner(language, text):
    assert partners_in(text, language) == []


# ---------------------------------------------------------------- real sentences per language

SENTENCES = [
    ("en", "Prime Minister Modi met the Emirati President; "
     "Indo-Pakistani ties and the UNSC came up.",
     ["ARE", "IND", "PAK", "UN"]),
    ("en", "Kazakh and Azeri ministers joined Serbs, Britons and Filipinos in Baku.",
     ["AZE", "GBR", "KAZ", "PHL", "SRB"]),
    ("en", "Kinshasa and Kigali: the DRC and Rwanda signed a deal, Congo-Brazzaville watched.",
     ["COD", "COG", "RWA"]),
    ("en", "Seoul and Pyongyang: South Korea and the DPRK met at the Sino-North Korean border.",
     ["CHN", "KOR", "PRK"]),
    ("en", "Burma, formerly so called, and Swaziland appear in old Korea, Republic of records.",
     ["KOR", "MMR", "SWZ"]),
    ("fr", "Le président algérien a reçu son "
     "homologue kazakh ; la coopération algéro-kazakhe progresse.",
     ["DZA", "KAZ"]),
    ("fr", "La RDC et le Congo-Brazzaville ont saisi le Conseil de sécurité.",
     ["COD", "COG", "UN"]),
    ("fr", "Les îles Salomon et la Guyane : le ministre salomonais était à Cayenne.",
     ["SLB"]),
    ("fr", "Le dialogue sino-indien et franco-allemand reprend, dit le ministre mauricien.",
     ["CHN", "DEU", "FRA", "IND", "MUS"]),
    ("es", "El canciller de EE.UU. visitó México; la UE y la OTAN celebraron el acuerdo.",
     ["EU", "MEX", "NATO", "USA"]),
    ("es", "Los presidentes chino y estadounidense hablaron con la RDC.", ["CHN", "COD", "USA"]),
    ("es", "EU y China firmaron un acuerdo comercial en Pekín.", ["CHN", "USA"]),
    ("es", "Diplomáticos senegaleses, marfileños y ghaneses se reunieron con la canciller danesa.",
     ["CIV", "DNK", "GHA", "SEN"]),
    ("it", "Il ministro degli Esteri italiano ha "
     "incontrato l'omologo cinese a Pechino; l'Onu plaude.",
     ["CHN", "ITA", "UN"]),
    ("it", "Gli Stati Uniti e la Nato discutono con i tedeschi e i francesi.",
     ["DEU", "FRA", "NATO", "USA"]),
    ("pt", "O presidente brasileiro recebeu o primeiro-ministro indiano; os EUA e a ONU observam.",
     ["BRA", "IND", "UN", "USA"]),
    ("pt", "Portugal e Angola reforçam a cooperação luso-angolana na União Europeia.",
     ["AGO", "EU", "PRT"]),
    ("de", "Die Bundesregierung und Indien vertiefen die Zusammenarbeit; die EU begrüßt das.",
     ["DEU", "EU", "IND"]),
    ("de", "Chinas Außenminister traf in Neu-Delhi die "
     "Vertreter Russlands und der Vereinten Nationen.",
     ["CHN", "IND", "RUS", "UN"]),
    ("ru", "Министр иностранных дел России встретился с "
     "коллегой из Индии в Нью-Дели; ООН приветствует.",
     ["IND", "RUS", "UN"]),
    ("ru", "США и КНР обсудили отношения с ЕС и НАТО.", ["CHN", "EU", "NATO", "USA"]),
    ("ru", "Литовские и латвийские дипломаты встретились с датской делегацией в Израиле.",
     ["DNK", "ISR", "LTU", "LVA"]),
    ("tr", "Türkiye'nin Dışişleri Bakanı, ABD'li mevkidaşıyla Ankara'da görüştü; AB ve BM memnun.",
     ["EU", "TUR", "UN", "USA"]),
    ("tr", "Rusya ve Çin, Suudi Arabistan ile NATO'yu konuştu.", ["CHN", "NATO", "RUS", "SAU"]),
    ("tr", "Kenyalı ve Perulu diplomatlar, Faslılarla görüştü.", ["KEN", "MAR", "PER"]),
    ("ar", "التقى الوزير الكيني بنظيره الماليزي في نيروبي.", ["KEN", "MYS"]),
    ("id", "Menteri Luar Negeri Indonesia bertemu mitranya dari "
     "Tiongkok di Jakarta; PBB dan ASEAN hadir.",
     ["ASEAN", "CHN", "IDN", "UN"]),
    ("id", "AS dan Korsel menandatangani perjanjian dengan Uni Eropa.", ["EU", "KOR", "USA"]),
    ("vi", "Việt Nam và Hoa Kỳ ký thỏa thuận; Liên Hợp Quốc và ASEAN hoan nghênh.",
     ["ASEAN", "UN", "USA", "VNM"]),
    ("vi", "Thủ tướng Nhật Bản gặp Tổng thống Hàn Quốc tại Hà Nội.", ["JPN", "KOR", "VNM"]),
    # the README's worked example: a language beyond the 13, from its own curated file
    ("pl", "Minister spraw zagranicznych Niemiec spotkał się z polskim odpowiednikiem; "
     "rozmowy polsko-niemieckie popiera UE.", ["DEU", "EU", "POL"]),
]  # fmt: skip


@pytest.mark.parametrize(("language", "text", "expected"), SENTENCES)
def test_real_sentences_find_their_partners(language, text, expected):
    assert partners_in(text, language) == expected


# Prefix stems (de, ru), Han and Kana without word boundaries (zh, ja), Arabic proclitics.
SCRIPT_SENTENCES = [
    ("de", "Die deutsch-indischen Regierungskonsultationen mit der französischen Seite.",
     ["DEU", "FRA", "IND"]),
    ("ru", "Российско-турецкие переговоры прошли с участием китайской делегации.",
     ["CHN", "RUS", "TUR"]),
    ("zh", "中俄关系处于历史最好时期，中方愿同欧盟加强合作。", ["CHN", "EU", "RUS"]),
    ("zh", "其中美国代表团也出席了联合国会议。", ["UN", "USA"]),
    ("zh", "發展中國家在聯合國發聲，美方表示支持。", ["UN", "USA"]),
    ("ja", "日豪首脳会談で、両首相は東南アジア諸国連合との協力を確認した。",
     ["ASEAN", "AUS", "JPN"]),
    ("ja", "米国務長官は訪中し、中国側と会談した。", ["CHN", "USA"]),
    ("ja", "中国地方の新しいタイムテーブル。", []),
    ("ar", "التقى وزير الخارجية السعودي بنظيره الصيني في الرياض بحضور الأمم المتحدة.",
     ["CHN", "SAU", "UN"]),
    ("ar", "وأكدت الولايات المتحدة والاتحاد الأوروبي دعمهما للجزائر.",
     ["DZA", "EU", "USA"]),
]  # fmt: skip


@pytest.mark.parametrize(("language", "text", "expected"), SCRIPT_SENTENCES)
def test_sentences_that_need_script_rules(language, text, expected):
    assert partners_in(text, language) == expected


# ---------------------------------------------------------------- English and French name forms

NAME_FORMS = [
    ("en", "Korea, Republic of", "KOR"), ("en", "Korea, Dem. People's Rep.", "PRK"),
    ("en", "Congo, Dem. Rep.", "COD"), ("en", "Congo, Rep.", "COG"), ("en", "Zaire", "COD"),
    ("en", "St. Lucia", "LCA"), ("en", "Solomon Is.", "SLB"), ("en", "Central African Rep.", "CAF"),
    ("en", "Lao PDR", "LAO"), ("en", "Kyrgyz Republic", "KGZ"), ("en", "Cabo Verde", "CPV"),
    ("en", "Burma", "MMR"), ("en", "Swaziland", "SWZ"), ("en", "Holland", "NLD"),
    ("en", "Upper Volta", "BFA"), ("en", "Persia", "IRN"), ("en", "Syrian Arab Republic", "SYR"),
    ("en", "Hellenic Republic", "GRC"), ("en", "Czechia", "CZE"),
    ("en", "Bosnia", "BIH"), ("en", "Kazakhs", "KAZ"), ("en", "Britons", "GBR"),
    ("fr", "RPDC", "PRK"), ("fr", "République de Corée", "KOR"), ("fr", "Cap-Vert", "CPV"),
    ("fr", "Saint-Siège", "VAT"), ("fr", "Centrafrique", "CAF"), ("fr", "Tchéquie", "CZE"),
    ("fr", "Zaïre", "COD"), ("fr", "Haute-Volta", "BFA"), ("fr", "Ceylan", "LKA"),
    ("fr", "Türkiye", "TUR"), ("fr", "Vietnam", "VNM"), ("fr", "Émirats", "ARE"),
    ("fr", "les autorités tadjikes", "TJK"), ("fr", "Ouagadougou", "BFA"),
    ("fr", "Nouakchott", "MRT"), ("fr", "la ministre néo-zélandaise", "NZL"),
]  # fmt: skip


@pytest.mark.parametrize(("language", "form", "code"), NAME_FORMS)
def test_name_forms_of_other_country_lists(language, form, code):
    assert partners_in(f"« {form} » : {form}.", language) == [code]


def test_francois_hollande_is_no_country():
    assert partners_in("François Hollande a reçu Jordan Bardella.", "fr") == []


# ---------------------------------------------------------------- the build


def test_partners_csv_is_the_build_of_data_raw(tmp_path):
    """``partners.csv`` is generated: a hand edit, or a curated row not rebuilt, fails here."""
    for module in ("babel", "pycountry", "countryinfo", "py3langid"):
        pytest.importorskip(module)
    build = importlib.import_module("build_partners")
    rows, _ = build.build_rows()
    build.write(rows, tmp_path / "partners.csv")
    assert (tmp_path / "partners.csv").read_bytes() == data_file("partners.csv").read_bytes()


def test_capitals_in_every_language_seat_what_the_english_capital_seats():
    brussels = PARTNERS[(PARTNERS["code"] == "BEL") & (PARTNERS["alias_type"] == "capital")]
    seats = brussels.set_index(["language", "alias"])["seat_of"]
    assert (
        seats[("de", "Brüssel")] == seats[("zh", "布鲁塞尔")] == seats[("en", "Brussels")] == "EU"
    )
