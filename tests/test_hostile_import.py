"""Hostile input to ``desk import`` and ``desk review open`` (issue 12, items 6-8).

Every case must end as one line on stderr and exit 1, without a traceback,
without hanging, and without anything written to the store. The cases that
could hang or eat memory on a broken build run in a child process with a
timeout and an address-space limit, so a regression fails the test instead
of taking the suite (or the machine) down with it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from desk.cli import main

#: 1.5 GB of address space: Qt is not loaded by these commands, so a normal
#: ``desk import`` needs a small fraction of it; a YAML bomb needs far more.
MEMORY_LIMIT = 1536 * 1024 * 1024


def _limit_memory() -> None:
    import resource  # POSIX only; elsewhere the timeout alone guards

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def desk_guarded(*args: str, timeout: float = 30) -> subprocess.CompletedProcess[bytes]:
    """The real ``desk`` in a child process that may neither hang nor balloon."""
    return subprocess.run(
        [sys.executable, "-m", "desk", *args],
        capture_output=True,
        timeout=timeout,
        cwd=REPO,
        preexec_fn=_limit_memory if os.name == "posix" else None,
    )


def one_line_error(done: subprocess.CompletedProcess[bytes], *words: str) -> str:
    err = done.stderr.decode()
    assert done.returncode == 1, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert err.startswith("desk: "), err
    for word in words:
        assert word in err, err
    return err


@pytest.fixture
def drafts(capsys: pytest.CaptureFixture[str]):
    """Ids in the default store, read through the CLI as a user would."""

    def read() -> list[str]:
        capsys.readouterr()
        assert main(["list", "--json"]) == 0
        return [d["id"] for d in json.loads(capsys.readouterr().out)]

    return read


BILLION_LAUGHS = (
    "---\n"
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
    "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
    "{field}: *i\n"
    "---\nBody.\n"
)


@pytest.mark.parametrize("field", ["title", "tags"])
def test_yaml_alias_bomb_is_refused_quickly(tmp_path: Path, drafts, field: str) -> None:
    """A "billion laughs" front matter: before the fix this expands to ~400 M strings."""
    before = drafts()
    md = tmp_path / "bomb.md"
    md.write_text(BILLION_LAUGHS.format(field=field), encoding="utf-8")
    done = desk_guarded("import", str(md))
    one_line_error(done, "front matter (line 2)", "anchors and aliases")
    assert drafts() == before


def test_a_lone_anchor_and_alias_is_refused_too(tmp_path: Path, drafts) -> None:
    before = drafts()
    md = tmp_path / "alias.md"
    md.write_text("---\ntitle: &t Harbor\nsummary: *t\n---\nBody.\n", encoding="utf-8")
    done = desk_guarded("import", str(md))
    one_line_error(done, "front matter (line 2)", "anchors and aliases")
    assert drafts() == before


@pytest.mark.parametrize(
    "front, words",
    [
        ("date: 2024-13-45", ["line 2", "'2024-13-45' is not a real date"]),
        ("date: 2024-02-30", ["line 2", "'2024-02-30' is not a real date"]),
        ("date: 2024-02-29 25:61:00", ["is not a real date"]),
        ("tags: [a, b]\nwords: " + "9" * 5000, ["line 3", "more than 40 digits"]),
        ("title: 0x" + "f" * 5000, ["more than 40 digits"]),
        ("title: " + "[" * 5000 + "]" * 5000, ["nested more than 8 levels"]),
        ("tags: " + "{a: " * 3000 + "b" + "}" * 3000, ["nested more than 8 levels"]),
        ("title:\n" + "".join("  " * i + "- \n" for i in range(1, 40)), ["nested"]),
        ("title: {city: Paris}", ["front matter title: expected text, got a mapping"]),
        ("tags: [[a, b], c]", ["front matter tags: expected text, got a list"]),
        ("author: {name: Jane}", ["front matter author: expected text"]),
        ("summary: x\n" + "#" * 70_000, ["front matter is too long"]),
    ],
    ids=[
        "month-13",
        "feb-30",
        "hour-25",
        "5000-digit-int",
        "5000-digit-hex",
        "deep-flow-list",
        "deep-flow-map",
        "deep-block",
        "title-mapping",
        "nested-tag",
        "author-mapping",
        "too-long",
    ],
)
def test_bad_front_matter_values_are_one_line(
    tmp_path: Path, drafts, front: str, words: list[str]
) -> None:
    before = drafts()
    md = tmp_path / "bad.md"
    md.write_text(f"---\n{front}\n---\nThe body text.\n", encoding="utf-8")
    done = desk_guarded("import", str(md))
    one_line_error(done, *words)
    assert drafts() == before


def test_good_front_matter_still_imports(tmp_path: Path, drafts, capsys) -> None:
    """The checks refuse only what is wrong: dates, numbers and lists still read."""
    md = tmp_path / "ok.md"
    md.write_text(
        "---\ntitle: 2024 Budget\ndate: 2024-02-29\nslug: 12345\n"
        "tags: [budget, 2024]\ndateline: {city: Oslo, country: Norway}\n---\nText.\n",
        encoding="utf-8",
    )
    capsys.readouterr()
    assert main(["import", str(md)]) == 0
    new_id = capsys.readouterr().out.strip()
    assert new_id in drafts()
    assert main(["show", new_id, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["headline"] == "2024 Budget" and doc["slug"] == "12345"
    assert doc["tags"] == ["budget", "2024"]
    assert doc["dateline"] == {"city": "Oslo", "region": "Norway", "date": "2024-02-29"}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_import_of_a_fifo_is_refused_without_hanging(tmp_path: Path, drafts) -> None:
    """Before the fix ``read_bytes`` waits for a writer that never comes (the timeout fires)."""
    before = drafts()
    fifo = tmp_path / "story.md"
    os.mkfifo(fifo)
    done = desk_guarded("import", str(fifo), timeout=20)
    one_line_error(done, "story.md", "not a regular file")
    assert drafts() == before


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_import_of_dev_zero_is_refused_without_reading(drafts) -> None:
    """``/dev/zero`` never ends: before the fix it fills memory until the limit kills it."""
    before = drafts()
    done = desk_guarded("import", "/dev/zero", timeout=20)
    one_line_error(done, "/dev/zero", "not a regular file")
    assert drafts() == before


def test_import_of_a_huge_file_is_refused_before_reading(tmp_path: Path, drafts) -> None:
    """A sparse 40 GB file: the size is checked before a byte is read."""
    before = drafts()
    big = tmp_path / "huge.md"
    with open(big, "wb") as fh:
        fh.truncate(40 * 1024**3)
    done = desk_guarded("import", str(big), timeout=20)
    one_line_error(done, "huge.md", "too large")
    assert drafts() == before


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_review_open_of_a_fifo_is_refused_without_hanging(tmp_path: Path, drafts) -> None:
    before = drafts()
    fifo = tmp_path / "back.deskreview"
    os.mkfifo(fifo)
    done = desk_guarded("review", "open", str(fifo), timeout=20)
    one_line_error(done, "back.deskreview", "not a regular file")
    assert drafts() == before
