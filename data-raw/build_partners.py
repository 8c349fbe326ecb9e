"""Build ``bilat_analysis/data/partners.csv``: every partner alias, one per row.

Sources (run with the ``dev`` extra installed; none of them is a runtime dependency):

- ``data-raw/un_states.csv``: the 193 UN member states and 2 observer states;
- pycountry (ISO 3166-1 names and their French translations; LGPL, used here only);
- Babel (CLDR territory names in English and French; BSD);
- countryinfo (English capitals and demonyms; MIT);
- ``data-raw/partners_curated.csv``: short names, French demonyms and capitals,
  institutions, blocs, organisations and regions, written by hand. Curated rows win.

An alias that would point to two different codes (e.g. "Jerusalem", "Congolese") is
dropped and listed, unless the curated file settles it. Run from the repository root::

    python data-raw/build_partners.py
"""

from __future__ import annotations

import csv
import gettext
import re
from pathlib import Path

import pycountry
from babel import Locale
from countryinfo import CountryInfo

from bilat_analysis.lexicons import PARTNER_COLUMNS, default_case
from bilat_analysis.tagging import fold_text

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "bilat_analysis" / "data" / "partners.csv"


def usable(alias: str | None) -> bool:
    """Names as written in news: no inverted ("Korea, Republic of") or bracketed forms."""
    return bool(alias) and not re.search(r"[,()]", alias) and len(alias) > 1


def generated_rows(
    states: list[dict[str, str]],
) -> list[dict[str, str]]:
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    en, fr = Locale("en").territories, Locale("fr").territories
    rows = []

    def add(alias: str | None, code: str, alias_type: str, language: str) -> None:
        if usable(alias):
            rows.append(
                {
                    "alias": alias.strip(),
                    "code": code,
                    "kind": "state",
                    "alias_type": alias_type,
                    "language": language,
                }
            )

    for state in states:
        code, alpha2 = state["alpha3"], state["alpha2"]
        iso = pycountry.countries.get(alpha_3=code)
        info = CountryInfo(code).info()
        add(iso.name, code, "name", "en")
        add(getattr(iso, "official_name", None), code, "name", "en")
        add(getattr(iso, "common_name", None), code, "short", "en")
        add(french.gettext(iso.name), code, "name", "fr")
        if getattr(iso, "official_name", None):
            add(french.gettext(iso.official_name), code, "name", "fr")
        add(en.get(alpha2), code, "short", "en")
        add(fr.get(alpha2), code, "short", "fr")
        add(info.get("name"), code, "short", "en")
        add(info.get("translations", {}).get("fr"), code, "short", "fr")
        add(info.get("capital"), code, "capital", "en")
        demonym = info.get("demonym")
        add(demonym, code, "demonym", "en")
        if demonym and demonym.endswith(("an", "i")):
            add(demonym + "s", code, "demonym", "en")
    return rows


def main() -> None:
    states = list(csv.DictReader((HERE / "un_states.csv").open(encoding="utf-8")))
    curated = [
        row
        for row in csv.DictReader(
            line
            for line in (HERE / "partners_curated.csv").open(encoding="utf-8")
            if line.strip() and not line.startswith("#")
        )
    ]
    curated_keys = {fold_text(r["alias"]) for r in curated}
    by_key: dict[str, set[str]] = {}
    for row in generated_rows(states):
        by_key.setdefault(fold_text(row["alias"]), set()).add(row["code"])
    ambiguous = {k for k, codes in by_key.items() if len(codes) > 1 and k not in curated_keys}
    rows, seen = [], set()
    for row in [*curated, *generated_rows(states)]:
        key = fold_text(row["alias"])
        if key in ambiguous or (key, row["code"], row["language"]) in seen:
            continue
        if (
            row in curated
            or key not in curated_keys
            or row["code"] in {c["code"] for c in curated if fold_text(c["alias"]) == key}
        ):
            seen.add((key, row["code"], row["language"]))
            row = {
                **row,
                "case": row.get("case") or default_case(row["alias_type"], row["language"]),
            }
            rows.append({column: row.get(column) or "" for column in PARTNER_COLUMNS})
    rows.sort(key=lambda r: (r["kind"], r["code"], r["language"], r["alias_type"], r["alias"]))
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=PARTNER_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} aliases for {len({r['code'] for r in rows})} codes to {OUT.name}")
    print("dropped as ambiguous:", ", ".join(sorted(ambiguous)) or "none")


if __name__ == "__main__":
    main()
