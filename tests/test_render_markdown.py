"""Tests for desk.render.markdown: fixtures for exact output, html5lib for hostile input."""

from __future__ import annotations

import re
from pathlib import Path

import html5lib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.utils import read_fixture_file

from desk.render.markdown import LinkCheck, NewsMarkdown, is_safe_image_src, is_safe_link

FIXTURES = Path(__file__).parent / "fixtures" / "markdown"
SITE = "https://openvoicenews.com"
SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def _asset_url(src: str) -> str:
    return "assets/" + src.removeprefix("desk-asset:")


@pytest.fixture(scope="module")
def md() -> NewsMarkdown:
    return NewsMarkdown(site_base_url=SITE, asset_url=_asset_url)


def _cases() -> list[object]:
    cases = []
    for path in sorted(FIXTURES.glob("*.md")):
        for line, title, source, expected in read_fixture_file(path):
            cases.append(pytest.param(source, expected, id=f"{path.stem}:{line + 1}:{title[:40]}"))
    return cases


CASES = _cases()


def test_fixture_files_are_found() -> None:
    # A broken reader or glob would silently parametrize over nothing.
    assert len(CASES) >= 60


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_fixture(md: NewsMarkdown, source: str, expected: str) -> None:
    assert md.render(source) == expected


# --- hostile input: parse the output like a browser would -------------------

ALLOWED_TAGS = {
    "p", "em", "strong", "s", "code", "pre", "blockquote", "ul", "ol", "li", "a", "img",
    "br", "hr", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRS = {"href", "src", "alt", "title", "rel", "class", "start", "style"}
RASTER_DATA = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,[a-z0-9+/]+=*$")


def _url_scheme(value: str) -> str | None:
    # Independent of the module under test: the browser's own tolerance.
    cleaned = re.sub(r"[\t\n\r]", "", value).strip("".join(map(chr, range(0x21)))).lower()
    m = re.match(r"([a-z][a-z0-9+.\-]*):", cleaned)
    return m.group(1) if m else None


def assert_safe_html(fragment: str) -> None:
    tree = html5lib.parseFragment(fragment, treebuilder="etree", namespaceHTMLElements=False)
    for el in tree.iter():
        if not isinstance(el.tag, str) or el is tree:
            continue  # comments (none expected) and the fragment root
        assert el.tag in ALLOWED_TAGS, f"unexpected <{el.tag}> in {fragment!r}"
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), f"event handler {name} in {fragment!r}"
            assert name in ALLOWED_ATTRS, f"unexpected attribute {name} in {fragment!r}"
            if name not in ("alt", "title"):  # text attributes may quote anything
                low = re.sub(r"[\x00-\x20]", "", value).lower()
                assert "javascript:" not in low and "vbscript:" not in low, fragment
            if name == "href":
                assert _url_scheme(value) in (None, "http", "https", "mailto"), fragment
            elif name == "src":
                scheme = _url_scheme(value)
                assert scheme in (None, "http", "https", "desk-asset", "data"), fragment
                if scheme == "data":
                    assert RASTER_DATA.match(value.lower()), fragment
            elif name == "style":
                assert re.fullmatch(r"text-align:(left|right|center)", value), fragment


HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=http://xss.rocks/xss.js></SCRIPT>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>',
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>',
    "<img src=x onerror=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105>",
    "<svg/onload=alert('XSS')>",
    "<BODY ONLOAD=alert('XSS')>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<<SCRIPT>alert("XSS");//<</SCRIPT>',
    "<style>@import'http://xss.rocks/xss.css';</style>",
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(\'XSS\');">',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<!--<script>alert(1)</script>-->",
    "[a](javascript:alert('XSS'))",
    "[a](JaVaScRiPt:alert(1))",
    "[a](jav&#x09;ascript:alert(1))",
    "[a](jav&#x0A;ascript:alert(1))",
    "[a](jav&#x0D;ascript:alert(1))",
    "[a](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1))",
    "[a](&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1))",
    "[a](<javascript:alert(1)>)",
    "[a](< \tjavascript:alert(1)>)",
    '[a](vbscript:msgbox("XSS"))',
    "[a](java\x00script:alert(1))",
    "[a](java\u200bscript:alert(1))",
    "[a](%6Aavascript:alert(1))",
    "[a](javascript%3Aalert(1))",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<javascript:alert(1)>",
    "[a][x]\n\n[x]: javascript:alert(1)",
    '[a](javascript:alert(1) "t")',
    "[<img src=x onerror=alert(1)>](https://ok.example)",
    '![" onerror="alert(1)](https://ok.example/x.png)',
    '[a](https://ok.example "\\" onmouseover=\\"alert(1)")',
    '[a](https://ok.example/"onmouseover="alert(1))',
    '![a](https://ok.example/x.png"onerror="alert(1))',
    "`<script>alert(1)</script>`",
    '```"><script>alert(1)</script>\ncode\n```',
    "| a |\n|---|\n| <script>alert(1)</script> |",
    "> <script>alert(1)</script>",
    "- [x](javascript:alert(1))",
    "[![x](javascript:alert(1))](javascript:alert(2))",
    "<a href='javascript:alert(1)'>x</a>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "[a](file:///etc/passwd) ![b](file:///etc/passwd)",
    "[a](ｊａｖａｓｃｒｉｐｔ:alert(1))",
]


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_input_renders_safely(md: NewsMarkdown, source: str) -> None:
    assert_safe_html(md.render(source))
    assert_safe_html(NewsMarkdown().render(source))


@pytest.mark.parametrize(
    "bad",
    [
        "<script>x</script>",
        '<p onclick="x">a</p>',
        '<a href=" jAvAscript:x">a</a>',
        '<img src="data:image/svg+xml;base64,AA" alt="" />',
        '<a href="data:image/png;base64,AA">a</a>',
    ],
)
def test_safety_checker_catches_bad_html(bad: str) -> None:
    # The checker itself must be able to fail, or the hostile tests prove nothing.
    with pytest.raises(AssertionError):
        assert_safe_html(bad)


FRAGMENTS = [
    "[", "]", "(", ")", "<", ">", "!", '"', "'", "`", "*", "&#", "x6A;", "&colon;", "%3A",
    "javascript:", "JaVaScRiPt:", "vbscript:", "data:", "text/html", "image/svg+xml;",
    "base64,", "alert(1)", "onerror=", "script", "img", "src=", "href=", " ", "\t", "\n",
    "\\", "/", "#", ":", "=", "-", "|", "~~", "desk-asset:",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=3), max_size=40).map("".join))
def test_random_fragment_soup_renders_safely(source: str) -> None:
    assert_safe_html(NewsMarkdown(site_base_url=SITE).render(source))


# --- URL predicates ------------------------------------------------------------

SAFE_LINKS = [
    "https://example.org/a?b=c#d", "http://example.org", "HTTPS://EXAMPLE.ORG",
    "mailto:tips@openvoicenews.com", "/archive/", "../up", "page.html", "#top", "?q=1",
    "//cdn.example.net/x", "https://example.org/?u=javascript:alert(1)",
]  # fmt: skip
UNSAFE_LINKS = [
    "javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)",
    "\x01javascript:alert(1)", "java\tscript:alert(1)", "java\nscript:alert(1)",
    "jav&#x61;script:alert(1)", "jav&#97;script:alert(1)", "javascript&colon;alert(1)",
    "%6Aavascript:alert(1)", "java%0Ascript:alert(1)", "java\u200bscript:alert(1)",
    "ｊａｖａｓｃｒｉｐｔ:alert(1)", "vbscript:msgbox(1)", "file:///etc/passwd",
    "data:text/html,<script>alert(1)</script>", "data:image/png;base64,iVBORw0KGgo=",
    "tel:+15555550123", f"desk-asset:{SHA}", "", "   ", "C:\\Windows\\win.ini",
]  # fmt: skip
SAFE_IMAGES = [
    "https://example.org/a.png", "http://example.org/a.jpg", "images/a.png", "/a.gif",
    f"desk-asset:{SHA}", f"desk-asset:{SHA.upper()}", "data:image/png;base64,iVBORw0KGgo=",
    "data:image/jpeg;base64,/9j/4AAQ", "data:image/gif;base64,R0lGODlh",
    "data:image/webp;base64,UklGRg==", "DATA:IMAGE/PNG;BASE64,iVBORw0KGgo=",
]  # fmt: skip
UNSAFE_IMAGES = [
    "javascript:alert(1)", "data:image/svg+xml;base64,PHN2Zz4=", "data:image/svg+xml,<svg/>",
    "data:image/png,raw", "data:image/png;base64,a b", "data:text/html;base64,PHNjcmlwdD4=",
    "data:image/bmp;base64,Qk0=", "mailto:x@example.org", "desk-asset:1234",
    f"desk-asset:{SHA}0", f"desk-asset:{SHA[:-1]}g", "file:///tmp/a.png", "vbscript:x",
]  # fmt: skip


@pytest.mark.parametrize("url", SAFE_LINKS)
def test_safe_links(url: str) -> None:
    assert is_safe_link(url)


@pytest.mark.parametrize("url", UNSAFE_LINKS)
def test_unsafe_links(url: str) -> None:
    assert not is_safe_link(url)


@pytest.mark.parametrize("url", SAFE_IMAGES)
def test_safe_images(url: str) -> None:
    assert is_safe_image_src(url)


@pytest.mark.parametrize("url", UNSAFE_IMAGES)
def test_unsafe_images(url: str) -> None:
    assert not is_safe_image_src(url)


# --- links(), plain_text(), configuration ---------------------------------------


def test_links_reports_every_url_in_order(md: NewsMarkdown) -> None:
    text = (
        "[home](/) [wire](https://apnews.com/x) [site](https://openvoicenews.com/y)\n\n"
        f"![p](desk-asset:{SHA}) ![s](data:image/svg+xml;base64,PHN2Zz4=) [x](javascript:alert(1))"
    )
    checks = md.links(text)
    assert [(c.url, c.kind, c.ok) for c in checks] == [
        ("/", "link", True),
        ("https://apnews.com/x", "link", True),
        ("https://openvoicenews.com/y", "link", True),
        (f"desk-asset:{SHA}", "image", True),  # reported unmapped: it is what the writer typed
        ("data:image/svg+xml;base64,PHN2Zz4=", "image", False),
        ("javascript:alert(1)", "link", False),
    ]
    assert checks[1].reason.startswith("external")
    assert checks[2].reason.startswith("internal")
    assert "SVG" in checks[4].reason
    assert "javascript" in checks[5].reason
    assert all(isinstance(c, LinkCheck) for c in checks)


def test_links_is_empty_without_links(md: NewsMarkdown) -> None:
    assert md.links("No links, just *words*.") == []


def test_plain_text_matches_what_readers_see(md: NewsMarkdown) -> None:
    text = (
        '## A "new" era\n\n'
        "The **vote** was [close](https://example.org) -- very.\n"
        "Second line.\n\n"
        "![photo](/a.png) [gone](javascript:alert(1))\n\n"
        "| A | B |\n|---|---|\n| 1 | 2 |\n\n"
        "<b>raw</b>"
    )
    assert md.plain_text(text) == (
        "A “new” era\n\nThe vote was close – very. Second line.\n\ngone\n\nA\tB\n1\t2\n\n<b>raw</b>"
    )


def test_plain_text_word_count_ignores_markup(md: NewsMarkdown) -> None:
    assert len(md.plain_text("*One* **two** [three](/x) `four`\n\n- five").split()) == 5


def test_without_site_base_every_absolute_http_link_is_external() -> None:
    out = NewsMarkdown().render("[a](https://openvoicenews.com/) [b](/local)")
    assert out == (
        '<p><a href="https://openvoicenews.com/" rel="noopener noreferrer">a</a> '
        '<a href="/local">b</a></p>\n'
    )


def test_default_asset_url_leaves_desk_asset_src_alone() -> None:
    out = NewsMarkdown().render(f"![p](desk-asset:{SHA})")
    assert out == f'<p><img src="desk-asset:{SHA}" alt="p" /></p>\n'


def test_asset_url_is_not_applied_to_other_images() -> None:
    seen: list[str] = []
    md = NewsMarkdown(asset_url=lambda s: seen.append(s) or "mapped")
    md.render(f"![a](/a.png) ![b](desk-asset:{SHA})")
    assert seen == [f"desk-asset:{SHA}"]


def test_target_is_never_set(md: NewsMarkdown) -> None:
    assert "target=" not in md.render("[a](https://example.org) <https://example.org>")
