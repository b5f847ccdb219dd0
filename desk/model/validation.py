"""The pre-export checklist: what blocks publication and what only deserves a look.

Each finding names the field it belongs to, so the editor can jump there, and
says what is wrong in words a writer understands.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from desk.model.article import Article, Status
from desk.model.images import inline_shas
from desk.model.site import SiteProfile


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    level: Level
    #: ``headline``, ``dateline``, ``category``, ``section:<id>``, ``image:<id>``, ...
    field: str
    message: str


_PLACEHOLDER = re.compile(r"\b(TK|TKTK|TODO|FIXME|XXX)\b")

#: Returns the refused URLs in a Markdown text with the reason for each.
LinkChecker = Callable[[str], Iterable[tuple[str, str]]]


def check_category(article: Article, profile: SiteProfile) -> list[Finding]:
    if not article.category:
        return [Finding(Level.ERROR, "category", "Choose a category.")]
    if not profile.has_category(article.category):
        return [
            Finding(
                Level.ERROR,
                "category",
                f"“{article.category}” is not one of {profile.name}'s categories.",
            )
        ]
    return []


def validate(
    article: Article,
    profile: SiteProfile,
    *,
    taken_slugs: set[str] | None = None,
    open_comments: int = 0,
    link_checker: LinkChecker | None = None,
) -> list[Finding]:
    findings: list[Finding] = []
    add = findings.append
    headline = article.headline.strip()
    if not headline:
        add(Finding(Level.ERROR, "headline", "Write a headline."))
    elif len(headline) > profile.headline_limit:
        add(
            Finding(
                Level.ERROR,
                "headline",
                f"The headline is {len(headline)} characters; {profile.name} allows "
                f"{profile.headline_limit}.",
            )
        )
    if not article.dateline.city.strip():
        add(Finding(Level.ERROR, "dateline", "Add the dateline city."))
    if not article.dateline.date:
        add(
            Finding(
                Level.WARNING,
                "dateline",
                "The dateline has no date; the creation date will be published.",
            )
        )
    findings += check_category(article, profile)
    if not any(s.body.strip() for s in article.sections):
        add(Finding(Level.ERROR, "body", "The article has no body text."))
    if not article.slug.strip():
        add(Finding(Level.ERROR, "slug", "The article needs a slug for its web address."))
    elif taken_slugs and article.slug in taken_slugs:
        add(
            Finding(
                Level.ERROR,
                "slug",
                f"The slug “{article.slug}” is already used by another article.",
            )
        )
    if not article.byline.strip():
        add(Finding(Level.WARNING, "byline", "No byline: the article will run unsigned."))
    inline = inline_shas(article)  # their alt text is written in the body: see the checklist
    for img in article.images:
        if not img.alt.strip() and img.sha256.lower() not in inline:
            add(
                Finding(
                    Level.ERROR,
                    f"image:{img.id}",
                    f"Image “{img.filename or img.sha256[:8]}” needs alt text for "
                    "readers who cannot see it.",
                )
            )
    texts = [("headline", article.headline), ("standfirst", article.standfirst)]
    texts += [(f"section:{s.id}", f"{s.subheading}\n{s.body}") for s in article.sections]
    texts += [(f"image:{i.id}", f"{i.caption}\n{i.credit}") for i in article.images]
    for field, text in texts:
        m = _PLACEHOLDER.search(text)
        if m:
            add(Finding(Level.ERROR, field, f"A placeholder “{m.group(1)}” is still in the copy."))
    if link_checker:
        for s in article.sections:
            for url, reason in link_checker(s.body):
                add(Finding(Level.ERROR, f"section:{s.id}", f"Link “{url}” refused: {reason}."))
    if open_comments:
        add(
            Finding(
                Level.WARNING,
                "review",
                f"{open_comments} review comment{'s are' if open_comments > 1 else ' is'} "
                "still open.",
            )
        )
    if article.status not in (Status.APPROVED, Status.PUBLISHED):
        add(
            Finding(
                Level.WARNING, "status", f"The article is “{article.status.label}”, not approved."
            )
        )
    return findings


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.level is Level.ERROR]
