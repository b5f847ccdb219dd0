"""``article.json``: the article as an IPTC ninjs 3.1 news item.

ninjs 3.1 rejects unknown properties at every level (``unevaluatedProperties:
false``) and has no extension point, so nothing Desk-specific may be invented
here. Our extras use properties the schema already defines:

* ``altIds`` – the Desk article id (role ``desk:article-id``) and the IPFS
  CID of the content folder (role ``ipfs:cid``);
* ``renditions`` – the web page, the content folder on IPFS (``ipfs://CID/``)
  and through the site's gateway, the Markdown inside it, and the CAR file.
  The schema calls a rendition's size ``sizeInBytes`` (there is no ``size``);
* ``standard`` – which ninjs version and schema this item claims to meet.

Images are full ninjs objects in ``associations`` (``name`` and ``uri``
required): the ``uri`` is the image file's own IPFS CID (a content
identifier, as ninjs wants an identifier rather than a link), the renditions
link the published asset and its path under the folder CID, and the SHA-256
is an ``altId``.

Every date is ISO 8601 with offset in the site's zone. ``pubStatus`` follows
the workflow (``usable`` once approved or published, else ``withheld``) and
``version`` is the store's revision counter, so those two fields – and only
they – change when just the status changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desk.export.context import Asset, ExportContext
from desk.model.article import Image, Status, slugify
from desk.render.markdown import typeset

NINJS_VERSION = "3.1"
NINJS_SCHEMA_URI = "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#"
CAR_MEDIA_TYPE = "application/vnd.ipld.car"


@dataclass(frozen=True)
class IpfsInfo:
    """What the IPFS step settled, for the files outside the CID's folder to cite."""

    cid: str
    #: Path (relative to the content folder) → CID, as ``import_directory`` reports it.
    cids_by_path: dict[str, str]
    #: Path of the CAR relative to the bundle folder, and its size.
    car_path: str
    car_size: int
    markdown_size: int


def pub_status(status: Status) -> str:
    return "usable" if status in (Status.APPROVED, Status.PUBLISHED) else "withheld"


def _body(value: str, content_type: str, plain: str, words: int) -> dict[str, Any]:
    # The HTML body and the text body report the same numbers. The word count
    # is the article's, as the writer's status bar, the JSON-LD and `desk show`
    # give it (standfirst, subheadings, bodies): one definition everywhere.
    return {
        "role": "main",
        "contentType": content_type,
        "charCount": len(plain),
        "wordCount": words,
        "value": value,
    }


def _association(ctx: ExportContext, image: Image, asset: Asset, ipfs: IpfsInfo) -> dict[str, Any]:
    item: dict[str, Any] = {
        "name": image.filename.strip() or asset.name,
        "rel": "image",
        "uri": f"ipfs://{ipfs.cids_by_path[asset.content_path]}",
        "type": "picture",
        "altIds": [{"role": "sha256", "value": image.sha256.lower()}],
        "renditions": [
            {
                "name": "original",
                "href": ctx.asset_url(asset),
                "contentType": image.media_type,
                "sizeInBytes": asset.size,
            },
            {
                "name": "ipfs",
                "href": f"ipfs://{ipfs.cid}/{asset.content_path}",
                "contentType": image.media_type,
                "sizeInBytes": asset.size,
            },
        ],
    }
    descriptions = [
        {"role": role, "contentType": "text/plain", "value": typeset(text.strip())}
        for role, text in (("alt", image.alt), ("caption", image.caption))
        if text.strip()
    ]
    if descriptions:
        item["descriptions"] = descriptions
    if image.credit.strip():
        item["by"] = typeset(image.credit.strip())
    return item


def article_ninjs(
    ctx: ExportContext, *, body_html: str, body_text: str, ipfs: IpfsInfo
) -> dict[str, Any]:
    """The ninjs document; validate with the IPTC schema, which the tests do."""
    a = ctx.article
    profile = ctx.profile
    gateway = profile.ipfs_gateway.rstrip("/") + "/"
    doc: dict[str, Any] = {
        "uri": ctx.canonical_url,
        "standard": {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA_URI},
        "type": "text",
        "representationType": "full",
        "profile": "text-photo" if a.images else "text-only",
        "version": str(a.version),
        "firstCreated": ctx.created,
        "versionCreated": ctx.modified,
        "contentCreated": ctx.created,
        "pubStatus": pub_status(a.status),
        "language": profile.language,
        "headlines": [{"role": "main", "contentType": "text/plain", "value": ctx.headline}],
        "descriptions": (
            [{"role": "summary", "contentType": "text/plain", "value": ctx.standfirst}]
            if ctx.standfirst
            else []
        ),
        "bodies": [
            _body(body_html, "text/html", body_text, ctx.word_count),
            _body(body_text, "text/plain", body_text, ctx.word_count),
        ],
        "by": ctx.byline,
        "slugline": a.slug,
        "located": ctx.dateline,
        "subjects": (
            [
                {
                    "name": a.category,
                    "rel": "category",
                    "uri": f"{profile.base_url.rstrip('/')}/category/{slugify(a.category)}/",
                }
            ]
            if a.category
            else []
        )
        + [{"name": tag, "rel": "tag"} for tag in ctx.tags],
        "altIds": [
            {"role": "desk:article-id", "value": a.id},
            {"role": "ipfs:cid", "value": ipfs.cid},
        ],
        "renditions": [
            {"name": "web", "href": ctx.canonical_url, "contentType": "text/html"},
            {"name": "ipfs", "href": f"ipfs://{ipfs.cid}/", "title": "Content folder on IPFS"},
            {"name": "ipfs-gateway", "href": f"{gateway}{ipfs.cid}/", "title": "IPFS gateway"},
            {
                "name": "markdown",
                "href": f"ipfs://{ipfs.cid}/article.md",
                "contentType": "text/markdown",
                "sizeInBytes": ipfs.markdown_size,
            },
            {
                "name": "car",
                "href": ctx.canonical_url + ipfs.car_path,
                "contentType": CAR_MEDIA_TYPE,
                "sizeInBytes": ipfs.car_size,
            },
        ],
        "associations": [_association(ctx, img, ctx.asset_for(img), ipfs) for img in a.images],
    }
    return {k: v for k, v in doc.items() if v not in ("", [], None)}
