"""The site page from an article: the one renderer behind the preview and the export.

``PageRenderer`` keeps each section's HTML keyed by a hash of everything that
section's HTML depends on, so after an edit only the edited section goes
through Markdown again and the page is assembled from cached parts. The
preview asks for single parts (``render_header``, ``render_section``,
``render_byline``) and patches them in place.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import jinja2
from markupsafe import Markup

from desk.model.article import Article, Image, Section, slugify
from desk.model.dates import format_date
from desk.model.images import asset_shas, figure_images
from desk.model.site import SiteProfile
from desk.paths import site_dir
from desk.render.dateline import dateline_lead
from desk.render.markdown import NewsMarkdown

Mode = Literal["preview", "export"]
_FIRST_PARAGRAPH = re.compile(r'<p(?: dir="auto")?>')
ASSET_SCHEME = "desk-asset:"


def preview_image_src(image: Image) -> str:
    """In the preview, images come from the store through the desk-asset scheme."""
    return f"desk-asset://{image.sha256}"


@dataclass(frozen=True)
class IpfsLinks:
    cid: str
    gateway_url: str

    @property
    def ipfs_url(self) -> str:
        return f"ipfs://{self.cid}"


@cache
def _environment(site_key: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(site_dir(site_key))),
        autoescape=True,  # every template is HTML, whatever its extension
        trim_blocks=False,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    return env


@cache
def _css(site_key: str) -> str:
    return (site_dir(site_key) / "style.css").read_text(encoding="utf-8")


class PageRenderer:
    """Article + site profile → HTML, with a per-section cache."""

    def __init__(
        self,
        profile: SiteProfile,
        *,
        mode: Mode = "preview",
        image_src: Callable[[Image], str] = preview_image_src,
        ipfs: IpfsLinks | None = None,
    ) -> None:
        self.profile = profile
        self.mode = mode
        self.image_src = image_src
        self.ipfs = ipfs
        self.markdown = NewsMarkdown(
            profile.base_url, asset_url=self._asset_url, direction_auto=True
        )
        env = _environment(profile.key)
        self._page = env.get_template("page.html.j2")
        self._parts = env.get_template("fragments.html.j2").module
        self._sections: dict[str, tuple[tuple[object, ...], str]] = {}  # id -> (key, html)
        self._asset_map: dict[str, str] = {}
        self._inline: tuple[tuple[str, ...], frozenset[str]] = ((), frozenset())
        #: How many sections went through Markdown; tests and benchmarks read it.
        self.markdown_renders = 0

    # --- parts ---------------------------------------------------------------

    def _asset_url(self, src: str) -> str:
        return self._asset_map.get(src.removeprefix(ASSET_SCHEME), src)

    def header_context(self, article: Article) -> dict[str, Any]:
        published = article.published_date
        typeset = self.markdown.typeset  # one typography for every field the page shows
        standfirst = typeset(article.standfirst.strip())
        return {
            "id": article.id,
            "headline": typeset(article.headline.strip()),
            "date_iso": published.isoformat(),
            "date_text": format_date(published, self.profile.date_format),
            "category": article.category,
            "category_url": self.category_url(article.category),
            "standfirst": standfirst,
            "ipfs_href": self.ipfs.ipfs_url if self.ipfs else "",
            "ipfs_gateway": self.ipfs.gateway_url if self.ipfs else "",
            "byline": typeset(article.byline.strip()),
            "tags": [t for t in article.tags if t.strip()],
            "description": standfirst,
        }

    def category_url(self, category: str) -> str:
        return f"{self.profile.base_url.rstrip('/')}/category/{slugify(category)}/"

    def render_header(self, article: Article) -> str:
        return str(self._parts.header(self.header_context(article)))

    def render_byline(self, article: Article) -> str:
        return str(self._parts.byline(self.header_context(article)))

    def lead(self, article: Article) -> str:
        d = article.dateline
        return dateline_lead(d.city, d.region, self.profile.dateline)

    def _inline_shas(self, article: Article) -> frozenset[str]:
        """Images the text shows, rescanned only when some body changed.

        Every section's figures depend on every body (an image shown in one
        section's text is no figure anywhere), yet a re-render must not read
        the whole article per section: the bodies are compared by identity
        first, which for untouched strings is a pointer check.
        """
        bodies = tuple(s.body for s in article.sections)
        if bodies != self._inline[0]:
            self._inline = (bodies, asset_shas(bodies))
        return self._inline[1]

    def _images_for(self, article: Article, section: Section, index: int) -> list[Image]:
        if not article.images:
            return []
        ids = {s.id for s in article.sections}
        return [
            img
            for img in figure_images(article, self._inline_shas(article))
            if img.section_id == section.id
            or (index == 0 and (not img.section_id or img.section_id not in ids))
        ]

    def render_section(self, article: Article, section_id: str) -> str:
        """One section's HTML, from the cache unless something it shows changed."""
        index = article.section_index(section_id)
        return self._section_html(article, index)

    def _section_html(self, article: Article, index: int) -> str:
        section = article.sections[index]
        lead = self.lead(article) if index == 0 else ""
        images = self._images_for(article, section, index)
        # The key holds the very strings the section shows: comparing it with
        # the cached one is a pointer check for untouched sections, so a page
        # re-render costs next to nothing for the sections that did not change.
        key = (
            section.subheading,
            section.body,
            lead,
            tuple((i.sha256, i.alt, i.caption, i.credit, self.image_src(i)) for i in images),
        )
        cached = self._sections.get(section.id)
        if cached and cached[0] == key:
            return cached[1]
        self.markdown_renders += 1
        self._asset_map = {i.sha256: self.image_src(i) for i in article.images}
        body_html = self.markdown.render(section.body)
        lead_block = ""
        if lead:
            # The lead is isolated (its own dir), so an Arabic paragraph after a
            # Latin "CAIRO —" still takes its direction from its own words.
            first = _FIRST_PARAGRAPH.match(body_html)
            if first:
                body_html = (
                    Markup(first.group(0))
                    + Markup('<span class="dateline" dir="auto">{}</span> ').format(lead)
                    + Markup(body_html[first.end() :])
                )
            else:
                lead_block = lead
        typeset = self.markdown.typeset
        html = str(
            self._parts.section(
                {
                    "id": section.id,
                    "subheading": typeset(section.subheading.strip()),
                    "lead_block": lead_block,
                    "body_html": Markup(body_html),
                    "images": [
                        {
                            "id": i.id,
                            "src": self.image_src(i),
                            "alt": typeset(i.alt),
                            "caption": typeset(i.caption),
                            "credit": typeset(i.credit),
                        }
                        for i in images
                    ],
                }
            )
        )
        self._sections[section.id] = (key, html)
        return html

    def forget(self, keep_ids: set[str]) -> None:
        """Drop cached sections that no longer exist."""
        for sid in list(self._sections):
            if sid not in keep_ids:
                del self._sections[sid]

    # --- the page --------------------------------------------------------------

    def render_page(self, article: Article, *, head_extra: str = "") -> str:
        sections = [self._section_html(article, i) for i in range(len(article.sections))]
        if len(self._sections) > len(sections):
            self.forget({s.id for s in article.sections})
        return self._page.render(
            a=self.header_context(article),
            site=self.profile,
            sections=sections,
            css=Markup(_css(self.profile.key)),
            head_extra=Markup(head_extra),
            mode=self.mode,
        )


def render_article(article: Article, profile: SiteProfile, **kwargs: Any) -> str:
    """A one-off full render (CLI, tests)."""
    return PageRenderer(profile, **kwargs).render_page(article)
