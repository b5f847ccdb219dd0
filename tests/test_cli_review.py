"""``desk review send|open`` and ``desk history`` through the real ``main()``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import desk.cli
from desk.cli import main
from desk.cli.review import add_history, add_review
from desk.store.drafts import DraftStore


@pytest.fixture(autouse=True)
def registered(monkeypatch: pytest.MonkeyPatch) -> None:
    """Use the commands as ``desk.cli.export.REGISTER`` lists them, adding any missing."""
    from desk.cli import export as cli_export

    extra = list(cli_export.REGISTER)
    extra += [add for add in (add_review, add_history) if add not in extra]
    monkeypatch.setattr(desk.cli, "_extra_commands", lambda: extra)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def starter_id(db: Path, capsys: pytest.CaptureFixture[str]) -> str:
    code, out, _ = run(capsys, "--db", db, "list", "--json")
    assert code == 0
    return json.loads(out)[0]["id"]


def edit_section(db: Path, article_id: str, index: int, body: str) -> None:
    with DraftStore(db) as store:
        article = store.load(article_id)
        article.sections[index].body = body
        store.save(article)


def test_send_open_and_history(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    writer, editor = tmp_path / "writer.db", tmp_path / "editor.db"
    pkg = tmp_path / "story.deskreview"
    article_id = starter_id(writer, capsys)

    code, out, err = run(
        capsys, "--db", writer, "review", "send", article_id, "--out", pkg, "--as", "Wanda"
    )
    assert (code, err) == (0, "") and out.strip() == str(pkg) and pkg.is_file()

    code, out, err = run(
        capsys, "--db", editor, "review", "open", pkg, "--as", "Eddie", "--role", "editor"
    )
    assert code == 0, err
    assert out.splitlines()[0] == f"created  {article_id}"
    assert "from Wanda (writer)" in out

    code, out, _ = run(capsys, "--db", editor, "history", article_id)
    assert code == 0
    [line] = out.splitlines()
    rev_id, when, *rest = line.split("  ")
    assert (
        rev_id.isdigit() and when.startswith("20") and rest == ["imported review package", "Eddie"]
    )
    code, out, _ = run(capsys, "--db", writer, "history", article_id, "--json")
    [item] = json.loads(out)
    assert item["reason"] == "sent for review" and item["author"] == "Wanda"

    # Both sides change the same section: the writer's open reports the conflict.
    edit_section(editor, article_id, 1, "The editor's version of this section.")
    back = tmp_path / "back.deskreview"
    code, _, err = run(
        capsys,
        "--db",
        editor,
        "review",
        "send",
        article_id,
        "--out",
        back,
        "--as",
        "Eddie",
        "--role",
        "editor",
    )
    assert code == 0, err
    edit_section(writer, article_id, 1, "The writer's version of this section.")
    code, out, err = run(capsys, "--db", writer, "review", "open", back, "--as", "Wanda")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == f"merged  {article_id}"
    conflict = [ln for ln in lines if ln.startswith("conflict  section:")]
    assert len(conflict) == 1 and "your text kept" in conflict[0]
    assert "comments  0 added, 0 updated" in lines
    code, out, _ = run(capsys, "--db", writer, "history", article_id)
    reasons = [ln.split("  ")[2] for ln in out.splitlines()]
    assert reasons[:3] == [
        "merged review package from Eddie",
        "incoming from Eddie",
        "before import (local)",
    ]


def test_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    db = tmp_path / "desk.db"
    article_id = starter_id(db, capsys)
    junk = tmp_path / "junk.deskreview"
    junk.write_text("not a zip", encoding="utf-8")
    cases = [
        (["review", "open", junk], "not a Desk review package"),
        (["review", "open", tmp_path / "missing.deskreview"], "no such file"),
        (["review", "send", "no-such-draft", "--out", tmp_path / "x.deskreview"], "no draft"),
        (["review", "send", article_id, "--out", tmp_path], "is a folder"),
        (["review", "send", article_id, "--out", tmp_path / "no" / "dir.deskreview"], "cannot"),
        (["history", "no-such-draft"], "no draft"),
    ]
    for args, expected in cases:
        code, out, err = run(capsys, "--db", db, *args)
        assert code == 1 and out == "", args
        assert err.startswith("desk: ") and err.count("\n") == 1 and expected in err, err
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(db), "review", "send", article_id, "--out", "x", "--role", "boss"])
    assert exc.value.code == 2


def test_validate_warns_about_open_review_comments(tmp_path, capsys):
    from desk.cli import main
    from desk.model.annotation import make_annotation
    from desk.store.annotations import save_annotations
    from desk.store.drafts import DraftStore
    from desk.store.seed import ensure_starter

    db = tmp_path / "c.db"
    store = DraftStore(db)
    article = ensure_starter(store)
    body = article.sections[0].body
    start = body.index("online ledger")
    save_annotations(
        store,
        [
            make_annotation(
                article,
                f"section:{article.sections[0].id}",
                start,
                start + len("online ledger"),
                "Link it?",
                "Ed",
                "editor",
            )
        ],
    )
    store.close()
    assert main(["--db", str(db), "validate", article.id]) == 0
    out = capsys.readouterr().out
    assert "1 review comment is still open" in out
