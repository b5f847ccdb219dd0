"""Review packages: the layout written, and every way a hostile package is refused.

Each refusal must leave the receiving store exactly as it was, which is
checked against a dump of every table, not just the articles.
"""

from __future__ import annotations

import hashlib
import json
import stat
import struct
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from desk.model.annotation import annotations_from_jsonld, make_annotation
from desk.model.article import Image, Status, article_from_dict
from desk.review import package_read
from desk.review.package import (
    BASE_KEY,
    PackageError,
    open_review_package,
    read_review_package,
    send_for_review,
)
from desk.store.annotations import load_annotations, save_annotations
from desk.store.drafts import DraftStore
from desk.store.seed import starter_article

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
SHA = hashlib.sha256(PNG).hexdigest()
MIB = 1024 * 1024
Members = list[tuple[zipfile.ZipInfo | str, bytes]]


def dump(store: DraftStore) -> dict[str, list[str]]:
    """Every row of every table, so any write at all shows up."""
    names = [
        r[0]
        for r in store.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {n: sorted(map(repr, store.conn.execute(f'SELECT * FROM "{n}"'))) for n in names}


@pytest.fixture(scope="module")
def sender(tmp_path_factory: pytest.TempPathFactory):
    """Built once for the module; tests must not change it."""
    s = DraftStore(tmp_path_factory.mktemp("writer") / "writer.db")
    article = s.create(starter_article("Wanda Writer"))
    s.add_blob(PNG, "image/png")
    article.images.append(Image(sha256=SHA, filename="chart.png", media_type="image/png"))
    s.save(article)
    body = article.sections[0].body
    i = body.index("online ledger")
    note = make_annotation(
        article, f"section:{article.sections[0].id}", i, i + 13, "Link it?", "Wanda", "writer"
    )
    save_annotations(s, [note])
    s.set_status(article.id, Status.IN_REVIEW, who="Wanda")
    yield s
    s.close()


@pytest.fixture(scope="module")
def package(sender: DraftStore, tmp_path_factory: pytest.TempPathFactory) -> Path:
    [draft] = sender.list_drafts()
    tmp_path = tmp_path_factory.mktemp("package")
    return send_for_review(
        sender, draft.id, tmp_path / "story.deskreview", author="Wanda", role="writer"
    )


@pytest.fixture
def receiver(tmp_path: Path, package: Path):
    """An editor's store that already has the article (the merge path) and another draft."""
    s = DraftStore(tmp_path / "editor.db")
    s.create(starter_article("Someone Else"))
    open_review_package(s, package, author="Eddie", role="editor")
    yield s
    s.close()


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def write_zip(path: Path, items: Members, method: int = zipfile.ZIP_DEFLATED) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are the point of one case
        with zipfile.ZipFile(path, "w", method) as zf:
            for info, data in items:
                zf.writestr(info, data)
    return path


def file_info(name: str, mode: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = mode << 16
    return info


def edit_json(name: str, change: Callable[[dict], object]) -> Callable[[dict], Members]:
    def edit(m: dict[str, bytes]) -> Members:
        doc = json.loads(m[name])
        result = change(doc)
        m[name] = json.dumps(doc if result is None else result).encode()
        return list(m.items())

    return edit


def replace_member(name: str, data: bytes) -> Callable[[dict], Members]:
    return lambda m: list({**m, name: data}.items())


def plus(*extra: tuple[zipfile.ZipInfo | str, bytes]) -> Callable[[dict], Members]:
    return lambda m: [*m.items(), *extra]


HOSTILE: dict[str, tuple[Callable[[dict], Members], str]] = {
    "dot-dot": (plus(("images/../../evil.sh", b"x")), "outside the package"),
    "absolute": (plus(("/etc/cron.d/evil", b"x")), "absolute path"),
    "drive letter": (plus(("C:/evil.json", b"x")), "absolute path"),
    "backslash": (plus(("images\\..\\evil", b"x")), "backslash"),
    "symlink": (plus((file_info(f"images/{'0' * 64}", stat.S_IFLNK | 0o777), b"/etc")), "link"),
    "folder entry": (plus((file_info("images/", stat.S_IFDIR | 0o755), b"")), "folder"),
    "folder posing as file": (
        lambda m: [
            (file_info(n, stat.S_IFDIR | 0o755) if n == "article.json" else n, d)
            for n, d in m.items()
        ],
        "folder",
    ),
    "fifo": (plus((file_info(f"images/{'1' * 64}", stat.S_IFIFO | 0o644), b"")), "regular"),
    "duplicate": (lambda m: [*m.items(), ("article.json", m["article.json"])], "more than once"),
    "unexpected": (plus(("notes.txt", b"hi")), "unexpected member"),
    "empty segment": (plus(("images//x", b"x")), "path segment"),
    "missing member": (lambda m: [(n, d) for n, d in m.items() if n != "article.json"], "missing"),
    "bomb ratio": (
        replace_member("article.json", b"{" + b" " * (3 * MIB) + b"}"),
        "expands suspiciously",
    ),
    "not json": (replace_member("article.json", b"{not json"), "not valid JSON"),
    "not utf-8": (replace_member("article.json", b'{"a": "\xff"}'), "not UTF-8"),
    "NaN": (replace_member("status_history.json", b"[NaN]"), "not valid JSON"),
    "deep nesting": (replace_member("annotations.jsonld", b"[" * 200_000), "nested too deeply"),
    "article is a list": (replace_member("article.json", b"[]"), "article.json"),
    "wrong format": (edit_json("package.json", lambda d: d.update(format="zip")), "Desk review"),
    "newer version": (edit_json("package.json", lambda d: d.update(version=2)), "newer Desk"),
    "version is text": (edit_json("package.json", lambda d: d.update(version="1")), "version"),
    "sender role": (
        edit_json("package.json", lambda d: d["sender"].update(role="admin")),
        "role",
    ),
    "sender name lines": (
        edit_json("package.json", lambda d: d["sender"].update(name="Ed\nmerged OK")),
        "one line",
    ),
    "base is junk": (edit_json("package.json", lambda d: d.update(base_revision=[1])), "base"),
    "other article": (edit_json("article.json", lambda d: d.update(id="f" * 32)), "another"),
    "slug escapes": (edit_json("article.json", lambda d: d.update(slug="../../x")), "slug"),
    "site escapes": (edit_json("article.json", lambda d: d.update(site="../../etc")), "site"),
    "bad status": (edit_json("article.json", lambda d: d.update(status="gone")), "status"),
    "sections not objects": (edit_json("article.json", lambda d: d.update(sections=[1])), "json"),
    "duplicate section ids": (
        edit_json("article.json", lambda d: d["sections"].append(dict(d["sections"][0]))),
        "share one id",
    ),
    "annotations object": (replace_member("annotations.jsonld", b"{}"), "annotations.jsonld"),
    "selector type unhashable": (
        edit_json("annotations.jsonld", lambda d: d[0]["target"].update(selector=[{"type": []}])),
        "annotations.jsonld",
    ),
    "annotation elsewhere": (
        lambda m: list(
            {
                **m,
                "annotations.jsonld": m["annotations.jsonld"].replace(
                    json.loads(m["package.json"])["article_id"].encode(), b"f" * 32
                ),
            }.items()
        ),
        "another article",
    ),
    "history not a list": (replace_member("status_history.json", b"{}"), "not a list"),
    "history bad status": (
        replace_member("status_history.json", b'[{"status": "x", "who": "a", "at": "2026"}]'),
        "unknown status",
    ),
    "history bad time": (
        replace_member("status_history.json", b'[{"status": "draft", "who": "a", "at": 5}]'),
        "timestamp",
    ),
    "image hash mismatch": (replace_member(f"images/{SHA}", PNG + b"!"), "hash does not match"),
    "image unused": (
        plus((f"images/{hashlib.sha256(b'x').hexdigest()}", b"x")),
        "not used",
    ),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_package_is_refused_and_nothing_is_written(
    case: str, package: Path, receiver: DraftStore, tmp_path: Path
):
    build, expected = HOSTILE[case]
    bad = write_zip(tmp_path / "bad.deskreview", build(members(package)))
    before = dump(receiver)
    with pytest.raises(PackageError) as err:
        open_review_package(receiver, bad, author="Eddie", role="editor")
    message = str(err.value)
    assert "\n" not in message and expected.lower() in message.lower(), message
    assert dump(receiver) == before


def _refused(store: DraftStore, path: Path, expected: str) -> None:
    before = dump(store)
    with pytest.raises(PackageError) as err:
        open_review_package(store, path, author="Eddie", role="editor")
    assert "\n" not in str(err.value) and expected in str(err.value), str(err.value)
    assert dump(store) == before


def test_huge_compressible_member_is_refused_by_its_size(
    package: Path, receiver: DraftStore, tmp_path: Path
):
    bad = tmp_path / "huge.deskreview"
    with zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members(package).items():
            zf.writestr(name, data)
        with zf.open(f"images/{'a' * 64}", "w", force_zip64=True) as fh:
            chunk = bytes(MIB)
            for _ in range(65):  # 65 MiB of zeros, about 65 KiB compressed
                fh.write(chunk)
    assert bad.stat().st_size < 2 * MIB
    _refused(receiver, bad, "too large")


def _patch_size(path: Path, name: str, size: int) -> None:
    """Make the central directory lie about a member's uncompressed size."""
    with zipfile.ZipFile(path) as zf:
        at = zf.start_dir
    raw = bytearray(path.read_bytes())
    while raw[at : at + 4] == b"PK\x01\x02":
        n, extra, comment = struct.unpack_from("<HHH", raw, at + 28)
        if raw[at + 46 : at + 46 + n] == name.encode():
            struct.pack_into("<I", raw, at + 24, size)
            path.write_bytes(bytes(raw))
            return
        at += 46 + n + extra + comment
    raise AssertionError(f"{name} not in {path}")


@pytest.mark.parametrize(("size", "expected"), [(5, "damaged"), (2**31, "too large")])
def test_member_lying_about_its_size(
    size: int, expected: str, package: Path, receiver: DraftStore, tmp_path: Path
):
    bad = write_zip(tmp_path / "lying.deskreview", list(members(package).items()))
    _patch_size(bad, "article.json", size)
    _refused(receiver, bad, expected)


def test_total_size_and_compression_method_limits(
    package: Path, receiver: DraftStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    bz = write_zip(tmp_path / "bz.deskreview", list(members(package).items()), zipfile.ZIP_BZIP2)
    _refused(receiver, bz, "unsupported compression")
    monkeypatch.setattr(package_read, "MAX_TOTAL", 1000)
    _refused(receiver, package, "exceed")


@pytest.mark.parametrize(
    ("content", "expected"),
    [(b"just some text\n", "not a Desk review package"), (b"", "not a Desk review package")],
)
def test_not_a_zip(content: bytes, expected: str, receiver: DraftStore, tmp_path: Path):
    path = tmp_path / "notes.deskreview"
    path.write_bytes(content)
    _refused(receiver, path, expected)
    _refused(receiver, tmp_path / "nowhere.deskreview", "no such file")
    _refused(receiver, tmp_path, "folder")


def test_ids_of_another_draft_are_refused(package: Path, tmp_path: Path):
    """Writing them would move the other draft's section or comment to this one."""
    with DraftStore(tmp_path / "third.db") as store:
        other = store.create(starter_article())
        doc = json.loads(members(package)["article.json"])
        doc["sections"][0]["id"] = other.sections[0].id
        bad = write_zip(
            tmp_path / "clash.deskreview",
            list({**members(package), "article.json": json.dumps(doc).encode()}.items()),
        )
        _refused(store, bad, "another draft")


def test_fresh_store_stays_empty_on_refusal(package: Path, tmp_path: Path):
    with DraftStore(tmp_path / "fresh.db") as store:
        m = members(package)
        bad = write_zip(tmp_path / "bad.deskreview", HOSTILE["image hash mismatch"][0](m))
        _refused(store, bad, "hash")
        no_image = [(n, d) for n, d in m.items() if not n.startswith("images/")]
        _refused(store, write_zip(tmp_path / "no-image.deskreview", no_image), "chart.png")
        assert store.count() == 0


# --- what a good package holds, and what sending and opening record -------------------


def test_layout_and_what_the_sender_remembers(sender: DraftStore, package: Path):
    m = members(package)
    assert sorted(m) == sorted(
        [
            "package.json",
            "article.json",
            "annotations.jsonld",
            "status_history.json",
            f"images/{SHA}",
        ]
    )
    manifest = json.loads(m["package.json"])
    article = json.loads(m["article.json"])
    assert manifest["format"] == "desk.review-package" and manifest["version"] == 1
    assert manifest["sender"] == {"name": "Wanda", "role": "writer"}
    assert manifest["article_id"] == article["id"]
    assert manifest["base_revision"] == article  # a first send: the receiver starts here
    assert m[f"images/{SHA}"] == PNG
    [note] = annotations_from_jsonld(json.loads(m["annotations.jsonld"]))
    assert note.body == "Link it?"
    assert [r["status"] for r in json.loads(m["status_history.json"])] == ["in_review"]
    assert json.loads(sender.get_meta(BASE_KEY.format(article["id"]))) == article
    assert sender.revisions(article["id"])[0].reason == "sent for review"
    assert [p.name for p in package.parent.iterdir() if p.name.startswith(".")] == []
    with zipfile.ZipFile(package) as zf:
        assert all(i.external_attr >> 16 == 0o100644 for i in zf.infolist())


def test_second_send_is_based_on_the_first(tmp_path: Path):
    with DraftStore(tmp_path / "own.db") as store:
        article = store.create(starter_article())
        out = tmp_path / "story.deskreview"
        first = json.loads(
            members(send_for_review(store, article.id, out, author="W", role="writer"))[
                "article.json"
            ]
        )
        article = store.load(article.id)
        article.headline = "Changed after sending"
        store.save(article)
        again = send_for_review(store, article.id, out, author="W", role="writer")
        manifest = json.loads(members(again)["package.json"])
        assert manifest["base_revision"] == first
        assert json.loads(members(again)["article.json"])["headline"] == "Changed after sending"


def test_opening_creates_the_article_with_everything(package: Path, tmp_path: Path):
    with DraftStore(tmp_path / "new.db") as store:
        report = open_review_package(store, package, author="Eddie", role="editor")
        sent = article_from_dict(json.loads(members(package)["article.json"]))
        assert report.created and report.article_id == sent.id
        got = store.load(sent.id)
        assert [s.body for s in got.sections] == [s.body for s in sent.sections]
        assert got.status == Status.IN_REVIEW and store.blob(SHA) == PNG
        [note] = load_annotations(store, sent.id)
        assert note.quote.exact == "online ledger" and not note.orphaned
        assert [r[0] for r in store.status_history(sent.id)] == ["in_review"]
        assert store.revisions(sent.id)[0].reason == "imported review package"
        # Opening the same file again changes nothing.
        before = dump(store)
        again = open_review_package(store, package, author="Eddie", role="editor")
        assert not again.created and "Nothing new" in again.message
        assert dump(store) == before


def test_read_review_package_writes_nothing_and_returns_contents(package: Path):
    pkg = read_review_package(package)
    assert pkg.sender == "Wanda" and pkg.images == {SHA: PNG}
    assert pkg.base is not None and pkg.base.id == pkg.article.id
