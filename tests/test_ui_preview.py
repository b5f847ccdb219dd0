"""The live preview: full load, DOM patches, scroll stability, the network seal, fallback.

WebEngine tests drive a real QtWebEngine page (offscreen) and read the DOM back
through ``run_js``; nothing here sleeps, every wait is on a signal or a condition.
"""

from __future__ import annotations

import json
import statistics
import time
from datetime import date
from pathlib import Path

import pytest
from conftest import HAVE_WEBENGINE
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QUrl
from PySide6.QtGui import QColor, QImage

from desk.model.article import Article, Dateline, Image, Section
from desk.render.page import PageRenderer
from desk.ui.preview.preview import PreviewPane, url_allowed

TIMEOUT = 20_000


def png_bytes(width: int = 3, height: int = 2) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("crimson"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def make_article(sections: int = 3, paragraphs: int = 1, image: Image | None = None) -> Article:
    return Article(
        headline="Preview headline",
        dateline=Dateline(city="Lagos", region="Nigeria", date=date(2025, 3, 1)),
        category="Politics",
        byline="Ada Writer",
        standfirst="What the preview shows.",
        sections=[
            Section(
                id=f"sec{i}",
                subheading=f"Part {i}",
                body="\n\n".join(f"Paragraph {p} of section {i}." for p in range(paragraphs)),
            )
            for i in range(sections)
        ],
        images=[image] if image else [],
    )


@pytest.fixture
def renderer(profile) -> PageRenderer:
    return PageRenderer(profile, image_src=lambda i: f"assets/{i.sha256}.png")


@pytest.fixture
def pane(qtbot) -> PreviewPane:
    if not HAVE_WEBENGINE:
        pytest.skip("QtWebEngine is not installed")
    p = PreviewPane()
    qtbot.addWidget(p)  # closed at teardown, which shuts the engine down
    p.resize(900, 700)
    p.show()
    assert p.available, p.unavailable_reason()
    return p


def load(qtbot, pane: PreviewPane, html: str, assets=None) -> None:
    with qtbot.waitSignal(pane.loaded, timeout=TIMEOUT) as blocker:
        pane.show_page(html, assets or {})
    assert blocker.args == [True]


def js(qtbot, pane: PreviewPane, script: str) -> object:
    box: list[object] = []
    pane.run_js(script, box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=TIMEOUT)
    return box[0]


def patch(qtbot, pane: PreviewPane, call, *args) -> int:
    seqs: list[int] = []
    with qtbot.waitSignal(
        pane.patched, timeout=TIMEOUT, check_params_cb=lambda s: bool(seqs) and s == seqs[0]
    ):
        seqs.append(call(*args))
    return seqs[0]


def text_of(qtbot, pane: PreviewPane, element_id: str) -> str:
    return str(js(qtbot, pane, f"document.getElementById({json.dumps(element_id)}).textContent"))


def section_order(qtbot, pane: PreviewPane) -> list[str]:
    script = (
        "JSON.stringify(Array.from(document.querySelectorAll('#article-body > section'))"
        ".map(function (s) { return s.dataset.sectionId; }))"
    )
    return json.loads(str(js(qtbot, pane, script)))


# --- patches -----------------------------------------------------------------------


@pytest.mark.webengine
def test_patch_section_replaces_text(qtbot, pane, renderer, capsys) -> None:
    article = make_article()
    load(qtbot, pane, renderer.render_page(article))
    assert "Paragraph 0 of section 1." in text_of(qtbot, pane, "s-sec1")

    times = []
    for n in range(20):
        article.sections[1].body = f"Rewritten text, take {n}."
        html = renderer.render_section(article, "sec1")
        start = time.perf_counter()
        patch(qtbot, pane, pane.patch_section, "sec1", html)
        times.append((time.perf_counter() - start) * 1000)
    text = text_of(qtbot, pane, "s-sec1")
    assert "Rewritten text, take 19." in text
    assert "Paragraph 0 of section 1." not in text
    assert "take 18" not in text
    with capsys.disabled():
        print(
            f"\npreview patch round trip: median {statistics.median(times):.2f} ms, "
            f"max {max(times):.2f} ms"
        )
    assert statistics.median(times) < 100


@pytest.mark.webengine
def test_header_and_byline_patches(qtbot, pane, renderer) -> None:
    article = make_article()
    load(qtbot, pane, renderer.render_page(article))
    article.headline = "A <b>new</b> headline & more"
    article.byline = "Bola Editor"
    patch(qtbot, pane, pane.patch_header, renderer.render_header(article))
    patch(qtbot, pane, pane.patch_byline, renderer.render_byline(article))
    headline = js(qtbot, pane, "document.querySelector('#article-header h1').textContent")
    assert headline == "A <b>new</b> headline & more"  # escaped by the renderer, kept as text
    assert "Bola Editor" in text_of(qtbot, pane, "article-byline")
    assert js(qtbot, pane, "document.querySelectorAll('#article-header').length") == 1


@pytest.mark.webengine
def test_patches_queued_before_load_are_applied_after_it(qtbot, pane, renderer) -> None:
    article = make_article()
    pane.show_page(renderer.render_page(article), {})
    article.sections[0].body = "Typed while the page was loading."
    with qtbot.waitSignal(pane.loaded, timeout=TIMEOUT):
        seq = patch(
            qtbot, pane, pane.patch_section, "sec0", renderer.render_section(article, "sec0")
        )
    assert seq > 0
    assert "Typed while the page was loading." in text_of(qtbot, pane, "s-sec0")


@pytest.mark.webengine
def test_a_newer_full_load_drops_queued_patches(qtbot, pane, renderer) -> None:
    seen: list[int] = []
    pane.patched.connect(seen.append)
    article = make_article()
    pane.show_page(renderer.render_page(article), {})
    stale = pane.patch_section("sec0", "<section id='s-sec0'>stale</section>")
    article.sections[0].body = "The newer page."
    load(qtbot, pane, renderer.render_page(article))
    assert "The newer page." in text_of(qtbot, pane, "s-sec0")
    assert stale not in seen


@pytest.mark.webengine
def test_set_sections_reorders_inserts_and_removes(qtbot, pane, renderer) -> None:
    article = make_article(sections=4)
    load(qtbot, pane, renderer.render_page(article))
    assert section_order(qtbot, pane) == ["sec0", "sec1", "sec2", "sec3"]
    by_id = {s.id: s for s in article.sections}
    article.sections = [
        by_id["sec3"],
        by_id["sec0"],
        Section(id="new", body="Fresh."),
        by_id["sec2"],
    ]
    fresh = {"new": renderer.render_section(article, "new")}
    fresh["sec3"] = renderer.render_section(article, "sec3")  # now first: gets the dateline
    patch(qtbot, pane, pane.set_sections, [s.id for s in article.sections], fresh)
    assert section_order(qtbot, pane) == ["sec3", "sec0", "new", "sec2"]
    assert "Fresh." in text_of(qtbot, pane, "s-new")
    assert "LAGOS" in text_of(qtbot, pane, "s-sec3").upper()


@pytest.mark.webengine
def test_missing_patch_target_reports_out_of_sync(qtbot, pane, renderer) -> None:
    load(qtbot, pane, renderer.render_page(make_article()))
    with qtbot.waitSignal(pane.out_of_sync, timeout=TIMEOUT):
        seq = pane.patch_section("nope", "<section id='s-nope'>x</section>")
    assert seq > 0


# --- scrolling ---------------------------------------------------------------------


def scroll_to(qtbot, pane: PreviewPane, section_id: str) -> float:
    script = (
        f"window.scrollTo(0, window.scrollY + "
        f"document.getElementById('s-{section_id}').getBoundingClientRect().top); window.scrollY"
    )
    return float(js(qtbot, pane, script))


def top_of(qtbot, pane: PreviewPane, section_id: str) -> float:
    script = f"document.getElementById('s-{section_id}').getBoundingClientRect().top"
    return float(js(qtbot, pane, script))


@pytest.mark.webengine
def test_scroll_holds_when_a_section_above_is_patched(qtbot, pane, renderer) -> None:
    article = make_article(sections=40, paragraphs=4)
    load(qtbot, pane, renderer.render_page(article))
    y = scroll_to(qtbot, pane, "sec30")
    assert y > 2000
    top = top_of(qtbot, pane, "sec30")

    article.sections[2].body = article.sections[2].body.replace("Paragraph", "Graph")
    patch(qtbot, pane, pane.patch_section, "sec2", renderer.render_section(article, "sec2"))
    assert float(js(qtbot, pane, "window.scrollY")) == y
    assert "Graph 0 of section 2." in text_of(qtbot, pane, "s-sec2")

    # A section above that grows must not push the text being read down the screen.
    article.sections[2].body = "\n\n".join(f"Much longer {n}." for n in range(30))
    patch(qtbot, pane, pane.patch_section, "sec2", renderer.render_section(article, "sec2"))
    assert float(js(qtbot, pane, "window.scrollY")) > y
    assert abs(top_of(qtbot, pane, "sec30") - top) <= 1

    # A patch of the section in view, or one below it, leaves scrollY alone.
    y = float(js(qtbot, pane, "window.scrollY"))
    for sid in ("sec30", "sec35"):
        article.section(sid).body = "\n\n".join(f"Edited {n}." for n in range(8))
        patch(qtbot, pane, pane.patch_section, sid, renderer.render_section(article, sid))
        assert float(js(qtbot, pane, "window.scrollY")) == y

    # Structural changes hold the scroll position too.
    order = [s.id for s in article.sections]
    order[0], order[1] = order[1], order[0]
    patch(qtbot, pane, pane.set_sections, order, {})
    assert float(js(qtbot, pane, "window.scrollY")) == y


@pytest.mark.webengine
def test_follow_section_scrolls_and_marks_one_section(qtbot, pane, renderer) -> None:
    article = make_article(sections=40, paragraphs=2)
    load(qtbot, pane, renderer.render_page(article))
    height = float(js(qtbot, pane, "window.innerHeight"))
    section_height = float(
        js(qtbot, pane, "document.getElementById('s-sec25').getBoundingClientRect().height")
    )
    pane.follow_section("sec25")
    # Smooth scrolling ends with a short section centred in the viewport.
    centred = (height - section_height) / 2
    qtbot.waitUntil(lambda: abs(top_of(qtbot, pane, "sec25") - centred) < 2, timeout=TIMEOUT)
    marked = "document.querySelectorAll('.desk-current').length"
    assert js(qtbot, pane, marked) == 1
    assert "desk-current" in js(qtbot, pane, "document.getElementById('s-sec25').className")

    # A patch keeps the mark; following a neighbour in view moves it without scrolling.
    patch(qtbot, pane, pane.patch_section, "sec25", renderer.render_section(article, "sec25"))
    assert "desk-current" in js(qtbot, pane, "document.getElementById('s-sec25').className")
    y = float(js(qtbot, pane, "window.scrollY"))
    assert top_of(qtbot, pane, "sec24") >= 0  # the neighbour above is wholly in view
    pane.follow_section("sec24")
    assert js(qtbot, pane, marked) == 1
    assert "desk-current" in js(qtbot, pane, "document.getElementById('s-sec24').className")
    assert float(js(qtbot, pane, "window.scrollY")) == y


# --- the seal ----------------------------------------------------------------------


@pytest.mark.webengine
def test_only_the_panes_own_files_load(qtbot, pane, renderer, tmp_path: Path) -> None:
    png = png_bytes()
    image = Image(id="pic", sha256="ab" * 32, alt="A dot", section_id="sec0")
    calls: list[str] = []

    def produce() -> bytes:
        calls.append("png")
        return png

    outside = tmp_path / "outside.png"
    outside.write_bytes(png)
    assets = {f"assets/{image.sha256}.png": produce, "assets/dot.png": produce}
    load(qtbot, pane, renderer.render_page(make_article(image=image)), assets)
    pane.ensure_assets(assets)
    assert calls == ["png", "png"]  # only written while missing

    probes = {
        "remote": "https://example.com/x.png",
        "etc": "file:///etc/hostname",
        "outside": QUrl.fromLocalFile(str(outside)).toString(),
        "local": "assets/dot.png",
    }
    imgs = "".join(f'<img id="{k}" src="{v}" alt="">' for k, v in probes.items())
    html = f'<section class="article-section" id="s-sec1" data-section-id="sec1">{imgs}</section>'
    patch(qtbot, pane, pane.patch_section, "sec1", html)
    done = "Array.from(document.images).every(function (i) { return i.complete; })"
    qtbot.waitUntil(lambda: js(qtbot, pane, done) is True, timeout=TIMEOUT)
    width = "document.getElementById('%s').naturalWidth"
    assert js(qtbot, pane, width % "local") == 3
    assert js(qtbot, pane, "document.querySelector('#img-pic img').naturalWidth") == 3
    for name in ("remote", "etc", "outside"):
        assert js(qtbot, pane, width % name) == 0, name
    blocked = pane.blocked_urls
    assert "file:///etc/hostname" in blocked
    assert probes["outside"] in blocked
    assert not any("assets/" in u for u in blocked)


@pytest.mark.webengine
def test_links_do_not_navigate_away(qtbot, pane, renderer) -> None:
    load(qtbot, pane, renderer.render_page(make_article()))
    href = js(qtbot, pane, "location.href")
    js(qtbot, pane, "document.querySelector('a.category').click(); 1")
    js(qtbot, pane, "1")  # one more round trip, after any navigation attempt
    assert js(qtbot, pane, "location.href") == href
    assert "Paragraph 0" in text_of(qtbot, pane, "s-sec0")


@pytest.mark.webengine
def test_page_scripts_are_off_but_ours_run(qtbot, pane) -> None:
    html = (
        "<!DOCTYPE html><html><head><meta http-equiv='Content-Security-Policy' "
        "content=\"default-src 'none'\"></head><body><p id='p'>x</p>"
        "<script>document.title = 'page script ran';</script></body></html>"
    )
    load(qtbot, pane, html)
    assert js(qtbot, pane, "document.title") == ""
    assert js(qtbot, pane, "document.getElementById('p').textContent = 'ours'; 'ok'") == "ok"


@pytest.mark.webengine
def test_shutdown_removes_the_folder(qtbot, pane, renderer) -> None:
    load(qtbot, pane, renderer.render_page(make_article()), {"assets/a.png": png_bytes})
    folder = pane.folder
    assert (folder / "index.html").is_file() and (folder / "assets" / "a.png").is_file()
    pane.shutdown()
    assert not folder.exists()
    assert not pane.available
    assert pane.patch_section("sec0", "<section></section>") > 0  # inert, not broken


# --- no QtWebEngine ------------------------------------------------------------------


@pytest.mark.parametrize("how", ["env", "preference"])
def test_fallback_explains_and_keeps_working(qtbot, monkeypatch, tmp_path, how) -> None:
    if how == "env":
        monkeypatch.setenv("DESK_DISABLE_WEBENGINE", "1")
    pane = PreviewPane(enabled=how != "preference")
    qtbot.addWidget(pane)
    assert not pane.available
    reason = pane.unavailable_reason()
    assert ("DESK_DISABLE_WEBENGINE" in reason) if how == "env" else ("Preferences" in reason)
    assert pane.message.text().startswith("The live preview is off: ")
    assert "Your text is still saved." in pane.message.text()

    called: list[object] = []
    pane.show_page("<html></html>", {"assets/x.png": lambda: called.append(1) or b""})
    pane.ensure_assets({"assets/x.png": lambda: called.append(1) or b""})
    seqs = [
        pane.patch_section("a", "<section></section>"),
        pane.patch_header("<header></header>"),
        pane.patch_byline("<footer></footer>"),
        pane.set_sections(["a"], {}),
    ]
    assert seqs == sorted(set(seqs)) and seqs[0] > 0
    pane.follow_section("a")
    pane.run_js("1", called.append)
    pane.set_zoom(1.5)
    pane.grab_png(tmp_path / "shot.png")
    assert called == []
    assert not pane.folder.exists()
    assert pane.blocked_urls == []


def test_url_rule(tmp_path: Path) -> None:
    root = tmp_path / "preview-1-1"
    inside = QUrl.fromLocalFile(str(root / "assets" / "a.png")).toString()
    assert url_allowed(inside, root)
    assert url_allowed(QUrl.fromLocalFile(str(root / "index.html")).toString(), root)
    assert url_allowed("data:image/png;base64,AAAA", root)
    for url in (
        "https://example.com/x.png",
        "http://localhost/x",
        "ftp://example.com/x",
        "ws://example.com/",
        "desk-asset://abc",
        "file:///etc/hostname",
        QUrl.fromLocalFile(str(tmp_path / "preview-1-10" / "a.png")).toString(),
        QUrl.fromLocalFile(str(root / ".." / "other.png")).toString(),
        "file://server/share/a.png",
    ):
        assert not url_allowed(url, root), url
