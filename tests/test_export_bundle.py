"""Export bundles end to end: formats valid, checksums right, CID and CAR round-trip."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest
import yaml
from test_export_support import (
    bundle_files,
    check_bundle,
    jsonld_of,
    ninjs_validator,
    parse_strict,
    stored_reference,
    stored_starter,
)

from desk import __version__
from desk.export import bundle as bundle_mod
from desk.export.bundle import ExportBlockedError, ExportError, ExportResult, export_article
from desk.model.article import Article, Dateline, Section, Status
from desk.model.validation import Level

JSONLD_KEYS = {
    "headline",
    "datePublished",
    "dateModified",
    "author",
    "image",
    "articleSection",
    "dateline",
    "keywords",
    "wordCount",
    "publisher",
    "mainEntityOfPage",
    "inLanguage",
}


@pytest.fixture(params=["starter", "reference"])
def stored(request, store):
    return stored_starter(store) if request.param == "starter" else stored_reference(store)


def test_bundle_is_valid_in_every_format(stored, store, profile, tmp_path):
    article: Article = stored
    result = export_article(article, profile, store, tmp_path / "out")
    assert isinstance(result, ExportResult)
    folder = tmp_path / "out" / article.slug
    assert result.folder == folder and result.zip_path is None
    assert sorted(p.name for p in folder.iterdir()) == [
        "article.json",
        "content",
        "index.html",
        "ipfs",
        "manifest.json",
    ]
    manifest = check_bundle(folder)
    assert manifest == result.manifest
    assert manifest["ipfs"]["cid"] == result.cid and manifest["ipfs"]["root"] == "content"
    assert manifest["tool"]["version"] == __version__
    assert manifest["article"] == {
        "id": article.id,
        "slug": article.slug,
        "status": article.status.value,
        "updated_at": article.updated_at.isoformat(),
    }
    assert (folder / "ipfs" / f"{article.slug}.car").is_file()

    # index.html: strict HTML5, JSON-LD with every required key, OG, canonical, IPFS link
    page = (folder / "index.html").read_text(encoding="utf-8")
    doc = parse_strict(page)
    [ld] = jsonld_of(doc)
    assert ld.keys() >= JSONLD_KEYS
    assert ld["@type"] == "NewsArticle" and ld["headline"] == article.headline
    assert ld["author"] == {"@type": "Person", "name": article.byline}
    assert ld["publisher"]["@type"] == "Organization" and ld["publisher"]["url"]
    canonical = profile.article_url(article.slug)
    assert ld["mainEntityOfPage"]["@id"] == canonical
    assert ld["datePublished"].startswith(article.published_date.isoformat() + "T00:00:00-0")
    assert ld["dateModified"][-6] in "+-"  # ISO 8601 with an offset
    assets = sorted(p.name for p in (folder / "content" / "assets").iterdir())
    assert sorted(u.rsplit("/", 1)[1] for u in ld["image"]) == assets
    assert all(u.startswith(canonical + "content/assets/") for u in ld["image"])
    [link] = [el for el in doc.iter("link") if el.get("rel") == "canonical"]
    assert link.get("href") == canonical
    og = {m.get("property"): m.get("content") for m in doc.iter("meta") if m.get("property")}
    assert og["og:type"] == "article" and og["og:url"] == canonical
    assert og["og:title"] == article.headline and og["article:section"] == article.category
    assert og["og:image"] in ld["image"]
    [ipfs] = [a for a in doc.iter("a") if a.get("class") == "ipfs-link"]
    assert ipfs.get("href") == f"ipfs://{result.cid}"
    [gateway] = [a for a in doc.iter("a") if a.get("class") == "ipfs-gateway"]
    assert gateway.get("href") == f"{profile.ipfs_gateway}{result.cid}/"
    srcs = [img.get("src") for img in doc.iter("img")]
    assert srcs and all(s.startswith("content/assets/") for s in srcs)
    assert all((folder / s).is_file() for s in srcs)

    # article.json: IPTC ninjs 3.1
    ninjs = json.loads((folder / "article.json").read_text(encoding="utf-8"))
    errors = sorted(ninjs_validator().iter_errors(ninjs), key=str)
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]
    assert ninjs["uri"] == canonical and ninjs["pubStatus"] == "usable"
    assert {"role": "ipfs:cid", "value": result.cid} in ninjs["altIds"]
    assert [b["contentType"] for b in ninjs["bodies"]] == ["text/html", "text/plain"]
    assert len(ninjs["associations"]) == len(article.images)

    # article.md: front matter Hugo/Jekyll read, assets by path
    md = (folder / "content" / "article.md").read_text(encoding="utf-8")
    _, front, body = md.split("---\n", 2)
    meta = yaml.safe_load(front)
    assert meta["title"] == article.headline and meta["slug"] == article.slug
    assert meta["categories"] == [article.category] and meta["tags"] == article.tags
    assert meta["dateline"] in ("TOKYO, Japan", "DENVER, Colorado")
    assert sorted(p.rsplit("/", 1)[1] for p in meta["images"]) == assets
    for path in meta["images"]:
        assert f"]({path})" in body
    for s in article.sections:
        if s.subheading:
            assert f"\n## {s.subheading}\n" in body


def test_reference_bundle_keeps_the_dateline_and_every_paragraph(store, profile, tmp_path):
    article = stored_reference(store)
    result = export_article(article, profile, store, tmp_path / "out")
    md = (result.folder / "content" / "article.md").read_text(encoding="utf-8")
    body = md.split("---\n", 2)[2]
    assert body.lstrip().startswith("TOKYO, Japan — Japan, and the United States")
    ninjs = json.loads((result.folder / "article.json").read_text(encoding="utf-8"))
    assert ninjs["located"] == "TOKYO, Japan"

    def plain(text: str) -> str:  # the typographer curls quotes; compare the words
        return " ".join(text.translate(str.maketrans("‘’“”", "''\"\"")).split())

    text = plain(ninjs["bodies"][1]["value"])
    for section in article.sections:
        for paragraph in section.body.split("\n\n"):
            assert plain(paragraph)[:40] in text


def test_export_is_deterministic_and_status_only_touches_ninjs(store, profile, tmp_path):
    article = stored_starter(store)
    one = export_article(article, profile, store, tmp_path / "one", make_zip=True)
    two = export_article(store.load(article.id), profile, store, tmp_path / "two", make_zip=True)
    assert one.cid == two.cid
    assert bundle_files(one.folder) == bundle_files(two.folder)
    assert one.zip_path and two.zip_path
    assert one.zip_path.read_bytes() == two.zip_path.read_bytes()

    store.set_status(article.id, Status.PUBLISHED)
    changed = store.load(article.id)
    assert changed.updated_at == article.updated_at  # a status change is not a content change
    three = export_article(changed, profile, store, tmp_path / "three")
    assert three.cid == one.cid
    a, b = bundle_files(one.folder), bundle_files(three.folder)
    same = [p for p in a if p not in ("article.json", "manifest.json")]
    assert "index.html" in same and "content/article.md" in same
    assert all(a[p] == b[p] for p in same)
    ninjs_a, ninjs_b = (json.loads(x["article.json"]) for x in (a, b))
    diff = {k for k in ninjs_a.keys() | ninjs_b.keys() if ninjs_a.get(k) != ninjs_b.get(k)}
    assert diff <= {"pubStatus", "version"}


def test_zip_is_reproducible_sorted_and_fixed(store, profile, tmp_path):
    article = stored_starter(store)
    result = export_article(article, profile, store, tmp_path / "out", make_zip=True)
    assert result.zip_path == tmp_path / "out" / f"{article.slug}.zip"
    files = bundle_files(result.folder)
    with zipfile.ZipFile(result.zip_path) as zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        assert names == sorted(names) == [f"{article.slug}/{p}" for p in sorted(files)]
        for info in infos:
            t = article.updated_at
            assert info.date_time == (*t.timetuple()[:5], t.second - t.second % 2)
            assert info.external_attr >> 16 == 0o100644
            assert zf.read(info) == files[info.filename.split("/", 1)[1]]


def test_failure_midway_leaves_nothing_and_keeps_the_old_bundle(
    store, profile, tmp_path, monkeypatch
):
    article = stored_starter(store)
    out = tmp_path / "out"

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    with monkeypatch.context() as m:
        m.setattr(bundle_mod, "write_car", broken)
        with pytest.raises(RuntimeError, match="disk on fire"):
            export_article(article, profile, store, out, make_zip=True)
    assert list(out.iterdir()) == []  # no bundle, no hidden temp folder

    old = export_article(article, profile, store, out, make_zip=True)
    before = bundle_files(old.folder)
    old_zip = old.zip_path.read_bytes()
    article.headline += " Updated"
    with monkeypatch.context() as m:
        m.setattr(bundle_mod, "write_car", broken)
        with pytest.raises(RuntimeError):
            export_article(article, profile, store, out, make_zip=True)
    assert sorted(p.name for p in out.iterdir()) == [article.slug, f"{article.slug}.zip"]
    assert bundle_files(old.folder) == before and old.zip_path.read_bytes() == old_zip


def test_failure_while_installing_rolls_back(store, profile, tmp_path, monkeypatch):
    from desk.export import atomic

    article = stored_starter(store, images=1)
    old = export_article(article, profile, store, tmp_path / "out", make_zip=True)
    before, old_zip = bundle_files(old.folder), old.zip_path.read_bytes()
    article.headline += " Again"

    def no_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", no_replace)
    with pytest.raises(OSError):
        export_article(article, profile, store, tmp_path / "out", make_zip=True)
    monkeypatch.undo()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        article.slug,
        f"{article.slug}.zip",
    ]
    assert bundle_files(old.folder) == before and old.zip_path.read_bytes() == old_zip

    new = export_article(article, profile, store, tmp_path / "out", make_zip=True)
    assert "Again" in (new.folder / "index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        article.slug,
        f"{article.slug}.zip",
    ]


def test_hostile_headline_cannot_escape_the_json_ld(store, profile, tmp_path):
    hostile = "</script><script>alert(1)</script> & <b>“Bold”</b>"
    article = stored_starter(store, images=1)
    article.headline = hostile
    article.tags.append("</script><!--")
    result = export_article(article, profile, store, tmp_path / "out")
    page = (result.folder / "index.html").read_text(encoding="utf-8")
    doc = parse_strict(page)
    scripts = list(doc.iter("script"))
    assert len(scripts) == 1
    [ld] = jsonld_of(doc)
    assert ld["headline"] == hostile and "</script><!--" in ld["keywords"]
    raw = scripts[0].text or ""
    assert "<" not in raw and ">" not in raw and "&" not in raw
    og = {m.get("property"): m.get("content") for m in doc.iter("meta") if m.get("property")}
    assert og["og:title"] == hostile
    md = (result.folder / "content" / "article.md").read_text(encoding="utf-8")
    assert yaml.safe_load(md.split("---\n", 2)[1])["title"] == hostile
    check_bundle(result.folder)


def test_checklist_errors_block_unless_forced(store, profile, tmp_path):
    article = stored_starter(store, images=1)
    article.images[0].alt = ""
    with pytest.raises(ExportBlockedError) as info:
        export_article(article, profile, store, tmp_path / "out")
    assert [f.field for f in info.value.findings] == [f"image:{article.images[0].id}"]
    assert not (tmp_path / "out").exists()  # refused before anything was written
    result = export_article(article, profile, store, tmp_path / "out", force=True)
    assert any(f.level is Level.ERROR for f in result.findings)
    assert result.manifest["checklist"][0]["level"] == "error"


def test_progress_snapshot_and_no_store(store, profile, tmp_path):
    article = stored_starter(store, images=3)
    calls: list[tuple[int, int, str]] = []
    export_article(article, profile, store, tmp_path / "out", progress=lambda *c: calls.append(c))
    done = [c[0] for c in calls]
    assert done == sorted(done) and calls[-1][0] == calls[-1][1] == calls[0][1]
    assert sum(c[2].startswith("Reading image") for c in calls) == 3
    assert store.revisions(article.id)[0].reason == "export"

    plain = Article(
        slug="plain-story",
        headline="Plain Story",
        dateline=Dateline("Boston"),
        category="Politics",
        byline="A. Writer",
        sections=[Section(body="Text.")],
        status=Status.APPROVED,
    )
    result = export_article(plain, profile, None, tmp_path / "out")
    check_bundle(result.folder)
    assert not (result.folder / "content" / "assets").exists()


def test_refuses_to_replace_what_it_did_not_make(store, profile, tmp_path):
    article = stored_starter(store, images=0)
    precious = tmp_path / "out" / article.slug
    precious.mkdir(parents=True)
    (precious / "thesis.txt").write_text("years of work")
    with pytest.raises(ExportError, match="not a Desk bundle"):
        export_article(article, profile, store, tmp_path / "out")
    assert (precious / "thesis.txt").read_text() == "years of work"
    assert sorted(os.listdir(tmp_path / "out")) == [article.slug]


def test_unsafe_slug_is_refused(store, profile, tmp_path):
    article = stored_starter(store, images=0)
    article.slug = "../escape"
    with pytest.raises(ExportError, match="cannot name a folder"):
        export_article(article, profile, None, tmp_path / "out", force=True)
    assert not (tmp_path / "escape").exists()


def test_damaged_blob_is_not_published(store, profile, tmp_path, monkeypatch):
    article = stored_starter(store, images=1)
    real = store.blob
    monkeypatch.setattr(store, "blob", lambda sha: real(sha)[:-1] + b"!")
    with pytest.raises(ExportError, match="do not match"):
        export_article(article, profile, store, tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []


def test_car_in_bundle_has_every_block_once(store, profile, tmp_path):
    from desk.export.ipfs import import_directory, read_car

    article = stored_starter(store)
    result = export_article(article, profile, store, tmp_path / "out")
    roots, blocks = read_car(result.folder / "ipfs" / f"{article.slug}.car")
    expected = import_directory(Path(result.folder / "content"))
    assert roots == [expected.root_cid] and set(blocks) == set(expected.blocks)
