"""The theme lexicon's general vocabulary, on new sentences in each language."""

from __future__ import annotations

import pandas as pd
import pytest

from bilat_analysis.tagging import tag_themes


def themes_in(text: str, language: str) -> set[str]:
    """Themes counted in one document (keywords inside a job title left out)."""
    corpus = pd.DataFrame({"doc_id": ["d"], "text": [text], "language": [language]})
    found = tag_themes(corpus)
    return set(found.loc[~found["in_title"], "theme"])


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "Both sides agreed to cut tariffs and set up joint ventures.", {"trade_investment"}),
        ("fr", "Les deux pays veulent réduire les droits de douane.", {"trade_investment"}),
        ("de", "Die Zölle auf Stahl sollen sinken.", {"trade_investment"}),
        ("tr", "Gümrük işlemleri kolaylaştırılacak.", {"trade_investment"}),
        ("en", "The wheat harvest and fertilizer supplies were discussed.", {"agriculture"}),
        ("es", "La cosecha de trigo y el riego preocupan a los productores.", {"agriculture"}),
        ("ru", "Урожай пшеницы в этом году вырос.", {"agriculture"}),
        ("zh", "双方讨论了小麦和玉米的收成。", {"agriculture"}),
        ("it", "Il nuovo gasdotto e la raffineria saranno finanziati.", {"energy"}),
        ("id", "Pembangkit listrik tenaga batu bara akan ditutup.", {"energy"}),
        ("ja", "洋上風力と石炭火力について協議した。", {"energy"}),
        ("pt", "A zona econômica exclusiva foi patrulhada.", {"maritime_security"}),
        ("vi", "Hai bên bàn về vùng đặc quyền kinh tế.", {"maritime_security"}),
        ("ar", "افتتح الوزيران مهرجان السينما في المتحف الوطني.", {"education_culture"}),
        ("tr", "Sergi ve konserler festival boyunca sürecek.", {"education_culture"}),
    ],
)
def test_general_vocabulary_finds_the_theme(language: str, text: str, expected: set[str]) -> None:
    assert themes_in(text, language) == expected


@pytest.mark.parametrize(
    ("language", "text"),
    [
        # words left out on purpose: another common sense in news
        ("fr", "Les ministres ont eu des échanges de vues sur le théâtre des opérations."),
        ("es", "El equipo ha ganado el partido en el teatro municipal."),
        ("en", "The remarks could fuel tensions, the spokesman said."),
        ("ar", "اجتمع وزراء جامعة الدول العربية."),
        ("vi", "Ông Ngô Văn Hùng phát biểu tại buổi lễ."),
        # rice is a staple of aid and price stories, not a farming theme
        ("id", "Harga beras naik di pasar kota."),
    ],
)
def test_words_with_another_sense_find_no_theme(language: str, text: str) -> None:
    assert themes_in(text, language) == set()
