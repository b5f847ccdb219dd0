"""``content/article.md`` refuses what the page refuses (issue 12, item 9).

Jekyll's kramdown (and Hugo with ``unsafe: true``) pass raw HTML through, so
the check renders the exported Markdown the permissive way (markdown-it with
raw HTML on and every URL accepted), parses the HTML as a browser would, and
looks for anything that could run: script elements, ``on*`` attributes,
``javascript:``-like URLs. The writer's words must all still be there.
"""

from __future__ import annotations

import json
import re

import html5lib
import pytest
from markdown_it import MarkdownIt

from desk.cli import main
from desk.export.markdown_safe import neutralise
from desk.model.article import Article, Dateline, Section, Status
from desk.render.markdown import is_safe_image_src, is_safe_link
from desk.store.drafts import DraftStore

_NS = "{http://www.w3.org/1999/xhtml}"


def permissive_html(markdown: str) -> str:
    md = MarkdownIt("commonmark", {"html": True})
    md.enable(["table", "strikethrough"])
    md.validateLink = lambda url: True
    return md.render(markdown)


def dangers(markdown: str) -> list[str]:
    """Everything in the permissive rendering that a browser could run or follow unsafely."""
    tree = html5lib.parse(permissive_html(markdown))
    found: list[str] = []
    for el in tree.iter():
        tag = str(el.tag).removeprefix(_NS)
        if tag in ("script", "iframe", "object", "embed", "style", "svg", "math", "form"):
            found.append(f"<{tag}>")
        for name, value in el.attrib.items():
            name = str(name).removeprefix(_NS)
            if name.lower().startswith("on"):
                found.append(f"{tag}[{name}]")
            if name in ("href", "src") and not (
                is_safe_link(value) if name == "href" else is_safe_image_src(value)
            ):
                found.append(f"{tag}[{name}={value!r}]")
    return found


def visible_text(markdown: str) -> str:
    tree = html5lib.parse(permissive_html(markdown))
    return " ".join("".join(tree.itertext()).split())


ATTACKS = [
    "Hello <script>alert(1)</script> world",
    '<div onclick="steal()">block</div>\n\nAfter.',
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<a href='javascript:alert(1)'>raw anchor</a>",
    "<!-- hidden --><script>x()</script>",
    "<details open ontoggle=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1) 'title')",
    "[click](<javascript:alert(1)>)",
    "[click](jav&#x61;script:alert(1))",
    "[click](java%73cript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD4=)",
    "![pic](javascript:alert(1))",
    "![pic](data:image/svg+xml;base64,PHN2Zz4=)",
    "[ref][r]\n\n[r]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "[![img](ok.png)](javascript:y)",
    "| a | <b onmouseover=x()>b</b> |\n|---|---|\n| <script>y</script> | c |",
    "> quoted <script>q()</script>\n> [x](javascript:z)",
    "- item <img src=1 onerror=e()>\n- [y](javascript:y)",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_neutralised_markdown_has_nothing_that_runs(attack: str) -> None:
    assert dangers(attack), "the attack must be dangerous raw, or the test proves nothing"
    safe = neutralise(attack)
    assert dangers(safe) == []
    words = [w for w in re.findall(r"[A-Za-z]{4,}", visible_text(attack))]
    shown = visible_text(safe)
    assert all(w in shown for w in words), (words, shown)


def test_code_and_safe_markup_are_untouched() -> None:
    text = (
        "Use `<script>` tags sparingly, a < b, and [docs](https://example.org/a?b=1).\n\n"
        "```html\n<script>alert('in code')</script>\n```\n\n"
        "    <b>indented code</b>\n\n"
        "![chart](assets/chart.png) <https://example.org/> <desk@example.org> *emphasis*"
    )
    assert neutralise(text) == text


def test_export_writes_safe_markdown_for_a_hostile_article(tmp_path, capsys) -> None:
    """Through ``desk export``: the page refused these before; now article.md does too."""
    db = tmp_path / "d.db"
    body = (
        "The council met. <script>alert('body')</script> Then "
        "[the minutes](javascript:alert(1)) and <img src=x onerror=alert(2)> were read.\n\n"
        "```\n<script>kept as code</script>\n```"
    )
    with DraftStore(db) as store:
        article = store.create(
            Article(
                headline="Council Meets",
                slug="council-meets",
                byline="Ada Writer",
                standfirst="A meeting.",
                category="Politics",
                dateline=Dateline(city="Denver", region="Colorado"),
                sections=[
                    Section(body=body),
                    Section(subheading="<b onclick=x()>Votes</b>", body="Seven to two."),
                ],
            )
        )
        store.set_status(article.id, Status.APPROVED)
    out = tmp_path / "out"
    code = main(["--db", str(db), "export", "council-meets", "--out", str(out), "--force"])
    assert code == 0, capsys.readouterr().err
    md = (out / "council-meets" / "content" / "article.md").read_text(encoding="utf-8")
    body_md = md.split("\n---\n", 1)[1]
    assert dangers(body_md) == []
    shown = visible_text(body_md)
    for words in ("<script>alert('body')</script>", "the minutes", "<img src=x", "Votes"):
        assert words in shown, shown
    assert "<script>kept as code</script>" in body_md
    manifest = json.loads((out / "council-meets" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["ipfs"]["cid"]
