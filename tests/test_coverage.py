import functools
import warnings

import pandas as pd
import pytest

from bilat_analysis import lexicons
from bilat_analysis.corpus import CorpusWarning
from bilat_analysis.lexicons import language_coverage, read_languages, warn_language_coverage


def test_english_and_french_are_fully_understood():
    coverage = language_coverage(["en", "fr"]).set_index("language")
    assert coverage["full"].all()
    assert (coverage["n_states"] >= 190).all()
    assert (coverage["n_themes"] == 17).all()
    assert coverage["name"].tolist() == ["English", "French"]


def test_every_supported_language_has_dates_and_an_unknown_one_nothing():
    coverage = language_coverage()
    assert coverage["language"].tolist() == read_languages()["language"].tolist()
    assert coverage["dates"].all()
    unknown = language_coverage(["xx"]).iloc[0]
    assert not unknown[["supported", "names", "dates", "themes", "officials", "full"]].any()
    assert unknown[["n_months", "n_themes", "n_titles"]].tolist() == [0, 0, 0]
    assert unknown["n_states"] < 10  # only language-neutral aliases ("mul")


def test_officials_need_titles_in_a_script_with_capitals():
    coverage = language_coverage(["de", "ru", "zh"]).set_index("language")
    assert coverage.loc["de", "officials"] and coverage.loc["ru", "officials"]
    assert not coverage.loc["zh", "officials"]


def test_coverage_is_computed_from_the_files(monkeypatch):
    themes = lexicons.read_themes()
    monkeypatch.setattr(
        lexicons,
        "read_themes",
        lambda: themes[~((themes["language"] == "fr") & (themes["theme"] == "space"))],
    )
    # a fresh cache: the coverage is computed once per process from the bundled files
    monkeypatch.setattr(lexicons, "_coverage", functools.cache(lexicons._coverage.__wrapped__))
    coverage = language_coverage(["en", "fr"]).set_index("language")
    assert coverage.loc["fr", "n_themes"] == 16
    assert not coverage.loc["fr", "themes"] and not coverage.loc["fr", "full"]
    assert coverage.loc["en", "full"]


def test_one_warning_per_language_without_full_support_with_its_documents():
    corpus = pd.DataFrame({"language": ["en", "xx", "xx", "xx", "yy", None]})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = warn_language_coverage(corpus)
    messages = [str(w.message) for w in caught if issubclass(w.category, CorpusWarning)]
    assert len(messages) == 3
    assert messages[0].startswith("3 documents in 'xx' (language not supported: no names, dates")
    assert messages[1].startswith("1 document in 'yy'")
    assert messages[2] == "1 document without an identified language (no letters?)"
    assert table[["language", "documents"]].to_numpy().tolist() == [["xx", 3], ["en", 1], ["yy", 1]]


def test_a_fully_understood_corpus_gives_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = warn_language_coverage(pd.DataFrame({"language": ["en", "fr", "fr"]}))
    assert table["full"].all()
    empty = warn_language_coverage(pd.DataFrame({"language": pd.Series([], dtype="string")}))
    assert empty.empty


def test_a_corpus_without_a_language_column_is_an_error():
    with pytest.raises(ValueError, match="'language' column"):
        warn_language_coverage(pd.DataFrame({"text": ["x"]}))


def test_phrases_that_are_no_theme_do_not_count(monkeypatch):
    themes = lexicons.read_themes()
    extra = pd.DataFrame([{"keyword": "durable", "theme": "", "language": "en", "case": "any"}])
    monkeypatch.setattr(lexicons, "read_themes", lambda: pd.concat([themes, extra]))
    coverage = language_coverage(["en", "fr"]).set_index("language")
    assert coverage["n_themes"].tolist() == [17, 17]
    assert coverage["themes"].all()
