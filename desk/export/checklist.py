"""The pre-export checklist, wired to the things only the export layer can see.

``desk.model.validation`` holds the rules but may not import the renderer or
the store. Here the rules get what they need: the slugs other drafts already
use (from the store), the links the renderer would refuse (from
``NewsMarkdown.links``, the same code that renders the page, so the checklist
can never disagree with what readers get), and the images the bundle would
be unable to ship.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from desk.model.article import Article
from desk.model.site import SiteProfile
from desk.model.validation import Finding, Level, LinkChecker, validate
from desk.render.markdown import NewsMarkdown
from desk.store.drafts import DraftStore, NotFoundError

#: Image types a bundle may carry. SVG is left out on purpose: opened directly
#: from the site's origin it can run script, the same reason Markdown refuses
#: ``data:image/svg+xml``.
EXPORTABLE_IMAGE_TYPES: dict[str, str] = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/avif": "avif",
}

_DESK_ASSET = re.compile(r"^desk-asset:([0-9a-fA-F]{64})$")


def link_checker_for(article: Article, profile: SiteProfile) -> LinkChecker:
    """Refused URLs per section body, plus inline store images the bundle would not carry.

    An inline ``desk-asset:`` image is only rewritten to a bundle asset when
    it is one of the article's images; any other would export as a broken
    ``desk-asset:`` address, so it is refused here rather than found later
    by a reader.
    """
    markdown = NewsMarkdown(profile.base_url)
    attached = {img.sha256.lower() for img in article.images}

    def check(text: str) -> Iterator[tuple[str, str]]:
        for link in markdown.links(text):
            if not link.ok:
                yield link.url, link.reason
                continue
            m = _DESK_ASSET.match(link.url.strip())
            if link.kind == "image" and m and m.group(1).lower() not in attached:
                yield link.url, "the image is not among the article's images"

    return check


def _file_name(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1] or url


def body_image_findings(article: Article, profile: SiteProfile) -> list[Finding]:
    """Images written in the text: each must travel with the article and say what it shows.

    ``![](bike.png)`` names a file on the writer's computer; the page would
    ship without it and readers would get a broken image, so it blocks until
    the file is added to the draft (dropped into the section or imported).
    """
    markdown = NewsMarkdown(profile.base_url)
    findings: list[Finding] = []
    for s in article.sections:
        if "![" not in s.body:
            continue
        for link in markdown.links(s.body):
            if link.kind != "image" or not link.ok:
                continue  # refused images are reported by the link check
            field = f"section:{s.id}"
            local = link.reason == "relative URL"
            if local:
                findings.append(
                    Finding(
                        Level.ERROR,
                        field,
                        f"Image “{_file_name(link.url)}” in the text is a file on this "
                        "computer, not part of the draft: delete it and drop the file into "
                        "the section instead, so it is published with the article.",
                    )
                )
            if not link.alt.strip():
                name = (
                    "an image"
                    if _DESK_ASSET.match(link.url.strip())
                    else (f"image “{_file_name(link.url)}”")
                )
                findings.append(
                    Finding(
                        Level.ERROR,
                        field,
                        f"In the text, {name} has no alt text: describe it between the "
                        "brackets of ![…] for readers who cannot see it.",
                    )
                )
    return findings


def taken_slugs(store: DraftStore, article_id: str) -> set[str]:
    """Slugs of every other draft, trashed ones included: they still own their slug."""
    drafts = store.list_drafts() + store.list_drafts(trashed=True)
    return {d.slug for d in drafts if d.id != article_id and d.slug}


def _in_store(store: DraftStore, sha256: str) -> bool:
    # The store has no existence query; reading the blob costs about a
    # millisecond per MB and answers the question the export will ask anyway.
    try:
        store.blob(sha256)
    except NotFoundError:
        return False
    return True


def _image_findings(article: Article, store: DraftStore | None) -> list[Finding]:
    findings: list[Finding] = []
    for img in article.images:
        field = f"image:{img.id}"
        label = img.filename or img.sha256[:8] or img.id[:8]
        if img.media_type not in EXPORTABLE_IMAGE_TYPES:
            findings.append(
                Finding(
                    Level.ERROR,
                    field,
                    f"Image “{label}” is {img.media_type or 'of unknown type'}; the site "
                    f"publishes {', '.join(sorted(EXPORTABLE_IMAGE_TYPES))}.",
                )
            )
        if store is not None and not _in_store(store, img.sha256):
            findings.append(
                Finding(Level.ERROR, field, f"Image “{label}” is missing from the draft store.")
            )
    return findings


def run_checklist(
    article: Article,
    profile: SiteProfile,
    store: DraftStore | None = None,
    open_comments: int = 0,
) -> list[Finding]:
    """Everything that blocks (``Level.ERROR``) or deserves a look before export.

    ``open_comments`` comes from the review layer, which owns comments; the
    checklist only reports the number.
    """
    findings = validate(
        article,
        profile,
        taken_slugs=taken_slugs(store, article.id) if store is not None else None,
        open_comments=open_comments,
        link_checker=link_checker_for(article, profile),
    )
    return findings + body_image_findings(article, profile) + _image_findings(article, store)
