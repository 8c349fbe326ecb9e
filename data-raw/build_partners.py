"""Build ``bilat_analysis/data/partners.csv``: every partner alias, one per row.

Sources (run with the ``dev`` extra installed; none of them is a runtime dependency):

- ``data-raw/un_states.csv``: the 193 UN member states and 2 observer states, with the
  CLDR time zone named after each capital (``capital_zone``; empty where none is);
- Babel (CLDR, BSD): territory names in every language py3langid can return
  (``data-raw/cldr_locales.csv`` maps the codes Babel spells differently and adds variants
  such as traditional Chinese), and, for the supported languages of
  ``bilat_analysis/data/languages.csv``, capitals from CLDR's exemplar cities;
- pycountry (ISO 3166-1 names and their French translations; LGPL, used here only);
- countryinfo (English capitals and demonyms; MIT);
- ``data-raw/partners/<language>.csv``: curated rows, one file per language (``mul``: valid
  in every language): short forms, demonyms, capitals, pair forms, institutions, blocs,
  organisations, regions, and phrases of ``kind`` ``none`` that are not partners ("New
  Mexico", "French fries"): found like any alias, they win leftmost-longest over the short
  alias inside them and map to nothing.

Curated rows win: a generated alias that a curated row of the same language also lists is
kept only with the curated codes. A generated alias that would point to two codes in one
language (e.g. "Jerusalem", "Congolese") is dropped and listed. French, Spanish, Italian and
Portuguese demonyms are curated in the singular; their plurals are derived here. Run from the
repository root (deterministic, offline)::

    python data-raw/build_partners.py
"""

from __future__ import annotations

import csv
import gettext
import re
import sys
from pathlib import Path

import pycountry
from babel import Locale, localedata
from babel.dates import get_timezone_location
from countryinfo import CountryInfo
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from bilat_analysis.lexicons import PARTNER_COLUMNS, default_case, read_languages
from bilat_analysis.tagging import fold_text

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "bilat_analysis" / "data" / "partners.csv"
COLUMNS = [*PARTNER_COLUMNS, *(c for c in ("match",) if c not in PARTNER_COLUMNS)]

#: Territories counted as partners like states (ISO alpha-2). Empty: every territory that is
#: not a UN member or observer (Taiwan, Hong Kong, French Guiana, Réunion, ...) is a place
#: (kind region), tagged but never a partner, as the package's state count (195) assumes.
#: {"HK", "MO", "TW"} would make Hong Kong, Macao and Taiwan partners.
ACTING_TERRITORIES: set[str] = set()

#: CLDR territory codes that are partners but not ISO 3166 countries.
CLDR_GROUPS = {"EU": ("EU", "bloc"), "UN": ("UN", "organisation")}


def read_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV file, blank and ``#`` comment lines left out."""
    with path.open(encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines))


def usable(alias: str | None) -> bool:
    """Names as written in news: no inverted ("Korea, Republic of") or bracketed forms."""
    return bool(alias) and not re.search(r"[,()（）،]", alias) and len(alias.strip()) > 1


def langid_languages() -> list[str]:
    """Every language code py3langid can return."""
    return sorted(LanguageIdentifier.from_model_file(MODEL_FILE).labels)


def cldr_locales(languages: list[str]) -> dict[str, list[str]]:
    """Babel locales per py3langid language: its own (where Babel has it) plus the mapped ones."""
    extra: dict[str, list[str]] = {}
    for row in read_rows(HERE / "cldr_locales.csv"):
        extra.setdefault(row["language"], []).append(row["locale"])
    return {
        language: [
            *([language] if localedata.exists(language) else []),
            *extra.get(language, []),
        ]
        for language in languages
    }


def cldr_names(name: str, language: str, *, state: bool) -> list[str]:
    """Write a CLDR name as news does.

    "Congo - Kinshasa" -> "Congo-Kinshasa"; a UN state's "Myanmar (Burma)" -> "Myanmar", "Burma"
    (a territory keeps only the part outside the brackets: "Виргинские о-ва (США)" is not the
    USA); English "&" also as "and".
    """
    name = re.sub(r"\s+-\s+", "-", name.strip())
    bracketed = re.fullmatch(r"(.+?)\s*[(（](.+)[)）]", name)
    names = [name]
    if bracketed:
        outside, inside = (part.strip() for part in bracketed.groups())
        names = [outside, inside] if state else [outside]
    if language == "en":
        names += [n.replace("&", "and") for n in names if "&" in n]
    return names


def inflections(name: str, language: str) -> list[str]:
    """Return the case forms of a one-word German or Russian country name (CLDR has the nominative).

    German adds the genitive "-s" (Chinas, Indiens); Russian declines by the ending (Индия ->
    Индии, Индию, Индией; Иран -> Ирана, Ирану, Ираном, Иране; Израиль -> Израиля). Forms that
    never occur are harmless; indeclinable names (Того, Перу, Чили, Самоа) get none.
    """
    if " " in name or "-" in name:
        return []
    if language == "de":
        return [] if name.endswith(("s", "ß", "x", "z")) else [name + "s"]
    if language != "ru":
        return []
    stem, last = name[:-1], name[-1]
    if name[-2:-1] in "аоуэиыеёюя" and last == "а":  # Самоа, Бразилиа: indeclinable
        return []
    if name.endswith("ия"):
        return [stem + e for e in ("и", "ю", "ей")]
    if last == "а":
        genitive = "и" if stem[-1:] in "кгхжшщч" else "ы"
        return [stem + e for e in (genitive, "е", "у", "ой")]
    if last == "я":
        return [stem + e for e in ("и", "е", "ю", "ей")]
    if last == "й":
        return [stem + e for e in ("я", "ю", "ем", "е")]
    if last == "ы":
        return [stem + e for e in ("ов", "ам", "ами", "ах")]
    if last == "ь":  # Израиль
        return [stem + e for e in ("я", "ю", "ем", "е")]
    if last in "бвгджзклмнпрстфхцчшщ":
        return [name + e for e in ("а", "у", "ом", "е")]
    return []


def row(alias: str, code: str, kind: str, alias_type: str, language: str) -> dict[str, str]:
    """One generated alias row."""
    return {
        "alias": alias.strip(),
        "code": code,
        "kind": kind,
        "alias_type": alias_type,
        "language": language,
    }


def territory_rows(languages: list[str]) -> list[dict[str, str]]:
    """CLDR names of every ISO 3166 country and territory (and EU, UN) in every language.

    Territories that are not UN member or observer states (Taiwan, Hong Kong, French Guiana,
    ...) get ``kind`` region (see ``ACTING_TERRITORIES``): tagged, so that "la Guyane" is never
    read as Guyana, but never a partner.
    """
    codes = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    members = {state["alpha2"] for state in read_rows(HERE / "un_states.csv")}
    rows = []
    for language, locales in cldr_locales(languages).items():
        for locale in locales:
            for alpha2, name in sorted(Locale.parse(locale).territories.items()):
                if alpha2 in CLDR_GROUPS:
                    code, kind = CLDR_GROUPS[alpha2]
                elif alpha2 in codes:
                    state = alpha2 in members or alpha2 in ACTING_TERRITORIES
                    code, kind = codes[alpha2], "state" if state else "region"
                else:
                    continue
                aliases = cldr_names(name, language, state=alpha2 in members)
                aliases += [form for alias in aliases for form in inflections(alias, language)]
                rows += [
                    row(alias, code, kind, "name", language) for alias in aliases if usable(alias)
                ]
                if kind == "state" and locale == language:
                    rows += [
                        {**row(form, code, kind, "demonym", language), "match": match}
                        for form, match in derived_demonyms(name, language)
                    ]
    return rows


_HARMONY = {"a": "lı", "ı": "lı", "e": "li", "i": "li", "o": "lu", "u": "lu", "ö": "lü", "ü": "lü"}


def derived_demonyms(name: str, language: str) -> list[tuple[str, str]]:
    """Return demonyms derived from a Turkish or Arabic country name, with their match mode.

    Turkish adds -lı/-li/-lu/-lü by vowel harmony (Kenya -> Kenyalı, Şili -> Şilili, Peru ->
    Perulu), matched as a prefix so that Kenyalılar and Kenyalıların count. Arabic forms the
    nisba: without the article and a final alif or ta marbuta, plus ي (الصين -> صيني, روسيا ->
    روسي, السعودية -> سعودي) and its feminine ية. A curated ``none`` row removes a form that
    is a common word (Arabic مالي, "financial").
    """
    if language == "tr":
        vowels = [ch for ch in name.lower() if ch in _HARMONY]
        return [(name + _HARMONY[vowels[-1]], "prefix")] if vowels and " " not in name else []
    if language != "ar" or " " in name:
        return []
    stem = name.removeprefix("ال")
    stem = stem[:-1] if stem.endswith(("ا", "ة")) else stem
    nisba = stem if stem.endswith("ي") else stem + "ي"
    return [(nisba, "word"), (nisba + "ة", "word")]


def capital_rows(states: list[dict[str, str]], languages: list[str]) -> list[dict[str, str]]:
    """Capitals in the supported languages, from CLDR's exemplar city of the capital's time zone."""
    locales = cldr_locales(languages)
    rows = []
    for state in states:
        zone = state.get("capital_zone")
        if not zone:
            continue
        for language in languages:
            for locale in locales[language]:
                city = get_timezone_location(zone, locale=locale, return_city=True)
                names = cldr_names(city, language, state=False)  # "Tripoli (Libye)"
                names += [form for name in names for form in inflections(name, language)]
                rows += [
                    row(name, state["alpha3"], "state", "capital", language)
                    for name in names
                    if usable(name)
                ]
    return rows


def iso_rows(states: list[dict[str, str]]) -> list[dict[str, str]]:
    """Return ISO 3166 names in en and fr (pycountry), English capitals and demonyms."""
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    rows = []

    def add(alias: str | None, code: str, alias_type: str, language: str) -> None:
        if usable(alias):
            rows.append(row(alias, code, "state", alias_type, language))

    for state in states:
        code = state["alpha3"]
        iso = pycountry.countries.get(alpha_3=code)
        info = CountryInfo(code).info()
        official = getattr(iso, "official_name", None)
        add(iso.name, code, "name", "en")
        add(official, code, "name", "en")
        add(getattr(iso, "common_name", None), code, "short", "en")
        add(french.gettext(iso.name), code, "name", "fr")
        if official:
            add(french.gettext(official), code, "name", "fr")
        add(info.get("name"), code, "short", "en")
        add(info.get("translations", {}).get("fr"), code, "short", "fr")
        add(info.get("capital"), code, "capital", "en")
        demonym = info.get("demonym")
        add(demonym, code, "demonym", "en")
        if demonym and demonym.endswith(("an", "i")):
            add(demonym + "s", code, "demonym", "en")
    return rows


def plural(word: str, language: str) -> str:
    """Return the plural of a Romance-language demonym ("indien" -> "indiens")."""
    last = fold_text(word[-1:])
    if language == "fr":
        return word if last in "sx" else word + "s"
    if language == "it":
        stems = {"o": "i", "a": "e", "e": "i"}
        return word[:-1] + stems[last] if last in stems else word
    if language == "pt" and word.endswith("ês"):
        return word[:-2] + "eses"
    if language == "pt" and word.endswith("l"):
        return word[:-1] + "is"
    if last in "aeo":
        return word + "s"
    return word + "es"  # Spanish "alemán" -> "alemanes" once accents are folded


def curated_rows(languages: set[str]) -> list[dict[str, str]]:
    """Read the curated files, with Romance-language demonym plurals and case forms added.

    A derived form never overrides a ``none`` row of its language (Italian "ceci", chickpeas,
    is not the plural of "ceco").
    """
    rows = []
    for path in sorted((HERE / "partners").glob("*.csv")):
        for item in read_rows(path):
            if item["language"] != path.stem:
                sys.exit(f"{path.name}: row {item['alias']!r} has language {item['language']!r}")
            if item["language"] not in languages:
                sys.exit(f"{path.name}: {item['language']!r} is not a py3langid code nor 'mul'")
            rows.append(item)
    derived = []
    for item in rows:
        forms = []
        if (
            item["kind"] != "none"
            and item["alias_type"] in {"name", "short", "capital", "institution"}
            and item.get("match", "word") in {"", "word"}
        ):  # Вашингтон -> Вашингтона, Вашингтоном; Peking -> Pekings
            forms = inflections(item["alias"], item["language"])
        if (
            item["alias_type"] == "demonym"
            and item["language"] in {"fr", "es", "it", "pt"}
            and item.get("match", "word") in {"", "word"}
            and " " not in item["alias"]
        ):
            forms = [plural(item["alias"], item["language"])]
        derived += [{**item, "alias": form} for form in forms]
    blocked = {(r["language"], fold_text(r["alias"])) for r in rows if r["kind"] == "none"}
    return rows + [r for r in derived if (r["language"], fold_text(r["alias"])) not in blocked]


def case_rule(item: dict[str, str]) -> str:
    """Return the row's case rule; aliases in scripts without case match in any case."""
    if item.get("case"):
        return item["case"]
    first = next((ch for ch in item["alias"] if ch.isalpha()), "")
    if first and first.lower() == first.upper():
        return "any"
    return "any" if item["kind"] == "none" else default_case(item["alias_type"], item["language"])


def codes_by_key(rows: list[dict[str, str]]) -> dict[tuple[str, str], set[str]]:
    """Map each (language, folded alias) to the codes its rows give."""
    codes: dict[tuple[str, str], set[str]] = {}
    for item in rows:
        codes.setdefault((item["language"], fold_text(item["alias"])), set()).add(item["code"])
    return codes


def build_rows() -> tuple[list[dict[str, str]], set[tuple[str, str]]]:
    """Return the sorted rows of ``partners.csv`` and the (language, alias) keys dropped."""
    states = read_rows(HERE / "un_states.csv")
    languages = langid_languages()
    supported = read_languages()["language"].tolist()
    curated = curated_rows({*languages, "mul"})
    generated = [*iso_rows(states), *territory_rows(languages), *capital_rows(states, supported)]
    capitals = [r for r in curated if r["alias_type"] == "capital" and r["seat_of"]]
    seats = {r["code"]: r["seat_of"] for r in capitals}
    curated, generated = (
        [
            {**r, "seat_of": r.get("seat_of") or seats.get(r["code"], "")}
            if r["alias_type"] == "capital"
            else r
            for r in rows
        ]
        for rows in (curated, generated)
    )  # Bruxelles, Брюссель and 布鲁塞尔 seat the EU as Brussels does
    curated_codes, generated_codes = codes_by_key(curated), codes_by_key(generated)
    ambiguous = {
        key for key, codes in generated_codes.items() if len(codes) > 1 and key not in curated_codes
    }
    rows, seen = [], set()
    for origin, items in (("curated", curated), ("generated", generated)):
        for item in items:
            key = (item["language"], fold_text(item["alias"]))
            overridden = key in curated_codes and item["code"] not in curated_codes[key]
            if origin == "generated" and (key in ambiguous or overridden):
                continue
            if (item["language"], item["alias"], item["code"]) in seen:
                continue
            seen.add((item["language"], item["alias"], item["code"]))
            item = {**item, "case": case_rule(item), "match": item.get("match") or "word"}
            rows.append({column: item.get(column) or "" for column in COLUMNS})
    rows.sort(key=lambda r: (r["kind"], r["code"], r["language"], r["alias_type"], r["alias"]))
    return rows, ambiguous


def write(rows: list[dict[str, str]], path: Path) -> None:
    """Write the rows as CSV (UTF-8, Unix line ends)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    rows, ambiguous = build_rows()
    write(rows, OUT)
    supported = read_languages()["language"].tolist()
    by_language: dict[str, int] = {}
    for item in rows:
        by_language[item["language"]] = by_language.get(item["language"], 0) + 1
    print(f"wrote {len(rows)} aliases for {len({r['code'] for r in rows})} codes to {OUT.name}")
    counts = [f"{lang} {by_language.get(lang, 0)}" for lang in [*supported, "mul"]]
    print("aliases by supported language:", ", ".join(counts))
    dropped = sorted(f"{lang}:{alias}" for lang, alias in ambiguous if lang in supported)
    print(f"dropped as ambiguous: {len(ambiguous)} in all; supported:", ", ".join(dropped))


if __name__ == "__main__":
    main()
