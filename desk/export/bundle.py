"""The publish-ready bundle: one folder per article, optionally zipped.

Layout of ``<out>/<slug>/`` (and of ``<slug>/`` inside ``<out>/<slug>.zip``)::

    index.html            the site page, JSON-LD + Open Graph, links to the CID
    article.json          IPTC ninjs 3.1, cites the CID
    manifest.json         size + SHA-256 of every other file, the CID, the checklist
    content/              ← the IPFS CID is the CID of this folder
        article.md        Markdown + YAML front matter (Hugo, Jekyll)
        assets/<sha256[:16]>.<ext>
    ipfs/<slug>.car       CARv1 of content/, single root = the CID

Why the CID covers ``content/`` and nothing else: a CID is a hash of the
bytes it covers, so no file under it can contain it. The page, the ninjs and
the manifest all state the CID, so they sit outside; what is inside is the
article itself (Markdown) and its images, i.e. exactly what someone fetching
``ipfs://CID`` needs to republish the story. The CAR holds the same folder,
so it goes outside too (it would otherwise have to contain itself).

Everything is a function of the article and the site profile: no clock, no
random names, no machine paths. The same article gives byte-identical files
and the same CID; a status change alters only ``article.json`` (``pubStatus``,
``version``) and the manifest that hashes it.
"""

from __future__ import annotations

import io
import json
import re
import stat
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desk.export.atomic import (
    clean_stale_temps,
    fsync_tree,
    install,
    remove_quietly,
    temp_dir_beside,
    temp_file_beside,
    write_file,
    write_zip,
)
from desk.export.checklist import run_checklist
from desk.export.context import (
    CONTENT_DIR,
    ExportContext,
    ExportError,
    asset_name,
    load_assets,
)
from desk.export.ipfs import extract_car, import_directory, read_car, write_car
from desk.export.jsonld import head_extra
from desk.export.manifest import (
    MANIFEST_NAME,
    build_manifest,
    encode_json,
    is_bundle_manifest,
)
from desk.export.markdown_out import article_markdown
from desk.export.ninjs import IpfsInfo, article_ninjs
from desk.model.article import Article
from desk.model.site import SiteProfile
from desk.model.validation import Finding, blocking
from desk.render.markdown import NewsMarkdown
from desk.render.page import IpfsLinks, PageRenderer
from desk.store.drafts import DraftStore

__all__ = ["ExportBlockedError", "ExportError", "ExportResult", "Progress", "export_article"]

#: ``progress(done, total, label)``: steps finished so far, steps in all, what comes next.
Progress = Callable[[int, int, str], None]

_SAFE_SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


class ExportBlockedError(ExportError):
    """The checklist has blocking errors and the export was not forced."""

    def __init__(self, findings: list[Finding]) -> None:
        n = len(findings)
        super().__init__(
            f"export refused: {n} blocking problem{'s' if n != 1 else ''} "
            "(fix them or force the export)"
        )
        self.findings = findings


@dataclass(frozen=True)
class ExportResult:
    folder: Path
    zip_path: Path | None
    cid: str
    manifest: dict[str, Any]
    findings: list[Finding] = field(default_factory=list)


class _Steps:
    """Counts steps for the progress callback; the UI draws a bar from it."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.done = 0
        self.total = total
        self._progress = progress

    def next(self, label: str) -> None:
        if self._progress is not None:
            self._progress(self.done, self.total, label)
        self.done += 1

    def finish(self) -> None:
        if self._progress is not None:
            self._progress(self.total, self.total, "Done")


def _check_destination(folder: Path) -> None:
    """Only ever replace something this tool made: ``--out ~`` must not eat a folder."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise ExportError(f"{folder}: exists and is not a bundle folder; not replacing it")
    if folder.is_dir():
        manifest = folder / MANIFEST_NAME
        try:
            ok = is_bundle_manifest(json.loads(manifest.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            ok = False
        if not ok:
            raise ExportError(
                f"{folder}: exists and is not a Desk bundle (no {MANIFEST_NAME}); not replacing it"
            )


def _check_zip_destination(zip_dest: Path, slug: str, *, force: bool) -> None:
    """The folder's rule for the zip: replace a zip Desk wrote, anything else only with --force.

    A Desk bundle zip is recognised by its ``<slug>/manifest.json``; reading
    it is bounded (one small member), so a hostile zip cannot stall us.
    """
    if not (zip_dest.exists() or zip_dest.is_symlink()):
        return
    if zip_dest.is_dir():
        raise ExportError(f"{zip_dest}: exists and is a folder; not replacing it")
    if force or (not zip_dest.is_symlink() and _is_bundle_zip(zip_dest, slug)):
        return
    raise ExportError(
        f"{zip_dest}: exists and is not a Desk bundle zip; not replacing it "
        "(move it away, or export with --force to replace it)"
    )


def _is_bundle_zip(path: Path, slug: str) -> bool:
    name = f"{slug}/{MANIFEST_NAME}"
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return False
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo(name)
            if info.file_size > 4 * 1024 * 1024:
                return False
            return is_bundle_manifest(json.loads(zf.read(info)))
    except (OSError, KeyError, ValueError, RuntimeError, EOFError, zipfile.BadZipFile, zlib.error):
        return False


def plain_body(ctx: ExportContext, markdown: NewsMarkdown) -> str:
    """The body as a reader reads it: dateline lead, subheadings, paragraphs; no captions."""
    blocks: list[str] = []
    for i, section in enumerate(ctx.article.sections):
        if section.subheading.strip():
            blocks.append(" ".join(section.subheading.split()))
        text = markdown.plain_text(section.body)
        if i == 0 and ctx.dateline_lead:
            text = f"{ctx.dateline_lead} {text}" if text else ctx.dateline_lead
        if text:
            blocks.append(text)
    return "\n\n".join(blocks)


def html_body(ctx: ExportContext) -> str:
    """The page's sections with absolute image URLs, for consumers of the ninjs alone."""
    renderer = PageRenderer(
        ctx.profile,
        mode="export",
        image_src=lambda img: ctx.asset_url(ctx.asset_for(img)),
    )
    return "\n".join(renderer.render_section(ctx.article, s.id) for s in ctx.article.sections)


def _verify_car(car: bytes, cid: str, expected: dict[str, bytes]) -> None:
    """Re-read the CAR as a stranger would and insist it holds exactly what we wrote."""
    roots, _ = read_car(io.BytesIO(car))
    if roots != [cid]:
        raise ExportError(f"CAR check failed: roots {roots} instead of [{cid}]")
    files = extract_car(io.BytesIO(car))
    if files.keys() != expected.keys():
        raise ExportError(
            f"CAR check failed: files differ: {sorted(files.keys() ^ expected.keys())}"
        )
    for path, data in expected.items():
        if files[path] != data:
            raise ExportError(f"CAR check failed: {CONTENT_DIR}/{path} differs")


def export_article(
    article: Article,
    profile: SiteProfile,
    store: DraftStore | None,
    out: Path | str,
    *,
    make_zip: bool = False,
    force: bool = False,
    open_comments: int = 0,
    progress: Progress | None = None,
) -> ExportResult:
    """Write ``<out>/<slug>/`` (and ``<out>/<slug>.zip``) for *article*, atomically.

    Runs the checklist first and raises :class:`ExportBlockedError` on
    blocking errors unless *force*. Images come from *store* (which may be
    ``None`` only for an article without images); after success the store
    records an "export" snapshot so history shows what was published.
    """
    findings = run_checklist(article, profile, store, open_comments)
    if blocking(findings) and not force:
        raise ExportBlockedError(blocking(findings))
    slug = article.slug
    if not _SAFE_SLUG.fullmatch(slug or ""):
        raise ExportError(f"slug {slug!r} cannot name a folder; set a plain slug first")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    folder = out / slug
    zip_dest = out / f"{slug}.zip" if make_zip else None
    _check_destination(folder)
    if zip_dest is not None:
        _check_zip_destination(zip_dest, slug, force=force)
    clean_stale_temps(out)

    distinct = {asset_name(img) for img in article.images}
    steps = _Steps(8 + len(distinct) + (1 if make_zip else 0), progress)
    if article.images and store is None:
        raise ExportError("the article has images but no draft store was given to read them")
    blobs: dict[str, bytes] = {}

    def blob(sha256: str) -> bytes:
        steps.next(f"Reading image {len(blobs) + 1} of {len(distinct)}")
        assert store is not None
        blobs[sha256] = store.blob(sha256)
        return blobs[sha256]

    ctx = ExportContext(article, profile, tuple(load_assets(article, blob)))
    car_rel = f"ipfs/{slug}.car"

    tmp = temp_dir_beside(folder, "tmp")
    tmp_zip: Path | None = None
    try:
        # 1. The folder the CID covers: Markdown and images, nothing that cites the CID.
        steps.next("Writing Markdown and images")
        content: dict[str, bytes] = {"article.md": article_markdown(ctx).encode("utf-8")}
        for asset in ctx.assets:
            content[asset.content_path] = asset.data
        for rel, data in content.items():
            write_file(tmp / CONTENT_DIR / rel, data)

        # 2. CID and CAR, then read the CAR back before trusting it.
        steps.next("Computing the IPFS CID")
        imported = import_directory(tmp / CONTENT_DIR)
        cid = imported.root_cid
        steps.next("Writing the CAR")
        car_buf = io.BytesIO()
        write_car(imported, car_buf)
        car = car_buf.getvalue()
        write_file(tmp / car_rel, car)
        steps.next("Verifying the CAR")
        _verify_car((tmp / car_rel).read_bytes(), cid, content)

        # 3. The files that cite the CID.
        steps.next("Rendering the page")
        gateway = profile.ipfs_gateway.rstrip("/") + "/"
        renderer = PageRenderer(
            profile,
            mode="export",
            image_src=lambda img: ctx.asset_for(img).bundle_path,
            ipfs=IpfsLinks(cid, f"{gateway}{cid}/"),
        )
        page = renderer.render_page(article, head_extra=head_extra(ctx)).encode("utf-8")
        steps.next("Writing ninjs")
        ipfs = IpfsInfo(
            cid=cid,
            cids_by_path=imported.cids_by_path,
            car_path=car_rel,
            car_size=len(car),
            markdown_size=len(content["article.md"]),
        )
        ninjs = article_ninjs(
            ctx,
            body_html=html_body(ctx),
            body_text=plain_body(ctx, NewsMarkdown(profile.base_url)),
            ipfs=ipfs,
        )
        files: dict[str, bytes] = {
            "index.html": page,
            "article.json": encode_json(ninjs),
            car_rel: car,
        }
        files |= {f"{CONTENT_DIR}/{rel}": data for rel, data in content.items()}
        write_file(tmp / "index.html", files["index.html"])
        write_file(tmp / "article.json", files["article.json"])

        steps.next("Writing the manifest")
        manifest = build_manifest(
            article,
            files=files,
            cid=cid,
            cid_root=CONTENT_DIR,
            car_path=car_rel,
            findings=findings,
        )
        files[MANIFEST_NAME] = encode_json(manifest)
        write_file(tmp / MANIFEST_NAME, files[MANIFEST_NAME])
        fsync_tree(tmp)

        if zip_dest is not None:
            steps.next("Writing the zip")
            tmp_zip = temp_file_beside(zip_dest, "tmp")
            write_zip(tmp_zip, files, prefix=slug, when=article.updated_at)

        steps.next("Moving the bundle into place")
        install(tmp, folder, tmp_zip, zip_dest)
    except BaseException:
        remove_quietly(tmp)
        remove_quietly(tmp_zip)
        raise

    if store is not None:
        store.snapshot(article, "export")
        store.fix_slug(article.id)  # the bundle's folder and URLs carry it now
    steps.finish()
    return ExportResult(
        folder=folder, zip_path=zip_dest, cid=cid, manifest=manifest, findings=findings
    )
