import datetime as dt

import pytest

from bilat_analysis import load_corpus
from bilat_analysis.dates import find_text_date, find_text_dates, fold_digits
from bilat_analysis.lexicons import read_languages, read_months

D = dt.date

SENTENCES = [
    ("en", "The talks were held in Paris on February 10, 2023.", D(2023, 2, 10)),
    ("en", "The talks were held on 10 Feb. 2023 in Paris.", D(2023, 2, 10)),
    ("en", "Signed on 2023-02-10.", D(2023, 2, 10)),
    ("fr", "Le dialogue s'est tenu le 1er janvier 2024 à Paris.", D(2024, 1, 1)),
    ("fr", "réunion du 15 AOUT 2023", D(2023, 8, 15)),
    ("fr", "Paris, le 13/02/2023 – communiqué", D(2023, 2, 13)),
    ("es", "La reunión se celebró el 14 de abril de 2023 en Madrid.", D(2023, 4, 14)),
    ("es", "Madrid, 3 de sept. de 2023", D(2023, 9, 3)),
    ("es", "Madrid, 04/09/2023. El ministro", D(2023, 9, 4)),
    ("de", "Am 4. September 2023 trafen sich die Außenministerinnen.", D(2023, 9, 4)),
    ("de", "Berlin, 04.09.2023 – Die Außenministerin reiste", D(2023, 9, 4)),
    ("de", "Am 3. März 2024 in Berlin", D(2024, 3, 3)),
    ("it", "L'incontro si è svolto il 14 aprile 2023 a Roma.", D(2023, 4, 14)),
    ("it", "Roma, 14/04/2023", D(2023, 4, 14)),
    ("pt", "O encontro foi realizado em 14 de abril de 2023 em Brasília.", D(2023, 4, 14)),
    ("pt", "Lisboa, 5 de março de 2024", D(2024, 3, 5)),
    ("ru", "Переговоры прошли 14 сентября 2023 года в Москве.", D(2023, 9, 14)),
    ("ru", "Москва, 14.09.2023. Министр", D(2023, 9, 14)),
    ("ru", "встреча 1 мая 2024 г.", D(2024, 5, 1)),
    ("ar", "عقد الاجتماع في 14 أبريل 2023 في الرياض.", D(2023, 4, 14)),
    ("ar", "عقد الاجتماع في ١٤ إبريل ٢٠٢٣ في الرياض.", D(2023, 4, 14)),
    ("ar", "دمشق، 14 نيسان/أبريل 2023", D(2023, 4, 14)),
    ("ar", "بتاريخ 3 كانون الثاني 2024", D(2024, 1, 3)),
    ("ar", "في 14 من أبريل 2023", D(2023, 4, 14)),
    ("ar", "الجزائر في 5 جانفي 2024", D(2024, 1, 5)),
    ("ar", "طهران ۱۴/۰۴/۲۰۲۳", D(2023, 4, 14)),
    ("zh", "2023年4月14日，中法两国外长举行会谈。", D(2023, 4, 14)),
    ("zh", "二〇二三年四月十四日，两国外长举行会谈。", D(2023, 4, 14)),
    ("zh", "中法两国于2023年12月31日发表联合声明。", D(2023, 12, 31)),
    ("ja", "２０２３年４月１４日、日中外相会談が行われた。", D(2023, 4, 14)),
    ("ja", "令和5年4月14日、外相会談が行われた。", D(2023, 4, 14)),
    ("ja", "2023/4/14 東京", D(2023, 4, 14)),
    ("id", "Pertemuan itu berlangsung pada 22 Desember 2022 di Jakarta.", D(2022, 12, 22)),
    ("id", "Jakarta, Jumat (14/4/2023) - Menteri Luar Negeri", D(2023, 4, 14)),
    ("vi", "Hà Nội, ngày 14 tháng 4 năm 2023, hai bên đã hội đàm.", D(2023, 4, 14)),
    ("vi", "Ngày 14/4/2023, Bộ trưởng đã tiếp", D(2023, 4, 14)),
    ("tr", "Toplantı 14 Nisan 2023 tarihinde Ankara'da yapıldı.", D(2023, 4, 14)),
    ("tr", "Ankara, 04.09.2023 – Dışişleri Bakanı", D(2023, 9, 4)),
    ("tr", "2 Şubat 2024'te", D(2024, 2, 2)),
]


@pytest.mark.parametrize(("language", "text", "expected"), SENTENCES)
def test_a_sentence_per_language_and_form(language, text, expected):
    assert find_text_date(text, language=language) == expected


def test_every_supported_language_has_twelve_months():
    months = read_months()
    for language in read_languages()["language"]:
        assert set(months.loc[months["language"] == language, "month"]) == set(range(1, 13))


def test_genitive_and_stand_alone_forms_are_both_listed():
    names = set(read_months().query("language == 'ru'")["name"])
    assert {"сентября", "сентябрь", "мая", "май"} <= names


def test_numeric_day_month_dates_are_ignored_where_the_order_is_uncertain():
    assert find_text_date("Signed on 04.09.2023 in London.", language="en") is None
    assert find_text_date("Signed on 04.09.2023 in London.") is None
    assert find_text_date("Unterzeichnet am 04.09.2023.", language="de") == D(2023, 9, 4)


@pytest.mark.parametrize(
    "text",
    [
        "held on 14 January",
        "le 31 février 2023",
        "2023-02-30",
        "2023年2月30日",
        "30.02.2023",
        "version 1.2.2023.4",
        "14 апреля",
        "",
        "phone 12 3456 7890",
    ],
)
def test_incomplete_or_invalid_dates_give_none(text):
    assert find_text_date(text, language="de") is None
    assert find_text_dates(text, language="de") == []


def test_an_invalid_date_is_skipped_for_the_next_one():
    assert find_text_date("le 31 février 2023, puis le 2 mars 2023", language="fr") == D(2023, 3, 2)


def test_the_dateline_wins_over_an_earlier_date_in_the_body():
    text = (
        "Foreign ministers meet\n"
        "NEW DELHI, 14 April 2023 – Recalling the agreement of 10 March 2015, the ministers met."
    )
    assert find_text_date(text, language="en") == D(2023, 4, 14)
    body_first = (
        "After the accord signed on 10 March 2015 and a long pause in the relationship, the two "
        "ministers of foreign affairs met again today to review everything.\n"
        "Paris, 14 April 2023"
    )
    assert find_text_date(body_first, language="en") == D(2023, 4, 14)  # the sign-off
    unsigned = body_first.replace("Paris, 14 April 2023", "Paris, with thanks to all")
    assert find_text_date(unsigned, language="en") == D(2015, 3, 10)  # else the first date


def test_the_lead_date_wins_over_a_later_date_in_the_body():
    text = (
        "The two foreign ministers met in Paris on 5 October 2023 and reviewed the roadmap, "
        "the defence projects and the joint work on climate that they began long ago.\n\n"
        "They will meet again on 12 March 2024 in New Delhi, the spokesperson added."
    )
    assert find_text_date(text, language="en") == D(2023, 10, 5)


def test_the_document_language_picks_the_month_names():
    # "ago" is August in Italian; in a German document it means nothing
    assert find_text_date("il 5 ago 2024", language="it") == D(2024, 8, 5)
    assert find_text_date("il 5 ago 2024", language="de") is None
    # without a language every language's month names are read
    assert find_text_date("il 5 ago 2024") == D(2024, 8, 5)
    # English names are read in every language
    assert find_text_date("am 5 March 2024", language="de") == D(2024, 3, 5)


def test_offsets_point_into_the_original_text():
    text = "في ١٤ أبريل ٢٠٢٣ عقد"
    (found,) = find_text_dates(text, language="ar")
    assert text[found.start : found.end] == "١٤ أبريل ٢٠٢٣"
    assert len(fold_digits(text)) == len(text)


def test_the_seeds_dates_are_unchanged():
    corpus = load_corpus()
    assert corpus["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2025-01-21",
        "2025-01-21",
        "2023-10-05",
        "2023-12-19",
        "2023-02-10",
    ]
    assert corpus["date_source"].tolist() == ["header", "header", "text", "header", "text"]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "The summit, held on 9-10 October 2023, ended."),
        ("en", "Talks on October 9 and 10, 2023 in Paris."),
        ("fr", "Réunis les 9 et 10 octobre 2023 à Hambourg"),
        ("es", "celebrada los días 9 y 10 de octubre de 2023"),
        ("de", "vom 9. bis 10. Oktober 2023 in Berlin"),
        ("ru", "с 9 по 10 октября 2023 года"),
        ("vi", "diễn ra trong hai ngày 9 và 10 tháng 10 năm 2023"),
        ("tr", "9-10 Ekim 2023 tarihlerinde"),
        ("zh", "2023年10月9日至10日"),
        ("ja", "2023年10月9～10日"),
    ],
)
def test_a_range_of_days_gives_its_first_day(language, text):
    assert find_text_date(text, language=language) == D(2023, 10, 9)


def test_a_language_tag_is_read_by_its_language_code():
    for tag in ("de-DE", "DE", "de_AT"):
        assert find_text_date("Berlin, 04.09.2023", language=tag) == D(2023, 9, 4)
    assert find_text_date("Berlin, 04.09.2023", language=float("nan")) is None  # missing
    assert find_text_date("on the 5th of May 2023", language="en") == D(2023, 5, 5)


@pytest.mark.parametrize(
    ("language", "text"),
    [("es", "el 1.º de mayo de 2023"), ("pt", "em 1º de maio de 2023"), ("fr", "le 1er mai 2023")],
)
def test_ordinal_first_days(language, text):
    assert find_text_date(text, language=language) == D(2023, 5, 1)


def test_every_cldr_date_format_with_a_four_digit_year_is_read():
    babel_dates = pytest.importorskip("babel.dates")
    for language in read_languages()["language"]:
        for day in (D(2023, 4, 14), D(2024, 12, 1), D(2022, 9, 30), D(2025, 2, 5)):
            for width in ("full", "long", "medium", "short"):
                written = babel_dates.format_date(day, format=width, locale=language)
                found = find_text_date(f"Texte. {written} - suite", language=language)
                # a two-digit year ("14.04.23") is too ambiguous to read
                assert found == (day if str(day.year) in written else None), (language, written)


def _needs_date_char(items) -> bool:
    """Whether every match of parsed regex ``items`` holds a decimal digit or 年."""
    import re

    c = re._constants
    for op, av in items:
        if op is c.LITERAL and (chr(av) == "年" or chr(av).isdecimal()):
            return True
        if op is c.IN and all(
            (kind is c.CATEGORY and value is c.CATEGORY_DIGIT)
            or (kind is c.LITERAL and chr(value).isdecimal())
            or (kind is c.RANGE and all(chr(v).isdecimal() for v in range(value[0], value[1] + 1)))
            for kind, value in av
        ):
            return True
        if op is c.BRANCH and all(_needs_date_char(branch) for branch in av[1]):
            return True
        if op is c.SUBPATTERN and _needs_date_char(av[3]):
            return True
        if op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] >= 1 and _needs_date_char(av[2]):
            return True
    return False


def test_no_date_is_read_from_a_text_without_digits_or_nian():
    import re

    from bilat_analysis import dates

    # the shortcut of find_text_date holds because every pattern needs such a character
    for language in [None, *read_languages()["language"]]:
        for pattern in dates._patterns(language):
            assert _needs_date_char(re._parser.parse(pattern.pattern)), (language, pattern)
    assert not _needs_date_char(re._parser.parse(r"(?:\d|x)y"))  # the check can fail
    # folding never turns another character into one
    table = dates._fold_table()
    assert not [c for c, v in table.items() if dates._DATE_CHAR.search(v)
                and not dates._DATE_CHAR.search(chr(c))]
    assert find_text_date("Talks in Paris on the tenth of February.", language="en") is None
    han = "二〇二三年四月十四日，两国外长举行会谈。"
    assert find_text_date(han, language="zh") == D(2023, 4, 14)
    assert find_text_date("Signed on ٢٠٢٣-٠٢-١٠.", language="ar") == D(2023, 2, 10)
