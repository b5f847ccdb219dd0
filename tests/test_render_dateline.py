"""Tests for desk.render.dateline against the real OpenVoiceNews stand-alone list."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk.model.site import DatelineStyle
from desk.render.dateline import dateline_lead, is_standalone, parse_standalone_cities

REPO = Path(__file__).parents[1]
CITY_LIST = REPO / "resources" / "sites" / "openvoicenews" / "ap_standalone_cities.txt"
STANDALONE = parse_standalone_cities(CITY_LIST.read_text(encoding="utf-8"))

KEEP = DatelineStyle(standalone_cities=STANDALONE)  # the site profile's setting today
DROP = DatelineStyle(drop_region_for_standalone=True, standalone_cities=STANDALONE)
AS_TYPED = DatelineStyle(uppercase_city=False, standalone_cities=STANDALONE)
EN_DASH = DatelineStyle(dash="\u2013")
SPACED_DASH = DatelineStyle(dash="  --  ")
NO_DASH = DatelineStyle(dash="")


@pytest.mark.parametrize(
    ("city", "region", "style", "expected"),
    [
        pytest.param("Tokyo", "Japan", KEEP, "TOKYO, Japan —", id="reference-article"),
        pytest.param("Tokyo", "Japan", DROP, "TOKYO —", id="tokyo-standalone-dropped"),
        pytest.param("Chicago", "Illinois", KEEP, "CHICAGO, Illinois —", id="chicago-drop-off"),
        pytest.param("Chicago", "Illinois", DROP, "CHICAGO —", id="chicago-drop-on"),
        pytest.param("chicago", "Ill.", DROP, "CHICAGO —", id="standalone-any-case"),
        pytest.param("Washington", "D.C.", DROP, "WASHINGTON —", id="washington"),
        pytest.param("Washington", "D.C.", KEEP, "WASHINGTON, D.C. —", id="washington-keep"),
        pytest.param("Springfield", "Illinois", DROP, "SPRINGFIELD, Illinois —", id="not-on-list"),
        pytest.param("St. Louis", "Missouri", DROP, "ST. LOUIS —", id="st-louis-listed"),
        pytest.param("Saint Louis", "Missouri", DROP, "SAINT LOUIS, Missouri —", id="no-alias"),
        pytest.param("São Paulo", "Brazil", KEEP, "SÃO PAULO, Brazil —", id="sao-paulo"),
        pytest.param("Zürich", "Switzerland", KEEP, "ZÜRICH, Switzerland —", id="zurich-umlaut"),
        # The list spells it "Zurich": exact names only, so the umlaut keeps the region.
        pytest.param("Zürich", "Switzerland", DROP, "ZÜRICH, Switzerland —", id="zurich-exact"),
        pytest.param("Zurich", "Switzerland", DROP, "ZURICH —", id="zurich-listed"),
        pytest.param("Kraków", "Poland", KEEP, "KRAKÓW, Poland —", id="krakow"),
        pytest.param("Reykjavík", "Iceland", KEEP, "REYKJAVÍK, Iceland —", id="reykjavik"),
        pytest.param("Düsseldorf", "Germany", KEEP, "DÜSSELDORF, Germany —", id="dusseldorf"),
        pytest.param("Gießen", "Germany", KEEP, "GIESSEN, Germany —", id="eszett-to-ss"),
        pytest.param("İstanbul", "Türkiye", KEEP, "İSTANBUL, Türkiye —", id="istanbul-dotted"),
        pytest.param("Istanbul", "Turkey", KEEP, "ISTANBUL, Turkey —", id="istanbul-plain"),
        pytest.param("istanbul", "Turkey", KEEP, "ISTANBUL, Turkey —", id="no-turkish-locale"),
        pytest.param("Zu\u0308rich", "Switzerland", KEEP, "ZÜRICH, Switzerland —", id="nfd-to-nfc"),
        pytest.param("  New \t York ", " New  York ", KEEP, "NEW YORK, New York —", id="space"),
        pytest.param("New\u00a0York", "NY", DROP, "NEW YORK —", id="nbsp-standalone"),
        pytest.param("Tokyo,", "Japan", KEEP, "TOKYO, Japan —", id="comma-typed-on-city"),
        pytest.param("Tokyo", ", Japan,", KEEP, "TOKYO, Japan —", id="commas-around-region"),
        pytest.param(
            "Toronto", "Ontario,, Canada", KEEP, "TORONTO, Ontario, Canada —", id="double"
        ),
        pytest.param("Tokyo", ",", KEEP, "TOKYO —", id="region-only-comma"),
        pytest.param("Nairobi", "", KEEP, "NAIROBI —", id="empty-region"),
        pytest.param("Nairobi", "   ", KEEP, "NAIROBI —", id="blank-region"),
        pytest.param("", "Kenya", KEEP, "", id="empty-city"),
        pytest.param("  ", "Kenya", KEEP, "", id="blank-city"),
        pytest.param("Tokyo", "japan", KEEP, "TOKYO, japan —", id="region-kept-as-typed"),
        pytest.param("Tokyo", "Japan", AS_TYPED, "Tokyo, Japan —", id="no-uppercase"),
        pytest.param("Tokyo", "Japan", EN_DASH, "TOKYO, Japan –", id="custom-en-dash"),
        pytest.param("Tokyo", "Japan", SPACED_DASH, "TOKYO, Japan --", id="dash-trimmed"),
        pytest.param("Tokyo", "Japan", NO_DASH, "TOKYO, Japan", id="no-dash"),
    ],
)
def test_dateline_lead(city: str, region: str, style: DatelineStyle, expected: str) -> None:
    assert dateline_lead(city, region, style) == expected


@pytest.mark.parametrize(
    ("city", "region"),
    [("Tokyo,", ",Japan,"), (" , ", "Japan"), ("Lagos", ",,,"), ("Paris,,", ",, France ,,")],
)
def test_never_double_or_trailing_comma(city: str, region: str) -> None:
    for style in (KEEP, DROP, NO_DASH):
        lead = dateline_lead(city, region, style)
        assert ",," not in lead.replace(" ", "")
        assert not lead.removesuffix(style.dash.strip()).rstrip().endswith(",")


def test_city_list_file_is_parsed() -> None:
    assert len(STANDALONE) == 56  # 30 U.S. + 26 world cities; comments skipped
    assert "chicago" in STANDALONE and "st. louis" in STANDALONE
    assert not any(name.startswith("#") or not name for name in STANDALONE)


def test_parse_skips_comments_blanks_and_bom() -> None:
    text = "\ufeff# header\n\n  Chicago  \n#Tokyo\nLas   Vegas\r\nZÜRICH\n"
    assert parse_standalone_cities(text) == frozenset({"chicago", "las vegas", "zürich"})


@pytest.mark.parametrize("city", ["Chicago", "CHICAGO", " chicago ", "Las  Vegas", "new york"])
def test_is_standalone_true(city: str) -> None:
    assert is_standalone(city, KEEP)


@pytest.mark.parametrize("city", ["", "Chicagoland", "Saint Louis", "Zürich", "NYC", "Chi"])
def test_is_standalone_false(city: str) -> None:
    assert not is_standalone(city, KEEP)


def test_style_with_unfolded_names_still_matches() -> None:
    # SiteProfile may be built with names as written in the file, not folded.
    style = DatelineStyle(drop_region_for_standalone=True, standalone_cities=frozenset({"Chicago"}))
    assert is_standalone("CHICAGO", style)
    assert dateline_lead("chicago", "Illinois", style) == "CHICAGO —"


def test_default_style_has_no_standalone_cities() -> None:
    assert dateline_lead("Chicago", "Illinois", DatelineStyle()) == "CHICAGO, Illinois —"
