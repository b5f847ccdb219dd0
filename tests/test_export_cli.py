"""``desk validate`` and ``desk export``: exit codes, output lines, the export snapshot."""

from __future__ import annotations

import json

from conftest import run_desk
from test_export_support import check_bundle

from desk.cli import main
from desk.model.article import Status
from desk.store.drafts import DraftStore


def _starter(db) -> tuple[str, str]:
    """A fresh database with the seeded starter; returns its id and slug."""
    assert main(["--db", str(db), "list", "--json"]) == 0
    with DraftStore(db) as store:
        [summary] = store.list_drafts()
        return summary.id, summary.slug


def test_validate_prints_findings_and_exits_by_severity(tmp_path, capsys):
    db = tmp_path / "d.db"
    article_id, slug = _starter(db)
    capsys.readouterr()
    assert main(["--db", str(db), "validate", slug]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == ["warning  status  The article is “Draft”, not approved."]

    with DraftStore(db) as store:
        article = store.load(article_id)
        article.category = "Gardening"
        store.save(article)
    assert main(["--db", str(db), "validate", article_id]) == 3
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split(None, 2)[:2] == ["error", "category"]
    assert all(line.split()[0] in ("error", "warning") for line in lines)


def test_export_refuses_blocked_then_forces(tmp_path, capsys):
    db = tmp_path / "d.db"
    article_id, slug = _starter(db)
    with DraftStore(db) as store:
        article = store.load(article_id)
        article.byline = ""
        article.dateline.city = ""
        store.save(article)
    capsys.readouterr()
    out = tmp_path / "out"
    assert main(["--db", str(db), "export", slug, "--out", str(out)]) == 3
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("desk: export refused: 1 blocking problem")
    assert err[1:] == ["error    dateline  Add the dateline city."]
    assert not out.exists()

    assert main(["--db", str(db), "export", slug, "--out", str(out), "--force", "--zip"]) == 0
    captured = capsys.readouterr()
    lines = dict(line.split(None, 1) for line in captured.out.splitlines())
    assert lines["folder"] == str(out / slug) and lines["zip"] == str(out / f"{slug}.zip")
    manifest = check_bundle(out / slug)
    assert manifest["ipfs"]["cid"] == lines["cid"]
    assert "error    dateline  Add the dateline city." in captured.err
    with DraftStore(db) as store:
        assert store.revisions(article_id)[0].reason == "export"


def test_export_in_a_real_process(tmp_path):
    db = tmp_path / "d.db"
    article_id, slug = _starter(db)
    with DraftStore(db) as store:
        store.set_status(article_id, Status.APPROVED)
    out = tmp_path / "out"
    done = run_desk("--db", str(db), "export", article_id, "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    ninjs = json.loads((out / slug / "article.json").read_text(encoding="utf-8"))
    assert ninjs["pubStatus"] == "usable"


def test_export_errors_are_one_line(tmp_path, capsys):
    db = tmp_path / "d.db"
    _, slug = _starter(db)
    blocker = tmp_path / "out" / slug
    blocker.mkdir(parents=True)
    capsys.readouterr()
    assert main(["--db", str(db), "export", slug, "--out", str(blocker.parent), "--force"]) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("desk: ") and "not a Desk bundle" in line
    assert main(["--db", str(db), "validate", "no-such-draft"]) == 1


def test_render_still_works(tmp_path, capsys):
    db = tmp_path / "d.db"
    _, slug = _starter(db)
    capsys.readouterr()
    assert main(["--db", str(db), "render", slug]) == 0
    assert capsys.readouterr().out.startswith("<!DOCTYPE html>")
