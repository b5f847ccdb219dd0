"""The single formats: front matter YAML, JSON-LD embedding, dates, Markdown body, ninjs."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
import yaml
from test_export_support import image_bytes, ninjs_validator

from desk.export.atomic import zip_timestamp
from desk.export.context import Asset, ExportContext, ExportError, asset_name, profile_zone
from desk.export.jsonld import head_extra, news_article, script_safe_json
from desk.export.markdown_out import article_markdown, dump_front_matter
from desk.export.ninjs import IpfsInfo, article_ninjs
from desk.model.article import Article, Dateline, Image, Section, Status

TRICKY = [
    'Breaking: "Quoted" words and more',
    "- leading dash",
    "key: value: another",
    "'single' and \"double\"",
    "# not a comment",
    "@handle and `ticks`",
    "yes",
    "null",
    "~",
    "1e3",
    "0o17",
    "2026",
    "2026-11-24",
    "true",
    "[not, a, list]",
    "{not: a map}",
    "*alias",
    "&anchor",
    "!tag",
    "% directive",
    "  padded  ",
    "Ünïcödé — “curly” ‘quotes’ 東京",
    "trailing colon:",
    "? question",
    "|",
    ">",
    "line\nbreak",
]


@pytest.mark.parametrize("text", TRICKY)
def test_front_matter_round_trips_any_string(text):
    data = {"title": text, "tags": [text], "categories": [text]}
    dumped = dump_front_matter(data)
    assert yaml.safe_load(dumped) == data
    # what YAML 1.2 readers (Hugo) would take for a number must be quoted
    if text in ("1e3", "0o17", "2026"):
        assert f"title: {text}\n" not in dumped


def _article(**kw) -> Article:
    base = dict(
        id="a" * 32,
        slug="harbor-vote",
        headline="Harbor Vote Passes",
        dateline=Dateline("Baltimore", "Maryland", date(2026, 7, 4)),
        category="Economy",
        byline="Jane Roe",
        standfirst="The port will be dredged.",
        tags=["ports"],
        sections=[
            Section(id="s1", body="The port authority voted 5-2."),
            Section(id="s2", subheading="Costs", body="It costs $40 million."),
        ],
        status=Status.IN_REVIEW,
        created_at=datetime(2026, 7, 1, 12, 0, tzinfo=UTC),
        updated_at=datetime(2026, 7, 3, 18, 30, 5, tzinfo=UTC),
        version=7,
    )
    base.update(kw)
    return Article(**base)


def _context(article: Article, profile, images: int = 0) -> ExportContext:
    assets = []
    for i in range(images):
        import hashlib

        data = image_bytes(f"fmt{i}", 1000)
        img = Image(
            id=f"i{i}",
            sha256=hashlib.sha256(data).hexdigest(),
            alt=f"Alt [{i}]",
            caption="A *caption*",
            credit="Photo: Desk",
            section_id="s2" if i else "",
        )
        article.images.append(img)
        assets.append(Asset(image=img, name=asset_name(img), data=data))
    return ExportContext(article, profile, tuple(assets))


def test_dates_carry_the_site_offset_across_daylight_saving(profile):
    summer = _context(_article(), profile)
    assert summer.published == "2026-07-04T00:00:00-04:00"
    assert summer.modified == "2026-07-03T14:30:05-04:00"
    winter = _context(
        _article(
            dateline=Dateline("Boston", "", date(2026, 1, 5)),
            updated_at=datetime(2026, 1, 5, 18, 0, tzinfo=UTC),
        ),
        profile,
    )
    assert winter.published == "2026-01-05T00:00:00-05:00"
    assert winter.modified == "2026-01-05T13:00:00-05:00"
    undated = _context(_article(dateline=Dateline("Boston")), profile)
    assert undated.published == "2026-07-01T00:00:00-04:00"  # creation date fallback


def test_unknown_time_zone_refuses_rather_than_guesses(profile):
    from dataclasses import replace

    with pytest.raises(ExportError, match="time zone"):
        profile_zone(replace(profile, timezone="Mars/Olympus_Mons"))


def test_json_ld_is_script_safe_and_complete(profile):
    ctx = _context(_article(headline="A </script> & <!-- trick", byline=""), profile, images=1)
    data = news_article(ctx)
    assert data["author"]["@type"] == "Organization"  # unsigned: the publisher is the author
    assert data["dateline"] == "BALTIMORE, Maryland"
    assert data["wordCount"] == 15  # standfirst 5 + subheading 1 + bodies 5 + 4
    assert data["image"] == [ctx.canonical_url + "content/assets/" + ctx.assets[0].name]
    text = script_safe_json(data)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == data
    assert "\\u2028" in script_safe_json({"x": "line\u2028sep"})
    head = head_extra(ctx)
    assert head.count("<script") == 1 and head.count("</script>") == 1
    assert 'content="A &lt;/script&gt; &amp; &lt;!-- trick"' in head


def test_markdown_body_sections_images_and_lead(profile):
    article = _article()
    article.sections[1].body += "\n\n![inline](desk-asset:" + "0" * 64 + ")"
    ctx = _context(article, profile, images=2)
    article.sections[1].body += f"\n\n![again](desk-asset:{ctx.assets[1].image.sha256})"
    md = article_markdown(ctx)
    _, front, body = md.split("---\n", 2)
    meta = yaml.safe_load(front)
    assert meta["date"] == "2026-07-04T00:00:00-04:00"
    assert meta["lastmod"] == "2026-07-03T14:30:05-04:00"
    assert meta["author"] == "Jane Roe" and meta["summary"] == "The port will be dredged."
    assert meta["images"] == [f"assets/{a.name}" for a in ctx.assets]
    assert meta["figures"][0]["alt"] == "Alt [0]"
    a0, a1 = (a.name for a in ctx.assets)
    assert body == (
        "\nBALTIMORE, Maryland — The port authority voted 5-2.\n\n"
        f"![Alt \\[0\\]](assets/{a0})\n*A \\*caption\\* Photo: Desk*\n\n"
        "## Costs\n\nIt costs $40 million.\n\n"
        "![inline](desk-asset:" + "0" * 64 + ")\n\n"
        # the text shows image 1 where it stands, so it is not repeated as a figure
        f"![again](assets/{a1})\n"
    )
    assert [f["src"] for f in meta["figures"]] == [f"assets/{a0}"]


@pytest.mark.parametrize(
    "first, expected",
    [
        ("- a list item", "BALTIMORE, Maryland —\n\n- a list item"),
        ("## A heading", "BALTIMORE, Maryland —\n\n## A heading"),
        ("-5 degrees overnight.", "BALTIMORE, Maryland — -5 degrees overnight."),
        ("", "BALTIMORE, Maryland —"),
    ],
)
def test_dateline_lead_only_runs_into_a_paragraph(profile, first, expected):
    article = _article(sections=[Section(id="s1", body=first)])
    body = article_markdown(_context(article, profile)).split("---\n", 2)[2]
    assert body.strip() == expected


def test_ninjs_minimal_item_validates_and_withholds_drafts(profile):
    validator = ninjs_validator()
    ctx = _context(_article(standfirst="", tags=[], byline=""), profile, images=1)
    asset = ctx.assets[0]
    ipfs = IpfsInfo(
        cid="bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
        cids_by_path={
            asset.content_path: "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e"
        },
        car_path="ipfs/harbor-vote.car",
        car_size=1234,
        markdown_size=99,
    )
    doc = article_ninjs(ctx, body_html="<p>x</p>", body_text="x y", ipfs=ipfs)
    assert not list(validator.iter_errors(doc))
    assert doc["pubStatus"] == "withheld" and doc["version"] == "7"
    assert "by" not in doc and "descriptions" not in doc
    # The article's word count (subheading 1 + bodies 5 + 4), as the status bar gives it.
    assert [b["wordCount"] for b in doc["bodies"]] == [10, 10]
    assert doc["bodies"][1]["charCount"] == 3
    [assoc] = doc["associations"]
    assert assoc["uri"].startswith("ipfs://bafkrei") and assoc["type"] == "picture"
    assert {r["name"] for r in assoc["renditions"]} == {"original", "ipfs"}
    ctx.article.status = Status.PUBLISHED
    assert article_ninjs(ctx, body_html="", body_text="", ipfs=ipfs)["pubStatus"] == "usable"
    # the schema really is strict: an invented property is rejected
    assert list(validator.iter_errors({**doc, "ipfsCid": ipfs.cid}))


def test_zip_timestamp_uses_the_article_time_and_clamps():
    assert zip_timestamp(datetime(2026, 7, 3, 18, 30, 5, tzinfo=UTC)) == (2026, 7, 3, 18, 30, 4)
    assert zip_timestamp(datetime(1970, 1, 1, tzinfo=UTC)) == (1980, 1, 1, 0, 0, 0)
