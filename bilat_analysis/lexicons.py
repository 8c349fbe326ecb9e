"""Read the lexicons: CSV files in long format, one entry per row.

The package's own files live in ``bilat_analysis/data/``; every reader also takes
the path of a user's file with the same columns, so adding a month name, a
boilerplate pattern, a partner alias or a theme keyword is an edit of a data file.
"""

from __future__ import annotations

import warnings
from functools import cache
from pathlib import Path

import pandas as pd

from bilat_analysis.paths import data_file

MONTH_COLUMNS = ("language", "month", "name")
BOILERPLATE_COLUMNS = ("language", "pattern", "description")
PARTNER_COLUMNS = ("alias", "code", "kind", "alias_type", "language", "case", "seat_of")
THEME_COLUMNS = ("keyword", "theme", "language", "case")
TITLE_WORD_COLUMNS = ("word", "language")
FORMAT_COLUMNS = ("keyword", "format", "language", "case")
STOP_WORD_COLUMNS = ("word", "language")

#: Allowed values of the lexicons' categorical columns.
#: ``none``: a phrase that holds an alias but names no partner ("Deutsche Bank", "cochon d'Inde");
#: the longest match takes it and no mention is reported.
PARTNER_KINDS = ("state", "bloc", "organisation", "region", "none")
ALIAS_TYPES = ("name", "short", "demonym", "capital", "acronym", "institution", "pair")
CASE_RULES = ("exact", "title", "any")
#: ``word``: a whole word; ``prefix``: starts at a word boundary, may go on ("российск").
MATCH_MODES = ("word", "prefix")
TITLE_WORD_KINDS = ("title", "connector", "conjunction", "counterpart")


def read_lexicon(path: str | Path, columns: tuple[str, ...]) -> pd.DataFrame:
    """Read a lexicon CSV and check that it has the columns a reader needs.

    Parameters
    ----------
    path : str or pathlib.Path
        The CSV file (UTF-8, header row).
    columns : tuple of str
        Columns that must be present.

    Returns
    -------
    pandas.DataFrame
        The rows, blank lines and ``#`` comment lines left out.

    Raises
    ------
    ValueError
        When the file lacks a required column; the message names the file and
        the columns it has.

    Examples
    --------
    >>> read_lexicon(data_file("months.csv"), MONTH_COLUMNS).columns.tolist()
    ['language', 'month', 'name']
    """
    table = pd.read_csv(path, comment="#", skip_blank_lines=True, dtype=str, keep_default_na=False)
    missing = [c for c in columns if c not in table.columns]
    if missing:
        have = ", ".join(repr(c) for c in table.columns)
        raise ValueError(f"{path}: lexicon lacks column(s) {missing}; it has: {have}")
    return table


@cache
def _bundled(name: str, columns: tuple[str, ...]) -> pd.DataFrame:
    return read_lexicon(data_file(name), columns)


def _table(name: str, columns: tuple[str, ...], path: str | Path | None) -> pd.DataFrame:
    """Return the bundled file ``name`` (a copy of the cached table), or the user's ``path``."""
    return _bundled(name, columns).copy() if path is None else read_lexicon(path, columns)


def read_months(path: str | Path | None = None) -> pd.DataFrame:
    """Month names by language, used to find dates written in the text.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A user's CSV with columns ``language, month, name``; default the bundled
        English and French names (with abbreviations and unaccented spellings).

    Returns
    -------
    pandas.DataFrame
        Columns ``language``, ``month`` (int 1-12), ``name``.

    Examples
    --------
    >>> months = read_months()
    >>> int(months.loc[months["name"] == "octobre", "month"].iloc[0])
    10
    """
    table = _table("months.csv", MONTH_COLUMNS, path)
    return table.assign(month=table["month"].astype(int))


def read_boilerplate(path: str | Path | None = None) -> pd.DataFrame:
    """Patterns of web-page furniture ("Similar Posts", language switchers, ...).

    Each ``pattern`` is a regular expression matched case-insensitively against a
    whole paragraph (of at most 200 characters).

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A user's CSV with columns ``language, pattern, description``.

    Returns
    -------
    pandas.DataFrame
        One pattern per row.

    Examples
    --------
    >>> "similar posts" in read_boilerplate()["pattern"].tolist()
    True
    """
    return _table("boilerplate.csv", BOILERPLATE_COLUMNS, path)


def _check_values(table: pd.DataFrame, column: str, valid: tuple[str, ...], path: object) -> None:
    bad = sorted(set(table[column].tolist()) - set(valid))  # a list: far quicker to read
    if bad:
        choices = ", ".join(repr(v) for v in valid)
        raise ValueError(f"{path}: column {column!r} has {bad}; valid values: {choices}")


def read_partners(path: str | Path | None = None) -> pd.DataFrame:
    """Partner aliases: states, blocs, organisations and regions, by language.

    Built by ``data-raw/build_partners.py`` from ISO 3166 and CLDR names plus a curated
    file. One row per alias: ``alias``, ``code`` (ISO 3166-1 alpha-3 for states, an
    upper-case acronym for blocs and organisations, an upper-case name for regions),
    ``kind`` (state, bloc, organisation, region; ``none`` for a phrase that names no
    partner, "Deutsche Bank"), ``alias_type`` (name, short, demonym, capital,
    acronym, institution; ``pair`` for a form only found in pairs, "sino", 中 in
    中俄), ``language`` (ISO 639-1, or ``mul`` for every language), ``case`` (exact:
    letter for letter; title: first letter upper-case; any), ``seat_of`` (for a
    capital, the blocs or organisations seated there, ``|``-separated) and the
    optional ``match`` (``word``, the default, or ``prefix`` for a stem:
    "российск" for "российско-турецкие").

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A user's CSV with the same columns (``case`` and ``seat_of`` may be left empty).

    Returns
    -------
    pandas.DataFrame
        The aliases.

    Raises
    ------
    ValueError
        For a missing column or a value outside the allowed ones.

    Examples
    --------
    >>> partners = read_partners()
    >>> sorted(set(partners.loc[partners["alias"] == "Inde", "code"]))
    ['IND']
    """
    table = _table("partners.csv", PARTNER_COLUMNS, path)
    return prepare_lexicon("partners", table, data_file("partners.csv") if path is None else path)


def default_case(alias_type: str, language: str) -> str:
    """Return the case rule an alias gets when its lexicon row leaves ``case`` empty.

    Acronyms match letter for letter ("UN", not French "un"; "US", not "us"); demonyms
    are adjectives written in lower case in every language but English ("la
    délégation indienne", "die indische Seite", "российская сторона"); other aliases
    need an upper-case first letter ("Turkey", not "turkey"), a rule that scripts
    without case pass (see :class:`bilat_analysis.tagging.Matcher`).

    Parameters
    ----------
    alias_type : str
        name, short, demonym, capital, acronym, institution or pair.
    language : str
        The alias's language.

    Returns
    -------
    str
        ``"exact"``, ``"title"`` or ``"any"``.

    Examples
    --------
    >>> default_case("acronym", "en"), default_case("demonym", "fr"), default_case("name", "en")
    ('exact', 'any', 'title')
    """
    if alias_type == "acronym":
        return "exact"
    if alias_type in ("demonym", "pair") and language != "en":
        return "any"
    return "title"


def prepare_lexicon(kind: str, table: pd.DataFrame, source: object) -> pd.DataFrame:
    """Fill empty case rules and match modes, and check a lexicon table (partners, themes, formats).

    Partners get the default case of their alias type (:func:`default_case`) and are
    checked for ``kind``, ``alias_type`` and ``case``; keyword lexicons get ``any``.
    The optional ``match`` column (``word`` or ``prefix``, see
    :class:`bilat_analysis.tagging.Matcher`) is added when missing and filled with
    ``word`` where empty.

    Parameters
    ----------
    kind : str
        ``"partners"``, or the name of a keyword lexicon (themes, formats).
    table : pandas.DataFrame
        The rows (``case`` and ``match`` columns may be missing or empty).
    source : object
        Where the table came from, named in error messages.

    Returns
    -------
    pandas.DataFrame
        A copy with every ``case`` and ``match`` filled.

    Raises
    ------
    ValueError
        For a value outside the allowed ones; the message lists them.

    Examples
    --------
    >>> row = {"alias": "UN", "code": "UN", "kind": "organisation", "alias_type": "acronym",
    ...        "language": "en"}
    >>> prepare_lexicon("partners", pd.DataFrame([row]), "example")[["case", "match"]].values
    array([['exact', 'word']], dtype=object)
    """
    # read as lists: iterating an Arrow-backed column is a Python call per value
    cases = table["case"].fillna("").tolist() if "case" in table.columns else [""] * len(table)
    modes = table["match"].fillna("").tolist() if "match" in table.columns else [""] * len(table)
    table = table.assign(match=[m.strip() or "word" for m in modes])
    if kind == "partners":
        types, languages = table["alias_type"].tolist(), table["language"].tolist()
        filled = [
            c or default_case(t, lang) for c, t, lang in zip(cases, types, languages, strict=True)
        ]
        table = table.assign(case=filled)
        _check_values(table, "kind", PARTNER_KINDS, source)
        _check_values(table, "alias_type", ALIAS_TYPES, source)
    else:
        table = table.assign(case=[c or "any" for c in cases])
    _check_values(table, "case", CASE_RULES, source)
    _check_values(table, "match", MATCH_MODES, source)
    return table


def _keyword_lexicon(name: str, columns: tuple[str, ...], path: str | Path | None) -> pd.DataFrame:
    table = _table(name, columns, path)
    return prepare_lexicon("keywords", table, data_file(name) if path is None else path)


def read_themes(path: str | Path | None = None) -> pd.DataFrame:
    """Theme keywords and phrases in the supported languages, one per row.

    Columns ``keyword``, ``theme`` (an id such as ``maritime_security``; empty for a
    phrase that is no theme, "security environment"), ``language``, ``case``
    (``any`` unless the keyword is an acronym) and ``match`` (``word`` or ``prefix``).

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A user's CSV with the same columns (``case`` may be left empty: ``any``).

    Returns
    -------
    pandas.DataFrame
        The keywords.

    Examples
    --------
    >>> themes = read_themes()
    >>> themes.loc[themes["keyword"] == "civil nuclear energy", "theme"].tolist()
    ['nuclear_energy']
    """
    return _keyword_lexicon("themes.csv", THEME_COLUMNS, path)


def read_formats(path: str | Path | None = None) -> pd.DataFrame:
    """Meeting formats (dialogue mechanisms): foreign office consultations, summit, 2+2, ...

    Columns ``keyword``, ``format``, ``language`` and ``case``, like the theme lexicon.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A user's CSV with the same columns.

    Returns
    -------
    pandas.DataFrame
        The keywords.

    Examples
    --------
    >>> formats = read_formats()
    >>> formats.loc[formats["keyword"] == "sommet", "format"].tolist()
    ['summit']
    """
    return _keyword_lexicon("meeting_formats.csv", FORMAT_COLUMNS, path)


def read_stop_words(path: str | Path | None = None) -> pd.DataFrame:
    """Stop words added to the maintained lists for topic modelling (``action`` "keep": never one).

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A user's CSV with columns ``word, language``.

    Returns
    -------
    pandas.DataFrame
        One word per row.

    Examples
    --------
    >>> "said" in read_stop_words()["word"].tolist()
    True
    """
    return _table("stop_words.csv", STOP_WORD_COLUMNS, path)


def read_title_words(path: str | Path | None = None) -> pd.DataFrame:
    """Words that open or close a job title or an institution's name (minister, directrice, ...).

    Columns ``word``, ``language``, ``kind`` (``title``, ``connector``,
    ``conjunction`` or ``counterpart``; default ``title``) and ``match`` (``word`` or ``prefix``;
    default ``word``). See :func:`bilat_analysis.tagging.in_title_context`.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A user's CSV with columns ``word, language`` (``kind`` and ``match`` optional).

    Returns
    -------
    pandas.DataFrame
        One word per row.

    Raises
    ------
    ValueError
        For a ``kind`` or ``match`` value outside the allowed ones.

    Examples
    --------
    >>> words = read_title_words()
    >>> "directrice" in words["word"].tolist()
    True
    >>> sorted(set(words["kind"]))
    ['conjunction', 'connector', 'counterpart', 'title']
    """
    table = _table("title_words.csv", TITLE_WORD_COLUMNS, path)
    source = data_file("title_words.csv") if path is None else path
    for column, default, valid in (
        ("kind", "title", TITLE_WORD_KINDS),
        ("match", "word", MATCH_MODES),
    ):
        values = table[column].fillna("").tolist() if column in table.columns else [""] * len(table)
        table = table.assign(**{column: [v.strip() or default for v in values]})
        _check_values(table, column, valid, source)
    return table


def read_official_titles(path: str | Path | None = None) -> pd.DataFrame:
    """Title words that stand next to an official's name (minister, secretary, Ms., ambassadrice).

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A user's CSV with columns ``word, language, kind`` (kind: office, rank, courtesy).

    Returns
    -------
    pandas.DataFrame
        One word per row.

    Examples
    --------
    >>> "ambassadrice" in read_official_titles()["word"].tolist()
    True
    """
    return _table("official_titles.csv", ("word", "language", "kind"), path)


def read_not_names(path: str | Path | None = None) -> pd.DataFrame:
    """Capitalised words that are never part of a person's name ("The", "Ministry", ...).

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A user's CSV with a column ``word``.

    Returns
    -------
    pandas.DataFrame
        One word per row.

    Examples
    --------
    >>> "Ministry" in read_not_names()["word"].tolist()
    True
    """
    return _table("not_names.csv", ("word",), path)


def read_languages(path: str | Path | None = None) -> pd.DataFrame:
    """Read the fully supported languages: ISO 639-1 code and English name.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A user's CSV with columns ``language, name``.

    Returns
    -------
    pandas.DataFrame
        One language per row, in the file's order.

    Examples
    --------
    >>> read_languages()["language"].tolist()[:3]
    ['en', 'fr', 'es']
    """
    return _table("languages.csv", ("language", "name"), path)


#: Orders of numeric dates in ``data/date_orders.csv``.
DATE_ORDERS = ("dmy", "mdy", "ymd")


def read_date_orders(path: str | Path | None = None) -> pd.DataFrame:
    """Return the order of numeric dates ("04.09.2023") in each language where it is certain.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A user's CSV with columns ``language, order`` (order: dmy, mdy or ymd).

    Returns
    -------
    pandas.DataFrame
        One language per row.

    Raises
    ------
    ValueError
        For an order outside dmy, mdy, ymd.

    Examples
    --------
    >>> orders = read_date_orders()
    >>> orders.loc[orders["language"] == "de", "order"].tolist(), "en" in set(orders["language"])
    (['dmy'], False)
    """
    table = _table("date_orders.csv", ("language", "order"), path)
    _check_values(table, "order", DATE_ORDERS, path or "date_orders.csv")
    return table


# --------------------------------------------------------------------------- coverage

#: What the package understands in a language, as columns of :func:`language_coverage`.
CAPABILITIES = ("names", "dates", "themes", "officials")
#: Share of the states a language's partner aliases must name for ``names`` to hold.
NAMES_MIN_SHARE = 0.9


def language_coverage(languages: list[str] | None = None) -> pd.DataFrame:
    """Tell, from the lexicon files themselves, what the package understands in each language.

    Nothing is declared: each capability is computed from the bundled data files.

    - ``names``: the language's partner aliases (plus the language-neutral ``mul`` ones)
      name at least 90% of the states that ``partners.csv`` names in English;
    - ``dates``: ``months.csv`` names all twelve months in the language;
    - ``themes``: ``themes.csv`` has a keyword in the language for every theme it has
      in English;
    - ``officials``: ``official_titles.csv`` has office titles in the language, written
      in a script with capital letters (names are found by their capitals: none are
      found in Arabic, Chinese or Japanese text).

    Parameters
    ----------
    languages : list of str, optional
        ISO 639-1 codes; default the supported languages (``data/languages.csv``).

    Returns
    -------
    pandas.DataFrame
        One row per language: ``language``, ``name`` (English, for a supported
        language), ``supported`` (listed in
        ``languages.csv``), the counts behind each capability (``n_states`` named,
        ``n_months``, ``n_themes``, ``n_titles``), the four capabilities (bool) and
        ``full`` (all four).

    Examples
    --------
    >>> coverage = language_coverage(["en", "xx"])
    >>> coverage[["language", "supported", "dates", "full"]].to_numpy().tolist()
    [['en', True, True, True], ['xx', False, False, False]]
    """
    return _coverage(None if languages is None else tuple(languages)).copy()


@cache
def _coverage(languages: tuple[str, ...] | None) -> pd.DataFrame:
    """Compute :func:`language_coverage` once per process (the bundled files do not change)."""
    table = read_languages()
    supported = table["language"].tolist()
    names = dict(zip(table["language"], table["name"], strict=True))
    languages = supported if languages is None else list(languages)
    partners = read_partners()
    states = partners[partners["kind"] == "state"]
    reference_states = set(states.loc[states["language"] == "en", "code"])
    neutral = set(states.loc[states["language"] == "mul", "code"])
    months = read_months()
    themes = read_themes()
    themes = themes[themes["theme"].fillna("") != ""]  # phrases that are no theme ("durable")
    reference_themes = set(themes.loc[themes["language"] == "en", "theme"])
    titles = read_official_titles()
    offices = titles[titles["kind"] == "office"]
    rows = []
    for language in languages:
        named = reference_states & (
            neutral | set(states.loc[states["language"] == language, "code"])
        )
        n_months = months.loc[months["language"] == language, "month"].nunique()
        n_themes = len(reference_themes & set(themes.loc[themes["language"] == language, "theme"]))
        words = offices.loc[offices["language"] == language, "word"]
        cased = any(word.upper() != word.lower() for word in words)
        row = {
            "language": language,
            "name": names.get(language, ""),
            "supported": language in supported,
            "n_states": len(named),
            "n_months": n_months,
            "n_themes": n_themes,
            "n_titles": len(words),
            "names": bool(named) and len(named) >= NAMES_MIN_SHARE * len(reference_states),
            "dates": n_months == 12,
            "themes": bool(reference_themes) and n_themes == len(reference_themes),
            "officials": len(words) > 0 and cased,
        }
        row["full"] = all(row[c] for c in CAPABILITIES)
        rows.append(row)
    columns = ["language", "name", "supported", "n_states", "n_months", "n_themes", "n_titles"]
    return pd.DataFrame(rows, columns=[*columns, *CAPABILITIES, "full"])


def corpus_coverage(corpus: pd.DataFrame) -> pd.DataFrame:
    """Tell what the package understands in each language of a corpus, with its documents.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Needs a ``language`` column.

    Returns
    -------
    pandas.DataFrame
        :func:`language_coverage` of the corpus's languages with a ``documents``
        column, most documents first.

    Raises
    ------
    ValueError
        When the corpus has no ``language`` column.

    Examples
    --------
    >>> corpus = pd.DataFrame({"language": ["en", "en", "sv"]})
    >>> corpus_coverage(corpus)[["language", "documents", "full"]].to_numpy().tolist()
    [['en', 2, True], ['sv', 1, False]]
    """
    if "language" not in corpus.columns:
        raise ValueError(f"the corpus lacks a 'language' column; it has: {list(corpus.columns)}")
    counts = corpus["language"].value_counts(dropna=True)
    counts = counts.sort_index().sort_values(ascending=False, kind="stable")
    table = language_coverage(counts.index.tolist())
    table.insert(2, "documents", counts.to_numpy().astype("int64"))
    return table


def warn_language_coverage(corpus: pd.DataFrame) -> pd.DataFrame:
    """Warn once for each language of the corpus that the package does not fully understand.

    One :class:`bilat_analysis.corpus.CorpusWarning` per such language, naming what is
    missing and how many documents are in it; one more for documents whose language
    was not identified.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Needs a ``language`` column.

    Returns
    -------
    pandas.DataFrame
        :func:`corpus_coverage` of the corpus.

    Examples
    --------
    >>> import warnings
    >>> corpus = pd.DataFrame({"language": ["en", "en", "sv"]})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     table = warn_language_coverage(corpus)
    >>> print(caught[0].message)  # doctest: +ELLIPSIS
    1 document in 'sv' (language not supported: no ...
    """
    from bilat_analysis.corpus import CorpusWarning  # the loader imports this module

    table = corpus_coverage(corpus)
    for row in table.itertuples():
        if row.full:
            continue
        missing = ", ".join(c for c in CAPABILITIES if not getattr(row, c))
        plural = "document" if row.documents == 1 else "documents"
        status = "partly supported" if row.supported else "not supported"
        warnings.warn(
            f"{row.documents} {plural} in {row.language!r} (language {status}: no {missing}); "
            "partners, dates, themes and officials may be missed there",
            CorpusWarning,
            stacklevel=2,
        )
    unknown = int(corpus["language"].isna().sum())
    if unknown:
        plural = "document" if unknown == 1 else "documents"
        warnings.warn(
            f"{unknown} {plural} without an identified language (no letters?)",
            CorpusWarning,
            stacklevel=2,
        )
    return table


def read_language_variants(path: str | Path | None = None) -> pd.DataFrame:
    """Read the codes of the language identifier that are read as another language.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A user's CSV with columns ``identified, language``.

    Returns
    -------
    pandas.DataFrame
        One mapping per row.

    Examples
    --------
    >>> read_language_variants().set_index("identified").loc["wuu", "language"]
    'zh'
    """
    return _table("language_variants.csv", ("identified", "language"), path)
