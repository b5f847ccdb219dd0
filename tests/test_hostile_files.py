"""Output files under attack or fault (issue 12, items 11-13).

``render --out`` must not write through a planted symlink nor leave temp
files behind; ``export --zip`` replaces only a zip Desk wrote (or with
``--force``); temp folders of killed exports are cleaned at the next export.
"""

from __future__ import annotations

import json
import os
import time
import zipfile
from pathlib import Path

import pytest
from hostile_fs import tmpfs

from desk.cli import main
from desk.model.article import Status
from desk.store.drafts import DraftStore

HOUR = 3600


def approved_starter(db: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """A fresh database whose starter passes the checklist; returns its slug."""
    assert main(["--db", str(db), "list", "--json"]) == 0
    [item] = json.loads(capsys.readouterr().out)
    with DraftStore(db) as store:
        store.set_status(item["id"], Status.APPROVED)
    return item["slug"]


def one_line(capsys: pytest.CaptureFixture[str], *words: str) -> str:
    err = capsys.readouterr().err
    [line] = err.splitlines()
    assert line.startswith("desk: ")
    for word in words:
        assert word in line, line
    return line


def test_render_does_not_write_through_a_planted_symlink(tmp_path, capsys) -> None:
    """Before the fix ``render`` wrote to ``.page.html.tmp``, following a link planted there."""
    db = tmp_path / "d.db"
    slug = approved_starter(db, capsys)
    out_dir = tmp_path / "site"
    out_dir.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    (out_dir / ".page.html.tmp").symlink_to(victim)
    page = out_dir / "page.html"

    assert main(["--db", str(db), "render", slug, "--out", str(page)]) == 0
    assert victim.read_text(encoding="utf-8") == "precious"
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not page.is_symlink() and page.stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in out_dir.iterdir()) == [".page.html.tmp", "page.html"]


def test_render_replaces_a_symlink_at_the_target_instead_of_following_it(tmp_path, capsys) -> None:
    db = tmp_path / "d.db"
    slug = approved_starter(db, capsys)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    page = tmp_path / "page.html"
    page.symlink_to(victim)
    assert main(["--db", str(db), "render", slug, "--out", str(page)]) == 0
    assert victim.read_text(encoding="utf-8") == "precious"
    assert not page.is_symlink() and "DENVER" in page.read_text(encoding="utf-8")


def test_failed_render_into_a_folder_leaves_nothing_behind(tmp_path, capsys) -> None:
    """Before the fix the temp file stayed beside the folder after the rename failed."""
    db = tmp_path / "d.db"
    slug = approved_starter(db, capsys)
    parent = tmp_path / "site"
    (parent / "page.html").mkdir(parents=True)
    assert main(["--db", str(db), "render", slug, "--out", str(parent / "page.html")]) == 1
    one_line(capsys, "page.html", "cannot write")
    assert [p.name for p in parent.iterdir()] == ["page.html"]
    assert list((parent / "page.html").iterdir()) == []


def test_render_onto_a_full_disk_keeps_the_old_page_and_no_temp(tmp_path, capsys) -> None:
    """A tmpfs of 8 KiB: the 20 KB page cannot fit; the old page and nothing else remain."""
    db = tmp_path / "d.db"
    slug = approved_starter(db, capsys)
    with tmpfs(tmp_path / "full", "8k") as disk:
        page = disk / "page.html"
        page.write_text("old page", encoding="utf-8")
        assert main(["--db", str(db), "render", slug, "--out", str(page)]) == 1
        one_line(capsys, "page.html", "cannot write", "No space left")
        assert page.read_text(encoding="utf-8") == "old page"
        assert [p.name for p in disk.iterdir()] == ["page.html"]


def test_export_zip_does_not_replace_a_foreign_zip(tmp_path, capsys) -> None:
    """Before the fix ``--zip`` silently replaced any ``<slug>.zip`` in the folder."""
    db = tmp_path / "d.db"
    slug = approved_starter(db, capsys)
    out = tmp_path / "out"
    out.mkdir()
    foreign = out / f"{slug}.zip"
    foreign.write_bytes(b"holiday photos, not a bundle")

    assert main(["--db", str(db), "export", slug, "--out", str(out), "--zip"]) == 1
    one_line(capsys, f"{slug}.zip", "not a Desk bundle zip", "--force")
    assert foreign.read_bytes() == b"holiday photos, not a bundle"
    assert sorted(p.name for p in out.iterdir()) == [f"{slug}.zip"]  # no half-made bundle

    assert main(["--db", str(db), "export", slug, "--out", str(out), "--zip", "--force"]) == 0
    with zipfile.ZipFile(foreign) as zf:
        assert f"{slug}/manifest.json" in zf.namelist()


def test_export_zip_replaces_its_own_zip(tmp_path, capsys) -> None:
    db = tmp_path / "d.db"
    slug = approved_starter(db, capsys)
    out = tmp_path / "out"
    assert main(["--db", str(db), "export", slug, "--out", str(out), "--zip"]) == 0
    first = (out / f"{slug}.zip").read_bytes()
    assert main(["--db", str(db), "export", slug, "--out", str(out), "--zip"]) == 0
    assert (out / f"{slug}.zip").read_bytes() == first


def test_export_zip_refuses_a_zip_that_is_a_foreign_zip_with_other_members(
    tmp_path, capsys
) -> None:
    """A real zip of someone else's: still foreign, still kept."""
    db = tmp_path / "d.db"
    slug = approved_starter(db, capsys)
    out = tmp_path / "out"
    out.mkdir()
    foreign = out / f"{slug}.zip"
    with zipfile.ZipFile(foreign, "w") as zf:
        zf.writestr(f"{slug}/manifest.json", '{"format": "something-else"}')
    before = foreign.read_bytes()
    assert main(["--db", str(db), "export", slug, "--out", str(out), "--zip"]) == 1
    one_line(capsys, "not a Desk bundle zip")
    assert foreign.read_bytes() == before


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then), follow_symlinks=False)


def test_export_cleans_stale_temp_folders_of_killed_exports(tmp_path, capsys) -> None:
    """Before the fix ``.<slug>.tmp-*`` of killed exports stayed forever."""
    db = tmp_path / "d.db"
    slug = approved_starter(db, capsys)
    out = tmp_path / "out"
    out.mkdir()
    stale = out / f".{slug}.tmp-ab3de_9h"
    (stale / "content").mkdir(parents=True)
    (stale / "index.html").write_text("half", encoding="utf-8")
    _age(stale, HOUR)
    stale_zip = out / f".{slug}.zip.tmp-q1w2e3r4"
    stale_zip.write_bytes(b"PK half")
    _age(stale_zip, HOUR)
    other_slug = out / ".other-story.tmp-zz99yy88"
    (other_slug / "ipfs").mkdir(parents=True)
    _age(other_slug, HOUR)
    # Kept: a running export's folder, a folder with things Desk never writes,
    # and a moved-aside old bundle (after a kill it may be the only copy).
    running = out / f".{slug}.tmp-running1"
    running.mkdir()
    foreign = out / f".{slug}.tmp-notmine1"
    foreign.mkdir()
    (foreign / "diary.txt").write_text("mine", encoding="utf-8")
    _age(foreign, HOUR)
    backup = out / f".{slug}.old-abcdefgh"
    (backup / "content").mkdir(parents=True)
    _age(backup, HOUR)

    assert main(["--db", str(db), "export", slug, "--out", str(out), "--zip"]) == 0
    left = sorted(p.name for p in out.iterdir())
    assert left == sorted([slug, f"{slug}.zip", running.name, foreign.name, backup.name])
    assert (foreign / "diary.txt").read_text(encoding="utf-8") == "mine"


def test_export_dialog_keeps_a_foreign_zip_and_says_why(make_window, qtbot, tmp_path) -> None:
    """The app's export: the same rule, told in the dialog's status line."""
    from desk.ui.dialogs.export_dialog import ExportDialog

    w = make_window()
    article = w.session.article
    foreign = tmp_path / f"{article.slug}.zip"
    foreign.write_bytes(b"someone else's zip")
    dialog = ExportDialog(article, w.profile, w.store, 0, str(tmp_path), w)
    qtbot.addWidget(dialog)
    dialog.zip.setChecked(True)
    assert dialog.export() is False
    assert "not a Desk bundle zip" in dialog.status.text()
    assert foreign.read_bytes() == b"someone else's zip"
    assert not (tmp_path / article.slug).exists()
