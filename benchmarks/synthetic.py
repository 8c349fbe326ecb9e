"""A seeded generator of synthetic news articles on bilateral relations, English and French.

Each article names a pair of partners (by name, demonym or capital from the bundled
lexicon), a few themes (keywords from the bundled theme lexicon), a meeting sentence,
and filler text drawn from a Zipf-distributed vocabulary of pseudo-words, so that
vectorisers see a realistic vocabulary size. Every article has a date within two years.
:func:`make_corpus` draws the pair uniformly; :func:`make_skewed_corpus` gives a few pairs
most of the articles, as real news does (India-USA, China-Russia), which is the hard case
for same-meeting grouping. Same ``seed``, same corpus.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bilat_analysis.lexicons import read_partners, read_themes

TEMPLATES = {
    "en": [
        "{a} and {b} agreed to deepen their cooperation on {t1} and {t2}.",
        "The {a}-{b} dialogue was held in {capital} on Monday.",
        "Officials from {a} discussed {t1} with their counterparts from {b}.",
        "Both sides reviewed progress on {t2} and welcomed new projects in {t1}.",
        "The delegation of {b} underlined the importance of {t3}.",
    ],
    "fr": [
        "{a} et {b} ont convenu de renforcer leur coopération en matière de {t1} et de {t2}.",
        "Le dialogue {a}-{b} s'est tenu à {capital} lundi.",
        "Les responsables de {a} ont évoqué {t1} avec leurs homologues de {b}.",
        "Les deux parties ont examiné les progrès en matière de {t2}.",
        "La délégation de {b} a souligné l'importance de {t3}.",
    ],
}
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ren",
    "tas",
    "vo",
    "pri",
    "sel",
    "dun",
    "ma",
    "ter",
    "qui",
    "zo",
    "bel",
]


def _vocabulary(rng: np.random.Generator, size: int) -> np.ndarray:
    words = set()
    while len(words) < size:
        n = rng.integers(2, 5)
        words.add("".join(rng.choice(SYLLABLES, n)))
    return np.array(sorted(words))


def make_corpus(
    n_docs: int,
    *,
    words: int = 500,
    seed: int = 0,
    french_share: float = 0.3,
    top_dyads: int = 0,
    top_share: float = 0.0,
    days: int = 730,
) -> pd.DataFrame:
    """Return ``n_docs`` synthetic articles of about ``words`` words: doc_id, text, language, date.

    With ``top_dyads`` > 0, that many pairs (fixed per seed) take ``top_share`` of the
    articles; the rest draw their pair uniformly.
    """
    rng = np.random.default_rng(seed)
    partners = read_partners()
    states = partners[
        (partners["kind"] == "state") & partners["alias_type"].isin(["name", "short"])
    ]
    names = {
        lang: states.loc[states["language"] == lang, ["alias", "code"]].to_numpy()
        for lang in ("en", "fr")
    }
    capitals = dict(
        zip(
            partners.loc[partners["alias_type"] == "capital", "code"],
            partners.loc[partners["alias_type"] == "capital", "alias"],
            strict=True,
        )
    )
    themes = read_themes()
    keywords = {
        lang: themes.loc[themes["language"] == lang, "keyword"].to_numpy() for lang in ("en", "fr")
    }
    vocabulary = _vocabulary(rng, 20_000)
    ranks = np.arange(1, len(vocabulary) + 1)
    zipf = (1 / ranks) / (1 / ranks).sum()
    filler = rng.choice(len(vocabulary), size=(n_docs, words - 60), p=zipf)
    codes = sorted(set(names["en"][:, 1]) & set(names["fr"][:, 1]))
    by_code = {lang: {code: alias for alias, code in names[lang][::-1]} for lang in ("en", "fr")}
    favourites = [tuple(rng.choice(codes, 2, replace=False)) for _ in range(top_dyads)]
    start = np.datetime64("2022-01-01")
    dates = start + rng.integers(0, days, n_docs).astype("timedelta64[D]")
    docs = []
    for i in range(n_docs):
        lang = "fr" if rng.random() < french_share else "en"
        if favourites and rng.random() < top_share:
            code_a, code_b = favourites[rng.integers(len(favourites))]
            a, b = by_code[lang][code_a], by_code[lang][code_b]
        else:
            (a, code_a), (b, _) = names[lang][rng.choice(len(names[lang]), 2, replace=False)]
        capital = capitals.get(code_a, a)
        sentences = []
        for _ in range(6):
            t1, t2, t3 = rng.choice(keywords[lang], 3)
            template = TEMPLATES[lang][rng.integers(len(TEMPLATES[lang]))]
            sentences.append(template.format(a=a, b=b, capital=capital, t1=t1, t2=t2, t3=t3))
        words_i = vocabulary[filler[i]]
        chunks = [" ".join(words_i[j : j + 14]) + "." for j in range(0, len(words_i), 14)]
        body = (
            sentences[:3] + chunks[: len(chunks) // 2] + sentences[3:] + chunks[len(chunks) // 2 :]
        )
        docs.append((f"syn{i:07d}", "\n\n".join(body), lang, dates[i]))
    return pd.DataFrame(docs, columns=["doc_id", "text", "language", "date"])


def make_skewed_corpus(n_docs: int, *, seed: int = 0, **options: object) -> pd.DataFrame:
    """Like :func:`make_corpus`, but five pairs hold 80% of the articles (as in real news)."""
    options = {"top_dyads": 5, "top_share": 0.8, **options}
    return make_corpus(n_docs, seed=seed, **options)
