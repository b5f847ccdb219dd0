"""The command line as a newcomer meets it: help, searching, signing packages, importing."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_desk

from desk.cli import main


def test_help_is_plain_words_and_says_desk_alone_opens_the_window():
    done = run_desk("--help")
    out = done.stdout.decode()
    assert done.returncode == 0
    assert "``" not in out and "**" not in out
    assert "Run desk with no command to open the Desk window" in " ".join(out.split())


def test_search_without_a_hit_says_so(capsys):
    assert main(["search", "no-such-word-anywhere"]) == 0
    out, err = capsys.readouterr()
    assert out == ""  # stdout stays one draft a line, for scripts
    assert err == "desk: no draft matches “no-such-word-anywhere”\n"
    assert main(["search", "no-such-word", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_review_send_signs_with_the_name_from_preferences(tmp_path: Path):
    from desk.ui.settings import Preferences, open_settings, save_preferences

    # Preferences saved the way the window saves them: QSettings' own INI format.
    save_preferences(open_settings(), Preferences(writer_name="José Álvarez, Jr.", role="editor"))
    db, pkg = tmp_path / "w.db", tmp_path / "story.deskreview"
    listed = run_desk("--db", str(db), "list", "--json")
    article_id = json.loads(listed.stdout)[0]["id"]
    sent = run_desk("--db", str(db), "review", "send", article_id, "--out", str(pkg))
    assert sent.returncode == 0, sent.stderr
    history = run_desk("--db", str(db), "history", article_id, "--json")
    [revision] = json.loads(history.stdout)
    assert revision["author"] == "José Álvarez, Jr."
    opened = run_desk("--db", str(tmp_path / "e.db"), "review", "open", str(pkg), "--as", "Eve")
    assert "from José Álvarez, Jr. (editor)" in opened.stdout.decode()


def _import(tmp_path: Path, text: str) -> tuple[int, str, str]:
    md = tmp_path / "story.md"
    md.write_text(text, encoding="utf-8")
    done = run_desk("import", str(md))
    return done.returncode, done.stdout.decode().strip(), done.stderr.decode()


def _show(article_id: str) -> dict:
    return json.loads(run_desk("show", article_id, "--json").stdout)


def test_import_reports_what_it_drops_maps_the_category_and_splits_tags(tmp_path: Path):
    code, article_id, err = _import(
        tmp_path,
        "---\ntitle: Port Plan Approved\ncategories: [economy, World]\n"
        'tags: ["ports, shipping", rail]\nweight: 3\n---\n'
        "# Port Plan Wins Approval\n\nThe port authority voted 5-2.\n",
    )
    assert code == 0, err
    md = tmp_path / "story.md"
    assert err.splitlines() == [
        f"desk: {md}: front matter weight: not a draft field; dropped",
        f"desk: {md}: “# Port Plan Wins Approval”: dropped; the front matter's title is the "
        "headline",
        f"desk: {md}: categories: a draft has one; kept “economy”, dropped “World”",
        f"desk: {md}: category “economy” filed as the site's “Economy”",
    ]
    doc = _show(article_id)
    assert doc["headline"] == "Port Plan Approved" and doc["category"] == "Economy"
    assert doc["tags"] == ["ports", "shipping", "rail"]


def test_import_takes_a_leading_h1_as_the_headline(tmp_path: Path):
    code, article_id, err = _import(tmp_path, "# Bridge Reopens\n\nTraffic flows again.\n")
    assert (code, err) == (0, "")
    doc = _show(article_id)
    assert doc["headline"] == "Bridge Reopens"
    assert doc["sections"][0]["body"] == "Traffic flows again."


def test_import_refuses_a_category_the_site_does_not_have(tmp_path: Path):
    before = run_desk("list").stdout
    code, out, err = _import(tmp_path, "---\ntitle: Cup Final\ncategory: Sports\n---\nGoal.\n")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("desk: category “Sports” is not one of OpenVoiceNews U.S.'s: Politics,")
    assert "Opinion; nothing was imported" in err
    assert run_desk("list").stdout == before
