import pandas as pd
import pytest

from bilat_analysis import load_corpus
from bilat_analysis.lexicons import read_languages, read_partners, read_themes
from bilat_analysis.tagging import (
    Matcher,
    fold_text,
    in_title_context,
    kwic,
    tag_partners,
    tag_themes,
)


def corpus_of(*texts: str) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": list(texts)})


def partners_in(text: str, *, kinds=("state", "bloc", "organisation")) -> list[str]:
    mentions = tag_partners(corpus_of(text))
    return mentions.loc[mentions["kind"].isin(kinds), "partner"].tolist()


def themes_in(text: str) -> list[str]:
    return tag_themes(corpus_of(text))["theme"].tolist()


@pytest.fixture(scope="module")
def seeds():
    return load_corpus()


@pytest.fixture(scope="module")
def seed_partners(seeds):
    return tag_partners(seeds)


@pytest.fixture(scope="module")
def seed_themes(seeds):
    return tag_themes(seeds)


# ---------------------------------------------------------------- the lexicon


def test_lexicon_covers_every_un_state_and_the_blocs():
    partners = read_partners()
    states = set(partners.loc[partners["kind"] == "state", "code"])
    assert len(states) == 195  # 193 members + Holy See + State of Palestine
    for code in [
        "EU",
        "ASEAN",
        "UN",
        "AU",
        "G7",
        "G20",
        "NATO",
        "OSCE",
        "ARF",
        "SCO",
        "BRICS",
        "QUAD",
        "IAEA",
        "WTO",
        "IMF",
        "WB",
    ]:
        assert code in set(partners["code"]), code
    assert set(partners["alias_type"]) <= {
        "name",
        "short",
        "demonym",
        "capital",
        "acronym",
        "institution",
        "pair",
    }
    india = partners[partners["code"] == "IND"]
    assert {"India", "Inde", "Indian", "indienne", "New Delhi"} <= set(india["alias"])


def test_every_theme_id_is_present():
    expected = {
        "defence",
        "maritime_security",
        "nuclear_energy",
        "energy",
        "space",
        "cyber_digital",
        "science_technology",
        "trade_investment",
        "climate_environment",
        "health",
        "counterterrorism",
        "peacekeeping",
        "humanitarian_aid",
        "education_culture",
        "multilateralism",
        "agriculture",
        "regional_crises",
    }
    themes = read_themes()
    assert set(themes["theme"]) - {""} == expected  # "" marks phrases that are no theme
    languages = set(read_languages()["language"])
    for theme in expected:
        assert set(themes.loc[themes["theme"] == theme, "language"]) == languages, theme


# ---------------------------------------------------------------- the engine


def test_fold_keeps_length_and_folds_accents_case_hyphens():
    text = "L’Union Européenne — Hà Nội\nİstanbul Indo-Pacific"
    assert len(fold_text(text)) == len(text)
    assert fold_text(text) == "l'union europeenne   ha noi istanbul indo pacific"


def test_longest_match_wins_and_word_boundaries_hold():
    matcher = Matcher(["Indian", "Indian Ocean", "Niger", "Nigeria"], ["title"] * 4)
    text = "The Indian Ocean; Nigeria; Indians; Niger."
    assert [(text[s:e], r) for s, e, r in matcher.find(text)] == [
        ("Indian Ocean", 1),
        ("Nigeria", 3),
        ("Niger", 2),
    ]


def test_offsets_slice_back_to_the_match(seeds, seed_partners, seed_themes):
    texts = dict(zip(seeds["doc_id"], seeds["text"], strict=True))
    for mentions in (seed_partners, seed_themes):
        for doc_id, match, start, end in zip(
            mentions["doc_id"], mentions["match"], mentions["start"], mentions["end"], strict=True
        ):
            assert texts[doc_id][start:end] == match


# ---------------------------------------------------------------- case, accents, elision


def test_acronyms_are_case_sensitive():
    assert partners_in("A UN resolution; un accord; the US said; let us go.") == ["UN", "USA"]


def test_names_need_a_capital_but_french_demonyms_do_not():
    assert partners_in("turkey for dinner; Turkey and chad") == ["TUR"]
    assert partners_in("la délégation indienne et l'ambassadrice française") == ["IND", "FRA"]


def test_french_elision_and_accents():
    assert partners_in("l'Inde, d'Inde, l'UE, l’Union européenne, l'ONU") == [
        "IND",
        "IND",
        "EU",
        "EU",
        "UN",
    ]
    assert partners_in("Viet Nam, Việt Nam, Hanoi, Hà Nội, HANOÏ") == ["VNM"] * 5
    assert partners_in("Descotes in Bruxelles and Brussels") == ["BEL", "BEL"]


# ---------------------------------------------------------------- traps


def test_regions_are_not_states():
    text = (
        "the Indian Ocean Region, the Indo-Pacific, West Asia, the Middle East, "
        "the East Sea and the South China Sea"
    )
    assert partners_in(text) == []
    regions = partners_in(text, kinds=("region",))
    assert regions == [
        "INDIAN_OCEAN",
        "INDO_PACIFIC",
        "MIDDLE_EAST",
        "MIDDLE_EAST",
        "SOUTH_CHINA_SEA",
        "SOUTH_CHINA_SEA",
    ]


def test_ministry_for_europe_is_france_not_the_eu():
    mentions = tag_partners(corpus_of("the French Ministry for Europe and Foreign Affairs"))
    assert "EU" not in set(mentions["partner"])
    assert "EUROPE" not in set(mentions["partner"])
    assert mentions["match"].tolist() == ["French", "Ministry for Europe and Foreign Affairs"]
    assert mentions["alias_type"].tolist() == ["demonym", "institution"]


def test_language_names_in_boilerplate_are_not_countries():
    assert partners_in("This post is also available in: Türkçe Русский") == []


def test_capital_keeps_its_alias_type(seed_partners):
    paris = seed_partners[seed_partners["match"] == "Paris"]
    assert set(paris["alias_type"]) == {"capital"}
    assert set(paris["partner"]) == {"FRA"}


def test_seeds_no_trap_fires(seed_partners):
    states = seed_partners[seed_partners["kind"] == "state"]
    assert not {"TUR", "RUS"} & set(
        states.loc[states["doc_id"] == "004_c3763a8b70dd2c1f", "partner"]
    )
    by_doc = states.groupby("doc_id")["partner"].apply(set).to_dict()
    assert by_doc["000_61ed17e4f0eb13e1"] == {"FRA", "IND", "RUS", "UKR"}
    assert by_doc["002_450c98cabd7aa83b"] == {"IND", "BEL"}
    assert by_doc["003_f2962e5216b1e2df"] == {"FRA", "VNM"}
    assert by_doc["004_c3763a8b70dd2c1f"] == {"FRA", "PAK", "USA", "MOZ"}
    assert "EU" not in set(
        seed_partners.loc[seed_partners["doc_id"] == "000_61ed17e4f0eb13e1", "partner"]
    )


# ---------------------------------------------------------------- themes


def test_theme_phrases_resolve_to_the_right_theme():
    assert themes_in("civil nuclear energy") == ["nuclear_energy"]
    assert themes_in("cyber security threats") == ["cyber_digital"]
    assert themes_in("cyber-security and anti-terrorism") == ["cyber_digital", "counterterrorism"]
    assert themes_in("la cybersécurité et le nucléaire civil") == [
        "cyber_digital",
        "nuclear_energy",
    ]
    assert themes_in("maritime terrorism") == ["maritime_security"]


def test_job_titles_do_not_count():
    text = "la directrice de la sécurité et de la défense a dit que la défense progresse"
    mentions = tag_themes(corpus_of(text))
    assert mentions[["match", "in_title"]].to_numpy().tolist() == [
        ["défense", True],
        ["défense", False],
    ]
    assert in_title_context("Deputy Minister of Defence", 19)
    assert not in_title_context("the Minister said defence ties grew", 18)


def test_seed_themes_plainly_there_and_plainly_absent(seed_themes):
    counted = seed_themes[~seed_themes["in_title"]]
    by_doc = counted.groupby("doc_id")["theme"].apply(set).to_dict()
    assert {"maritime_security", "nuclear_energy", "defence", "space"} <= by_doc[
        "000_61ed17e4f0eb13e1"
    ]
    assert "cyber_digital" in by_doc["002_450c98cabd7aa83b"]
    assert {"defence", "peacekeeping"} <= by_doc["003_f2962e5216b1e2df"]
    assert {"humanitarian_aid", "agriculture", "counterterrorism"} <= by_doc["004_c3763a8b70dd2c1f"]
    for doc_id in ("000_61ed17e4f0eb13e1", "001_6ec640c84f295659", "002_450c98cabd7aa83b"):
        assert "peacekeeping" not in by_doc[doc_id]
        assert "agriculture" not in by_doc[doc_id]
    assert "nuclear_energy" not in by_doc["003_f2962e5216b1e2df"]
    # "directrice de la sécurité et de la défense" is a title in the French seed
    french_defence = seed_themes[
        (seed_themes["doc_id"] == "002_450c98cabd7aa83b") & (seed_themes["theme"] == "defence")
    ]
    assert french_defence["in_title"].all()


# ---------------------------------------------------------------- KWIC and user lexicons


def test_kwic_shows_each_span(seeds, seed_partners):
    table = kwic(seeds, seed_partners, doc_id="002_450c98cabd7aa83b", window=20)
    assert list(table.columns) == ["doc_id", "tag", "left", "match", "right", "start", "end"]
    row = table[table["match"] == "Bruxelles"].iloc[0]
    assert row["tag"] == "BEL"
    assert row["left"].endswith("qui s'est tenu à ")
    assert len(table) == (seed_partners["doc_id"] == "002_450c98cabd7aa83b").sum()


def test_a_user_theme_file_adds_a_keyword(tmp_path):
    themes = read_themes()
    extra = pd.DataFrame(
        [{"keyword": "Horizon 2047", "theme": "roadmap", "language": "en", "case": "any"}]
    )
    path = tmp_path / "themes.csv"
    pd.concat([themes, extra]).to_csv(path, index=False)
    mentions = tag_themes(corpus_of("the India-France Horizon 2047 Roadmap"), lexicon=path)
    assert mentions[["theme", "match"]].to_numpy().tolist() == [["roadmap", "Horizon 2047"]]


def test_a_bad_lexicon_value_is_a_clear_error(tmp_path):
    path = tmp_path / "partners.csv"
    path.write_text("alias,code,kind,alias_type,language,case,seat_of\nX,XX,country,name,en,,\n")
    with pytest.raises(ValueError, match=r"column 'kind' has \['country'\]; valid values: 'state'"):
        tag_partners(corpus_of("X"), lexicon=path)


def test_parallel_tagging_gives_the_same_table(seeds):
    big = pd.concat([seeds] * 250, ignore_index=True)
    big["doc_id"] = [f"d{i}" for i in range(len(big))]
    pd.testing.assert_frame_equal(tag_partners(big, n_jobs=2), tag_partners(big))
