import json

import pytest
from conftest import run_desk

from desk.cli import main


def test_version_runs_in_a_real_process():
    done = run_desk("--version")
    assert done.returncode == 0 and done.stdout.decode().startswith("desk 0.")


def test_list_shows_the_starter_on_a_new_home(tmp_path):
    done = run_desk("list", env={"DESK_HOME": str(tmp_path / "fresh")})
    assert done.returncode == 0, done.stderr
    [line] = done.stdout.decode().splitlines()
    article_id, status, *_ = line.split()
    assert len(article_id) == 32 and status == "draft"
    assert "County Opens Public Ledger" in line


def test_list_json_and_search(capsys):
    assert main(["list", "--json"]) == 0
    [item] = json.loads(capsys.readouterr().out)
    assert item["status"] == "draft" and item["headline"].startswith("County")
    assert main(["search", "ledger"]) == 0
    assert item["id"] in capsys.readouterr().out
    assert main(["search", "no-such-word-anywhere"]) == 0
    assert capsys.readouterr().out == ""


def test_new_show_and_db_override(tmp_path, capsys):
    db = tmp_path / "other.db"
    assert main(["--db", str(db), "new", "--headline", "Bridge Reopens"]) == 0
    new_id = capsys.readouterr().out.strip()
    assert db.exists()
    assert main(["--db", str(db), "show", "bridge-reopens"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Bridge Reopens") and new_id in out
    assert main(["--db", str(db), "show", new_id, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == new_id


def test_import_markdown_with_front_matter(tmp_path, capsys):
    md = tmp_path / "story.md"
    md.write_text(
        "---\ntitle: Harbor Dredging Plan Wins Approval\ndate: 2026-10-02\n"
        "categories: [Economy]\ntags: [ports, shipping]\nauthor: Jane Roe\n"
        "dateline: BALTIMORE, Maryland\nsummary: Work starts in spring.\n---\n"
        "The port authority voted 5-2.\n\n## Costs\n\nIt costs $40 million.\n\n"
        "```\n## not a heading in code\n```\n\n## Next Steps\n\nBids open in May.\n",
        encoding="utf-8",
    )
    assert main(["import", str(md)]) == 0
    new_id = capsys.readouterr().out.strip()
    assert main(["show", new_id, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["headline"] == "Harbor Dredging Plan Wins Approval"
    assert doc["category"] == "Economy" and doc["tags"] == ["ports", "shipping"]
    assert doc["dateline"] == {"city": "Baltimore", "region": "Maryland", "date": "2026-10-02"}
    assert [s["subheading"] for s in doc["sections"]] == ["", "Costs", "Next Steps"]
    assert "## not a heading in code" in doc["sections"][1]["body"]


@pytest.mark.parametrize(
    "content, args, message",
    [
        (None, ["show", "nope"], "no draft with id or slug 'nope'"),
        (b"\xff\xfe\x00bad", ["import", "{file}"], "not valid UTF-8"),
        (None, ["import", "{missing}"], "no such file"),
        (
            b"---\ntitle: [unclosed\n---\nbody\n",
            ["import", "{file}"],
            "front matter is not valid YAML",
        ),
    ],
)
def test_errors_are_one_line_without_traceback(tmp_path, content, args, message):
    f = tmp_path / "in.md"
    if content is not None:
        f.write_bytes(content)
    args = [a.format(file=f, missing=tmp_path / "missing.md") for a in args]
    done = run_desk(*args)
    err = done.stderr.decode()
    assert done.returncode == 1
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_a_corrupt_database_is_a_clear_error(tmp_path):
    db = tmp_path / "broken.db"
    db.write_bytes(b"garbage" * 1000)
    done = run_desk("--db", str(db), "list")
    assert done.returncode == 1 and "Traceback" not in done.stderr.decode()
    assert "not a Desk database" in done.stderr.decode()


def test_render_writes_the_site_page(tmp_path, capsys):
    out = tmp_path / "page.html"
    assert main(["list", "--json"]) == 0
    [item] = json.loads(capsys.readouterr().out)
    assert main(["render", item["slug"], "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "DENVER, Colorado —" in page
    assert "OpenVoiceNews U.S." in page and "Download IPFS" in page
    done = run_desk("render", "missing-draft", "--out", str(tmp_path / "x.html"))
    assert done.returncode == 1 and not (tmp_path / "x.html").exists()
