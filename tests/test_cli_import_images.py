"""`desk import` takes a story's images along; `validate` and `export` judge images in text."""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from pathlib import Path

from desk.cli import main
from desk.export.context import asset_name
from desk.model.article import Image
from desk.store.drafts import DraftStore


def png(width: int, height: int, rgb: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A real PNG, built by hand so the CLI tests need no Qt."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


STORY = (
    "---\ntitle: Bike Lanes Open Downtown\ndate: 2026-05-04\ncategories: [Politics]\n"
    "author: Jane Roe\ndateline: DENVER, Colorado\nsummary: Lanes open Monday.\n"
    "image:\n  src: lead.png\n  alt: Riders at dawn\n  caption: The first morning\n---\n"
    'The lanes opened at six.\n\n![A red bike](pics/bike.png "Bike")\n\n'
    "## Next\n\nMore lanes follow.\n\n![](missing.png)\n"
)


def import_story(tmp_path: Path, capsys) -> tuple[Path, str, bytes, bytes, str]:
    (tmp_path / "pics").mkdir()
    lead, bike = png(30, 20), png(900, 10, (10, 120, 10))
    (tmp_path / "lead.png").write_bytes(lead)
    (tmp_path / "pics" / "bike.png").write_bytes(bike)
    (tmp_path / "story.md").write_text(STORY, encoding="utf-8")
    db = tmp_path / "d.db"
    assert main(["--db", str(db), "import", str(tmp_path / "story.md")]) == 0
    captured = capsys.readouterr()
    return db, captured.out.strip(), lead, bike, captured.err


def test_import_copies_images_into_the_store_and_reports_missing_ones(tmp_path, capsys):
    db, article_id, lead, bike, err = import_story(tmp_path, capsys)
    assert err.splitlines() == [
        f"desk: import: image missing.png not imported: no such file in {tmp_path}"
    ]
    lead_sha, bike_sha = (hashlib.sha256(b).hexdigest() for b in (lead, bike))
    with DraftStore(db) as store:
        article = store.load(article_id)
        assert store.blob(lead_sha) == lead and store.blob(bike_sha) == bike
    first, second = article.sections
    assert [(i.filename, i.sha256, i.alt, i.caption, i.section_id) for i in article.images] == [
        ("lead.png", lead_sha, "Riders at dawn", "The first morning", first.id),
        ("bike.png", bike_sha, "A red bike", "", first.id),
    ]
    assert f'![A red bike](desk-asset:{bike_sha} "Bike")' in first.body
    assert "pics/bike.png" not in first.body
    assert second.body.endswith("![](missing.png)")  # kept, and the checklist blocks it

    assert main(["--db", str(db), "validate", article_id]) == 3
    out = capsys.readouterr().out
    assert "“missing.png” in the text is a file on this computer" in out
    assert "image “missing.png” has no alt text" in out


def test_export_ships_images_in_the_text_once(tmp_path, capsys):
    db, article_id, _lead, bike, _err = import_story(tmp_path, capsys)
    with DraftStore(db) as store:
        article = store.load(article_id)
        article.sections[1].body = "More lanes follow."
        store.save(article)
    out = tmp_path / "out"
    assert main(["--db", str(db), "export", article_id, "--out", str(out), "--force"]) == 0
    capsys.readouterr()
    [bundle] = out.iterdir()
    name = asset_name(Image(sha256=hashlib.sha256(bike).hexdigest(), media_type="image/png"))
    assert (bundle / "content" / "assets" / name).read_bytes() == bike
    page = (bundle / "index.html").read_text(encoding="utf-8")
    # in the text where the writer put it, not again as a figure
    assert page.count(f'src="content/assets/{name}"') == 1
    assert f'<img src="content/assets/{name}" alt="A red bike" title="Bike" />' in page
    markdown = (bundle / "content" / "article.md").read_text(encoding="utf-8")
    assert f'![A red bike](assets/{name} "Bike")' in markdown
    manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
    assert f"content/assets/{name}" in {f["path"] for f in manifest["files"]}
