"""Checked exercises for the lesson in ``notebooks/lesson/``.

``check("2.1", answer)`` compares a learner's answer with the value the package
computes on the teaching corpus (:data:`TEACHING_CORPUS`) at check time, and says
what is right, or gives a hint, never the answer. Because the expected values are
computed, not written down, they stay right when the lexicons improve.

The teaching corpus is loaded with ``load_corpus(TEACHING_CORPUS)``: a path, never a
bare name that a folder in the working directory could shadow.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd

from bilat_analysis.cooccurrence import cooccurrence, dyad_profiles, official_dyads
from bilat_analysis.corpus import load_corpus
from bilat_analysis.dyads import annotate_documents
from bilat_analysis.officials import tag_officials
from bilat_analysis.paths import LESSON_DIR, OWN_CORPUS_EXAMPLE, TEACHING_CORPUS
from bilat_analysis.report import render_reports
from bilat_analysis.topics import annotate_topics, cluster_documents
from bilat_analysis.validation import invalid_value_message

__all__ = [
    "OWN_CORPUS_EXAMPLE",
    "TEACHING_CORPUS",
    "Feedback",
    "check",
    "exercises",
    "guess_columns",
    "period_profiles",
    "render_lesson",
]

SEED = 0
TRAP_DOCUMENT = "deu-jpn-2024-07-19-en"  # a spokesperson whose first name is a country
VENUE_DOCUMENT = "esp-mex-2022-03-24-en"  # a meeting held in a third country's capital
AGENDA_DYAD = "FRA-IND"  # the dyad whose agenda shifts
EARLY_YEARS = (2019, 2021)
LATE_YEARS = (2023, 2025)


# --------------------------------------------------------------------------- the corpora
@cache
def _teaching() -> pd.DataFrame:
    """Return the teaching corpus, tagged, with events and clusters (computed once)."""
    return annotate_topics(annotate_documents(load_corpus(TEACHING_CORPUS)), random_state=SEED)


def guess_columns(path: str | object) -> dict[str, str]:
    """Guess the text, id, date and title columns of a table whose names the loader does not know.

    The text column holds the longest strings on average; the date column is the one
    whose values all parse as dates; the id column is the first whose values are all
    distinct and short; the title column is the remaining string column with the
    longest strings. A learner should still look at the table: this is a first guess.

    Parameters
    ----------
    path : str or pathlib.Path
        A ``.csv`` file.

    Returns
    -------
    dict
        Keyword arguments for :func:`bilat_analysis.corpus.load_corpus`:
        ``text_column``, ``id_column``, ``date_column``, ``title_column`` (those found).

    Examples
    --------
    >>> guess_columns(OWN_CORPUS_EXAMPLE)["text_column"]
    'cuerpo'
    """
    table = pd.read_csv(path, dtype=str)
    lengths = {c: table[c].dropna().str.len().mean() for c in table.columns}
    lengths = {c: n for c, n in lengths.items() if not math.isnan(n)}
    if not lengths:
        raise ValueError(f"{path}: no column with text in it")
    found = {"text_column": max(lengths, key=lengths.get)}
    rest = [c for c in table.columns if c != found["text_column"]]
    for column in rest:
        values = table[column].dropna()
        if len(values) and pd.to_datetime(values, errors="coerce", format="ISO8601").notna().all():
            found["date_column"] = column
            break
    rest = [c for c in rest if c != found.get("date_column")]
    for column in rest:
        values = table[column].dropna()
        if len(values) == len(table) and values.is_unique and lengths[column] <= 20:
            found["id_column"] = column
            break
    rest = [c for c in rest if c != found.get("id_column") and c in lengths]
    if rest:
        longest = max(rest, key=lengths.get)
        if table[longest].nunique() == len(table):
            found["title_column"] = longest
    return found


@cache
def _own() -> pd.DataFrame:
    """Return the "bring your own corpus" example, tagged, with events (computed once)."""
    corpus = load_corpus(OWN_CORPUS_EXAMPLE, **guess_columns(OWN_CORPUS_EXAMPLE))
    return annotate_topics(annotate_documents(corpus), random_state=SEED)


def period_profiles(
    annotated: pd.DataFrame, dyad: str, periods: dict[str, tuple[int, int]]
) -> pd.DataFrame:
    """Theme profile of one dyad in each period, each meeting counted once.

    The periods take the place of the dyads in
    :func:`bilat_analysis.cooccurrence.dyad_profiles`, so ``share`` is the theme's
    share of the period's mentions and ``g2`` says how much more (or less) the period
    uses it than the other periods.

    Parameters
    ----------
    annotated : pandas.DataFrame
        With ``dyad``, ``date``, ``themes`` and ``event`` (:func:`annotate_topics`).
    dyad : str
        E.g. ``"FRA-IND"`` (codes in alphabetical order).
    periods : dict
        Label -> (first year, last year), both included.

    Returns
    -------
    pandas.DataFrame
        ``period``, ``theme``, ``count``, ``share``, ``rest_share``, ``log_ratio``,
        ``g2``, ``p_value``; sorted by period then decreasing ``share``.

    Raises
    ------
    ValueError
        When no document of ``dyad`` falls in the periods (the message lists the dyads).

    Examples
    --------
    >>> table = period_profiles(_teaching(), "FRA-IND", {"early": (2019, 2021)})
    >>> sorted(table["period"].unique())
    ['early']
    """
    names = annotated["dyad"].map(lambda d: "-".join(d) if isinstance(d, tuple) else None)
    years = pd.to_datetime(annotated["date"]).dt.year
    label = pd.Series(pd.NA, index=annotated.index, dtype="object")
    for name, (first, last) in periods.items():
        label[(years >= first) & (years <= last)] = name
    chosen = annotated[(names == dyad) & label.notna()]
    if chosen.empty:
        valid = sorted(names.dropna().unique())
        message = invalid_value_message("dyad", dyad, valid)
        raise ValueError(f"{message} (or no date in the periods)")
    relabelled = chosen.assign(dyad=[(p,) for p in label[chosen.index]])
    table = dyad_profiles(relabelled, unit="event").rename(columns={"dyad": "period"})
    return table.sort_values(
        ["period", "share", "theme"], ascending=[True, False, True], ignore_index=True
    )


# --------------------------------------------------------------------------- exercises
@dataclass(frozen=True)
class _Exercise:
    key: str
    question: str
    kind: str  # number | codes | doc_ids | names | one_of
    expected: Callable[[], object]
    hint: str
    right: str  # said when correct; may use {expected}
    wrong: tuple[tuple[Callable[[], object], str], ...] = field(default=())


_EXERCISES: dict[str, _Exercise] = {}


def _exercise(key: str, question: str, kind: str, hint: str, right: str, wrong=()):
    def register(function: Callable[[], object]) -> Callable[[], object]:
        _EXERCISES[key] = _Exercise(key, question, kind, function, hint, right, tuple(wrong))
        return function

    return register


def _n_documents() -> int:
    return len(_teaching())


def _dyad_name(dyad: object) -> str | None:
    return "-".join(dyad) if isinstance(dyad, tuple) else None


def _document(doc_id: str) -> pd.Series:
    teaching = _teaching()
    return teaching.loc[teaching["doc_id"] == doc_id].iloc[0]


@_exercise(
    "1.1",
    "How many documents does the teaching corpus hold?",
    "number",
    "one row of the corpus frame is one document: len(docs).",
    "Right: {expected} documents, one row each.",
)
def _e11() -> int:
    return _n_documents()


@_exercise(
    "1.2",
    "Which languages are in the teaching corpus (ISO 639-1 codes)?",
    "codes",
    "look at the language column: docs['language'].unique().",
    "Right: four languages. Only some of them are covered by every lexicon yet — episode 2.",
)
def _e12() -> set[str]:
    return set(_teaching()["language"].dropna())


@_exercise(
    "1.3",
    "Which document's date was found in its text rather than in a header?",
    "doc_ids",
    "the date_source column says where each date came from.",
    "Right: its file has no 'date' header; the loader read the date written in the text.",
)
def _e13() -> set[str]:
    teaching = _teaching()
    return set(teaching.loc[teaching["date_source"] == "text", "doc_id"])


@_exercise(
    "2.1",
    "Which documents have no dyad?",
    "doc_ids",
    "docs.loc[docs['dyad'].isna(), 'doc_id']; then ask why each has none (how many parties? "
    "which language?).",
    "Right: a summit names too many parties for one pair, and a text in a language the "
    "lexicons do not cover yet may show too few partners.",
)
def _e21() -> set[str]:
    teaching = _teaching()
    return set(teaching.loc[teaching["dyad"].isna(), "doc_id"])


@_exercise(
    "2.2",
    f"Document {TRAP_DOCUMENT} is tagged with a partner it is not about. Which one?",
    "codes",
    "list the document's partners, then read each tag in context with kwic(docs, "
    f"tag_partners(docs), doc_id='{TRAP_DOCUMENT}'): which match is not a country?",
    "Right: a person's first name that is also a country. Read the evidence before trusting a tag.",
    wrong=(
        (
            lambda: set(_document(TRAP_DOCUMENT)["dyad"]),
            "those are the two partners the article is about; look at the other tag.",
        ),
    ),
)
def _e22() -> set[str]:
    row = _document(TRAP_DOCUMENT)
    return set(row["partners"]) - set(row["dyad"] or ())


def _capital_partners() -> set[str]:
    corpus = load_corpus(TEACHING_CORPUS)
    corpus = corpus[corpus["doc_id"] == VENUE_DOCUMENT]
    with_capitals = annotate_documents(corpus, count_capitals=True)["partners"].iloc[0]
    return set(with_capitals) - set(_document(VENUE_DOCUMENT)["partners"])


@_exercise(
    "2.3",
    f"Which partner would document {VENUE_DOCUMENT} gain if capitals counted as partners "
    "(count_capitals=True)?",
    "codes",
    "annotate the document twice, with count_capitals=False and True, and compare the "
    "partners; or kwic on its partner tags and look for alias_type == 'capital'.",
    "Right: that capital is only the venue. Counting capitals would add a country that is "
    "not at the table.",
    wrong=(
        (
            lambda: set(_document(VENUE_DOCUMENT)["dyad"]),
            "those two are at the table already; which country's capital is only the venue?",
        ),
    ),
)
def _e23() -> set[str]:
    return _capital_partners()


@_exercise(
    "3.1",
    "How many meetings (events) does the teaching corpus report?",
    "number",
    "count the distinct values of the event column after annotate_topics: "
    "annotated['event'].nunique().",
    "Right: {expected} meetings — fewer than documents, because some meetings were reported twice.",
    wrong=((_n_documents, "that is the number of articles; count meetings (events) instead."),),
)
def _e31() -> int:
    return int(_teaching()["event"].nunique())


@_exercise(
    "3.2",
    "Which documents report the same meeting in two languages?",
    "doc_ids",
    "group the annotated frame by event and look for an event whose reports have more than "
    "one language.",
    "Right: one meeting, two reports, two languages — counted once as an event.",
)
def _e32() -> set[str]:
    teaching = _teaching()
    languages = teaching.groupby("event")["language"].transform("nunique")
    return set(teaching.loc[languages > 1, "doc_id"])


def _k() -> int:
    return int(cluster_documents(_teaching(), random_state=SEED).k)


@_exercise(
    "3.3",
    "How many clusters does cluster_documents choose on the teaching corpus (random_state=0)?",
    "number",
    "the result of cluster_documents has the chosen number in .k, and the silhouette of each "
    "k tried in .silhouette.",
    "Right: k = {expected}, the best silhouette among the k tried.",
)
def _e33() -> int:
    return _k()


def _cell(unit: str, row: str, col: str) -> int:
    table = cooccurrence(_teaching(), rows="partner", cols="theme", measure="count", unit=unit)
    return int(table.loc[row, col]) if row in table.index and col in table.columns else 0


@_exercise(
    "4.1",
    "In how many documents do FRA and the theme space occur together?",
    "number",
    "cooccurrence(topics, rows='partner', cols='theme', measure='count', unit='document'), "
    "then .loc['FRA', 'space'].",
    "Right: {expected} documents.",
)
def _e41() -> int:
    return _cell("document", "FRA", "space")


@_exercise(
    "4.2",
    "And in how many meetings (unit='event')?",
    "number",
    "the same call with unit='event' (on the annotated frame, which has the event column).",
    "Right: {expected} meetings — one meeting was reported twice.",
    wrong=((_e41, "that is the number of documents; count each meeting once with unit='event'."),),
)
def _e42() -> int:
    return _cell("event", "FRA", "space")


def _top_npmi(min_support: int) -> set[tuple[str, str]]:
    table = cooccurrence(
        _teaching(),
        rows="partner",
        cols="theme",
        measure="npmi",
        unit="event",
        min_support=min_support,
    )
    stacked = table.stack().dropna()  # noqa: PD013 (a labelled Series of cells)
    best = stacked.max()
    return {(str(r), str(c)) for (r, c), v in stacked.items() if math.isclose(v, best)}


def _rare_pairs_above_the_top() -> set[tuple[str, str]]:
    """Pairs seen in fewer than 3 meetings whose NPMI beats the best pair seen in 3 or more."""
    options = {"rows": "partner", "cols": "theme", "unit": "event"}
    counts = cooccurrence(_teaching(), measure="count", **options)
    npmi = cooccurrence(_teaching(), measure="npmi", min_support=1, **options)
    best = max(
        (npmi.loc[r, c] for r, c in _top_npmi(3)),
        default=-1.0,
    )
    return {
        (str(r), str(c))
        for r in npmi.index
        for c in npmi.columns
        if counts.loc[r, c] < 3 and npmi.loc[r, c] > best
    }


@_exercise(
    "4.3",
    "With unit='event' and min_support=3, which partner-theme pair has the highest NPMI? "
    "Answer as ('CODE', 'theme').",
    "pair",
    "association_table(partners, themes, min_support=3) on incidences with unit='event', "
    "sorted by decreasing npmi: the first row's (row, col).",
    "Right: an association seen in at least three meetings, not a one-off.",
    wrong=(
        (
            _rare_pairs_above_the_top,
            "that pair ranks above the answer only when one or two meetings are enough "
            "(min_support below 3); with min_support=3 rarer pairs are left empty (NaN).",
        ),
    ),
)
def _e43() -> set[tuple[str, str]]:
    return _top_npmi(3)


@_exercise(
    "5.1",
    "Which official appears in the documents of more than one dyad?",
    "names",
    "tag_officials(annotated), then official_dyads(annotated, officials): count the dyads "
    "of each official.",
    "Right: one person chairs two dialogues — a link between dyads that partner counts miss.",
)
def _e51() -> set[str]:
    teaching = _teaching()
    table = official_dyads(teaching, tag_officials(teaching))
    counts = table.groupby("official")["dyad"].nunique()
    return set(counts[counts > 1].index)


def _top_theme(years: tuple[int, int]) -> set[str]:
    table = period_profiles(_teaching(), AGENDA_DYAD, {"period": years})
    return set(table.loc[table["share"] == table["share"].max(), "theme"])


@_exercise(
    "5.2",
    f"Which theme has the largest share of {AGENDA_DYAD} meetings in "
    f"{EARLY_YEARS[0]}-{EARLY_YEARS[1]}?",
    "theme",
    f"period_profiles(annotated, '{AGENDA_DYAD}', {{'early': {EARLY_YEARS}}}): the first row.",
    "Right: that is where the dyad started.",
    wrong=((lambda: _top_theme(LATE_YEARS), "that theme leads later; look at the early years."),),
)
def _e52() -> set[str]:
    return _top_theme(EARLY_YEARS)


@_exercise(
    "5.3",
    f"And in {LATE_YEARS[0]}-{LATE_YEARS[1]}?",
    "theme",
    f"the same with {{'late': {LATE_YEARS}}}.",
    "Right: the agenda moved — the same two countries, a different conversation.",
    wrong=((lambda: _top_theme(EARLY_YEARS), "that theme led the early years; look again."),),
)
def _e53() -> set[str]:
    return _top_theme(LATE_YEARS)


@_exercise(
    "6.1",
    "How many documents does the example CSV (OWN_CORPUS_EXAMPLE) hold once loaded?",
    "number",
    "load_corpus(OWN_CORPUS_EXAMPLE) stops and names the columns the file has; pass "
    "text_column= (and id_column=, date_column=, title_column=).",
    "Right: {expected} documents.",
)
def _e61() -> int:
    return len(_own())


@_exercise(
    "6.2",
    "Counting each meeting once, which theme has the largest share of the example's "
    "most frequent dyad?",
    "theme",
    "annotate_documents, then annotate_topics, then dyad_profiles(annotated, unit='event'); "
    "sort by share.",
    "Right: answered per meeting, with the evidence one call away (kwic).",
)
def _e62() -> set[str]:
    own = _own()
    profiles = dyad_profiles(own, unit="event")
    if profiles.empty:
        return set()
    dyad = own["dyad"].dropna().map("-".join).value_counts().index[0]
    table = profiles[profiles["dyad"] == dyad]
    return set(table.loc[table["share"] == table["share"].max(), "theme"])


# --------------------------------------------------------------------------- checking
@dataclass(frozen=True)
class Feedback:
    """What :func:`check` says: whether the answer is right, and a message.

    Its text form is the message, so a notebook cell ending with ``check(...)`` shows it.
    """

    exercise: str
    correct: bool
    message: str

    def __repr__(self) -> str:
        """Show the message."""
        return self.message

    def __bool__(self) -> bool:
        """Whether the answer is right."""
        return self.correct


def exercises() -> pd.DataFrame:
    """List the exercises: key, episode and question.

    Returns
    -------
    pandas.DataFrame
        ``exercise``, ``episode``, ``question``, ``answer_kind``.

    Examples
    --------
    >>> exercises()["exercise"].head(3).tolist()
    ['1.1', '1.2', '1.3']
    """
    rows = [
        {
            "exercise": e.key,
            "episode": int(e.key.split(".")[0]),
            "question": e.question,
            "answer_kind": e.kind,
        }
        for e in _EXERCISES.values()
    ]
    return pd.DataFrame(rows).sort_values("exercise", ignore_index=True)


def _is_blank(answer: object) -> bool:
    if answer is None or answer is Ellipsis:
        return True
    if isinstance(answer, float) and math.isnan(answer):
        return True
    if isinstance(answer, str) and not answer.strip():
        return True
    return isinstance(answer, (list, set, tuple, dict)) and len(answer) == 0


def _items(answer: object) -> list[object]:
    if isinstance(answer, str):
        return [part for part in re.split(r"[,;\s]+", answer) if part]
    if isinstance(answer, (pd.Series, pd.Index)):
        return answer.tolist()
    if isinstance(answer, Iterable) and not isinstance(answer, (bytes, dict)):
        return list(answer)
    return [answer]


def _normalise(kind: str, answer: object) -> object:
    """Put the answer in the form of the expected value; ValueError when it cannot be."""
    if kind == "number":
        if isinstance(answer, bool):
            raise ValueError("a number, not True/False")
        value = float(answer.strip()) if isinstance(answer, str) else float(answer)
        return int(value) if value.is_integer() else value
    if kind == "codes":
        return {str(item).strip().upper() for item in _items(answer)}
    if kind == "doc_ids":
        return {str(item).strip() for item in _items(answer)}
    if kind in {"names", "theme"}:
        items = [answer] if isinstance(answer, str) else _items(answer)
        return {re.sub(r"\s+", " ", str(i)).strip().casefold() for i in items}
    if kind == "pair":
        if isinstance(answer, str):
            parts = [p for p in re.split(r"[\s,;/|()'\"]+", answer) if p]
        else:
            parts = [str(p) for p in _items(answer)]
        if len(parts) != 2:
            raise ValueError("a pair: ('CODE', 'theme')")
        return (parts[0].strip().upper(), parts[1].strip().lower())
    raise AssertionError(kind)


def _expected_form(kind: str, value: object) -> object:
    if kind in {"names", "theme"}:
        return {str(v).casefold() for v in value}
    if kind == "codes":  # partner and language codes alike, in any case
        return {str(v).upper() for v in value}
    return value


_FORMS = {
    "number": "a number",
    "codes": "partner codes such as 'FRA' or a list of them",
    "doc_ids": "doc_ids (a string or a list)",
    "names": "a name (a string) or a list of names",
    "theme": "a theme code such as 'defence'",
    "pair": "a pair ('CODE', 'theme')",
}


def _matches(kind: str, given: object, expected: object) -> bool:
    if kind == "number":
        return math.isclose(float(given), float(expected), rel_tol=1e-9)
    if kind == "theme":
        # ties: any of the top themes is right, but only one at a time
        return len(given) == 1 and bool(given & expected)
    if kind == "pair":
        return given in expected
    return given == expected


def _partial(kind: str, given: object, expected: object) -> str:
    """Say what is right in a set answer, without naming what is missing."""
    if kind not in {"codes", "doc_ids", "names"} or not isinstance(given, set):
        return ""
    right = len(given & expected)
    extra = len(given - expected)
    missing = len(expected - given)
    parts = [f"{right} of your {len(given)} right"]
    if extra:
        parts.append(f"{extra} should not be there")
    if missing:
        parts.append(f"{missing} missing")
    return "; ".join(parts) + ". "


def check(exercise: str, answer: object) -> Feedback:
    """Check a learner's answer to an exercise of the lesson.

    The expected value is computed from the teaching corpus by the package now, so the
    check follows the package when its lexicons or rules change. A wrong answer gets a
    hint (and, for a list, how many items are right), never the answer.

    Parameters
    ----------
    exercise : str
        Its key, e.g. ``"2.1"`` (see :func:`exercises`).
    answer : object
        A number, a code, a doc_id, a name, or a list of them; ``...`` or None when
        not answered yet.

    Returns
    -------
    Feedback
        ``correct`` (bool) and ``message``; shown as the message in a notebook.

    Raises
    ------
    ValueError
        For an unknown exercise (the message lists the valid keys).

    Examples
    --------
    >>> check("1.1", ...).correct
    False
    >>> check("1.1", len(load_corpus(TEACHING_CORPUS)))
    1.1 Right: 30 documents, one row each.
    """
    if exercise not in _EXERCISES:
        raise ValueError(invalid_value_message("exercise", exercise, _EXERCISES))
    spec = _EXERCISES[exercise]
    if _is_blank(answer):
        return Feedback(exercise, False, f"{exercise} Not answered yet. Hint: {spec.hint}")
    try:
        given = _normalise(spec.kind, answer)
    except (TypeError, ValueError):
        form = _FORMS[spec.kind]
        return Feedback(
            exercise, False, f"{exercise} The answer should be {form}. Hint: {spec.hint}"
        )
    expected = _expected_form(spec.kind, spec.expected())
    if _matches(spec.kind, given, expected):
        shown = expected if spec.kind == "number" else answer
        return Feedback(exercise, True, f"{exercise} {spec.right.format(expected=shown)}")
    for typical, advice in spec.wrong:
        value = _expected_form(spec.kind, typical())
        if value and given != expected and _matches(spec.kind, given, value):
            return Feedback(exercise, False, f"{exercise} Not yet: {advice} Hint: {spec.hint}")
    partial = _partial(spec.kind, given, expected)
    return Feedback(exercise, False, f"{exercise} Not yet. {partial}Hint: {spec.hint}")


# --------------------------------------------------------------------------- the site
def render_lesson(out_dir: str | Path = "site", *, solutions: bool = True) -> Path:
    """Render the lesson as a small HTML site: the episodes, and their solutions in ``solutions/``.

    Each notebook is executed on the teaching corpus with the same machinery as the
    reports (:func:`bilat_analysis.report.render_reports`); the exercise pages show the
    hints a learner sees before answering.

    Parameters
    ----------
    out_dir : str or pathlib.Path, default "site"
        Where the pages go: ``index.html`` and one page per episode; the solutions in
        ``solutions/``.
    solutions : bool, default True
        Also render the solution notebooks (leave them out for a site given to learners
        before the class).

    Returns
    -------
    pathlib.Path
        The path of the episodes' ``index.html``.

    Examples
    --------
    >>> index = render_lesson("site")  # doctest: +SKIP
    """
    out = Path(out_dir)
    index = render_reports(TEACHING_CORPUS, out_dir=out, notebooks_dir=LESSON_DIR)
    if solutions:
        render_reports(
            TEACHING_CORPUS, out_dir=out / "solutions", notebooks_dir=LESSON_DIR / "solutions"
        )
    return index
