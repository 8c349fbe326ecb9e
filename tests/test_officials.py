import random
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from bilat_analysis import load_corpus
from bilat_analysis.dyads import _annotation_job, annotate_documents
from bilat_analysis.officials import (
    _WORD_TOKEN,
    NO_TITLE,
    _lexicons,
    _stray_word_characters,
    _title_tokens,
    _vocabulary,
    name_key,
    tag_officials,
    title_screen,
)
from bilat_analysis.tagging import _tag_document, _word_char, fold_text

DATA = Path(__file__).parent / "data"
TEXTS: list[str] = []  # every text the tests of this module read: the title screen is run on them


def per_document(found: pd.DataFrame, corpus: pd.DataFrame) -> list[dict[str, int]]:
    """tag_officials' mentions counted per document, sorted by count then name."""
    counts = {doc_id: Counter() for doc_id in corpus["doc_id"]}
    for doc_id, official in zip(found["doc_id"], found["official"], strict=True):
        counts[doc_id][official] += 1
    return [dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))) for c in counts.values()]


def tagged(corpus: pd.DataFrame, **options) -> pd.DataFrame:
    """tag_officials, checked against the officials column of annotate_documents."""
    TEXTS.extend(corpus["text"])
    found = tag_officials(corpus, **options)
    annotated = annotate_documents(corpus, **options)
    assert annotated["officials"].tolist() == per_document(found, corpus)
    return found


def officials(*texts):
    corpus = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": list(texts)})
    return tagged(corpus)


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
        assert tagged(corpus)["official"].tolist() == ["Vikram Misri", "Phan Van Giang"]
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
    found = tagged(corpus, partners=partners)
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


# --------------------------------------------------------------------------- annotate_documents


def corpora() -> dict[str, pd.DataFrame]:
    return {
        "seeds": load_corpus(),
        "eval": load_corpus(DATA / "eval"),
        "eval_heldout": load_corpus(DATA / "eval_heldout"),
    }


@pytest.fixture(scope="module")
def loaded():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # coverage warnings of the eval languages
        return corpora()


@pytest.mark.parametrize("name", ["seeds", "eval", "eval_heldout"])
def test_annotation_counts_the_officials_tag_officials_finds(loaded, name):
    corpus = loaded[name]
    found = tagged(corpus)
    assert annotate_documents(corpus, n_jobs=2)["officials"].tolist() == per_document(found, corpus)
    assert name == "eval_heldout" or len(found) > 10


def test_annotation_names_the_officials_read_by_hand(loaded):
    truth = pd.read_csv(DATA / "officials_truth.csv", comment="#")
    annotated = annotate_documents(loaded["seeds"])
    got = {
        (doc_id, official)
        for doc_id, counts in zip(annotated["doc_id"], annotated["officials"], strict=True)
        for official in counts
    }
    assert got == set(zip(truth["doc_id"], truth["official"], strict=True))


# --------------------------------------------------------------------------- the title screen


def has_title_word(text: str, language: object) -> bool:
    """The first pass's own test: does a token of the text hold a title word."""
    vocabulary = _vocabulary(language if isinstance(language, str) else None)
    return _title_tokens(_WORD_TOKEN.findall(text), vocabulary)


def random_texts(n: int, seed: int = 0) -> list[str]:
    """Title words glued to digits, apostrophes, hyphens, marks and other scripts."""
    titles = _lexicons().titles
    words = sorted(titles["word"] | titles["prefix"] | titles["suffix"])
    words += ["Außenministerin", "Bundeskanzler", "l'ambassadrice", "lʼambassadrice", "г-жа"]
    words += ["Secretary-General", "M.", "Mr", "министром", "Cumhurbaşkanı", "İstanbul", "ﬁnal"]
    glue = list("0123456789_'’ʼ-‐–.,;: \n\u00a0\u00ad\u200d\u0301\u0308")
    glue += [*"٣३３²½Ⅻ𝟑𝐌Ｍ中年アبلЖжΩéÉßİıǅﬁ", "\U00020000", "\u3000"]
    letters = list("abcdefghijklmnopqrstuvwxyzABCMNPSäöüçñ") + list("абвгдмпсАМПС")
    rng = random.Random(seed)
    texts = []
    for _ in range(n):
        pieces = []
        for _ in range(rng.randint(1, 10)):
            kind = rng.random()
            if kind < 0.4:
                word = rng.choice(words)
                pieces.append(rng.choice([word, word.upper(), word.title(), word.capitalize()]))
            elif kind < 0.8:
                pieces.append("".join(rng.choices(glue, k=rng.randint(1, 3))))
            else:
                pieces.append("".join(rng.choices(letters, k=rng.randint(1, 4))))
        texts.append("".join(pieces))
    return texts


def screened_out(job, texts: list[str], languages: list[object]) -> list[str]:
    """The texts holding a title word that the screen of annotate_documents would skip."""
    missed = []
    for text, language in zip(texts, languages, strict=True):
        groups, _, (folded, _) = _tag_document(job.matchers, 1, text, language)
        screened = title_screen(text, folded, bool(groups[3]), bool(groups[4]))
        assert screened == title_screen(text, folded, bool(groups[3]))  # the endings searched
        if screened == NO_TITLE and has_title_word(text, language):
            missed.append(text)
    return missed


def test_the_title_screen_lets_every_document_with_a_title_word_through(loaded):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from synthetic import make_corpus

    job = _annotation_job(None, None, count_capitals=False)
    frames = [*loaded.values(), make_corpus(10_000, seed=0)]
    checked, titled = 0, 0
    for frame in frames:
        texts, languages = frame["text"].tolist(), frame["language"].tolist()
        assert screened_out(job, texts, languages) == []
        checked += len(texts)
        titled += sum(has_title_word(t, lang) for t, lang in zip(texts, languages, strict=True))
    texts = random_texts(4000)
    for language in ("en", "de", "ru", "fr", "ja", None):
        assert screened_out(job, texts, [language] * len(texts)) == []
    titled += sum(has_title_word(t, "de") for t in texts)
    fixtures = list(dict.fromkeys(TEXTS))  # those of the tests above, run first
    assert screened_out(job, fixtures, [None] * len(fixtures)) == []
    assert checked > 10_000 and titled > 1000  # the random texts do hold title words


def test_the_screen_sees_a_title_word_glued_to_a_digit():
    job = _annotation_job(None, None, count_capitals=False)
    for text in ("3minister", "٣ministre", "10 m.", "2Außenministerin", "3l'ambassadrice"):
        assert has_title_word(text, "en")
        assert screened_out(job, [text], ["en"]) == []


def test_the_automaton_and_the_tokens_see_the_same_word_edges():
    # the screen's fallbacks rest on two facts about the folding, checked over every code point:
    # no character outside tokens folds to a word character but those listed ...
    kept = re.compile(r"[\w’'\-]")
    strays = [
        chr(code)
        for code in range(sys.maxunicode + 1)
        if not 0xD800 <= code < 0xE000
        and not kept.match(chr(code))
        and _word_char(fold_text(chr(code)))
    ]
    assert strays == _stray_word_characters()
    # ... and a decimal digit folds to a decimal digit or to no word character
    digits = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Nd"]
    assert all(re.fullmatch(r"\d", fold_text(d)) or not _word_char(fold_text(d)) for d in digits)


def test_the_digit_table_flags_exactly_the_decimal_digits_of_every_code_point():
    # title_screen skips texts with no digit through this table; built by one regex scan
    from bilat_analysis.officials import _decimal_digits, _has_digit

    table = _decimal_digits()
    assert len(table) == sys.maxunicode + 1
    assert table.nonzero()[0].tolist() == [
        code for code in range(sys.maxunicode + 1) if chr(code).isdecimal()
    ]
    assert _has_digit("قمة ٢٠٢٤") and _has_digit("会談 ２０２４")
    assert not _has_digit("Réunion à Paris")
