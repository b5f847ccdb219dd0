"""Publishing one article to one destination: export, upload, verify, record.

The order is what keeps a reader from ever seeing half an article: every file
of the bundle goes up first, ``manifest.json`` last, so a site that serves an
article only once its manifest exists shows the old version or the new one,
never a mix. Each finished file and multipart part is committed to the queue
at once; a publish that was cut (network, SIGKILL) asks the server which parts
it already has (``list_parts``) and sends only the rest.

Conflicts: Desk remembers the ETag of each key it wrote. A first publish
writes the page and the manifest with ``If-None-Match: *``, a republish with
``If-Match: <the ETag we wrote>``; a manifest that changed behind our back
means another desk published a newer version, and nothing is overwritten
unless the person asks to.
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from desk.export.bundle import export_article
from desk.export.ipfs import read_car
from desk.export.manifest import MANIFEST_NAME
from desk.model.article import Article, Status, utcnow
from desk.model.workflow import WorkflowError, check_transition
from desk.paths import cache_dir
from desk.profiles import load_site_profile
from desk.publish.credentials import Credentials, load_credentials
from desk.publish.destinations import Destination
from desk.publish.errors import ConflictError, PublishError, PublishPaused, VerifyError
from desk.publish.kubo import KuboNode
from desk.publish.s3 import S3Bucket
from desk.store.annotations import open_count
from desk.store.drafts import DraftStore
from desk.store.publish_queue import FileRow, Job, PublishQueue

#: Files above this go up in parts of this size (S3's minimum part is 5 MiB).
PART_SIZE = 8 * 1024 * 1024
#: Conditional writes guard the two files whose replacement changes what readers see.
GUARDED = ("index.html", MANIFEST_NAME)

#: ``progress(state, bytes_done, bytes_total, label)``, called from the worker's thread.
Progress = Callable[[str, int, int, str], None]


@dataclass
class Outcome:
    destination: str
    state: str
    url: str = ""
    cid: str = ""
    sent: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    bytes_sent: int = 0
    body_requests: int = 0
    message: str = ""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def retry_delay(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min … capped at 15 min: offline is normal, hammering is not."""
    return timedelta(seconds=min(900, 30 * 2 ** max(0, attempts - 1)))


def stage_bundle(store: DraftStore, article: Article) -> tuple[Path, dict, bytes]:
    """Export into the publish cache: the same deterministic bundle as File ▸ Export."""
    staging = cache_dir() / "publish" / article.id
    result = export_article(
        article,
        load_site_profile(article.site),
        store,
        staging,
        open_comments=open_count(store, article.id),
    )
    return result.folder, result.manifest, (result.folder / MANIFEST_NAME).read_bytes()


def plan_files(dest: Destination, slug: str, manifest: dict, manifest_bytes: bytes) -> list:
    """``(key, rel, sha256, size)`` in upload order: assets, text, page, manifest last."""
    car = manifest["ipfs"]["car"]
    entries = {e["path"]: e for e in manifest["files"]}
    if dest.kind == "s3-car":
        e = entries[car]
        return [(f"{dest.prefix}{slug}.car", car, e["sha256"], e["size"])]
    if dest.kind == "kubo":
        e = entries[car]
        return [("", car, e["sha256"], e["size"])]

    def rank(path: str) -> tuple[int, str]:
        order = 0 if "/assets/" in path else 2 if path == "index.html" else 1
        return order, path

    # The CAR is for pinning destinations; the site links to ipfs:// and its gateway.
    rels = sorted((p for p in entries if p != car), key=rank)
    plan = [(dest.key(slug, p), p, entries[p]["sha256"], entries[p]["size"]) for p in rels]
    plan.append(
        (dest.key(slug, MANIFEST_NAME), MANIFEST_NAME, _sha256(manifest_bytes), len(manifest_bytes))
    )
    return plan


class Publisher:
    """Runs one article's publish to one destination; safe to call again to resume."""

    def __init__(
        self,
        store: DraftStore,
        dest: Destination,
        *,
        who: str = "",
        role: str = "writer",
        creds: Credentials | None = None,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
    ) -> None:
        self.store = store
        self.queue = PublishQueue(store)
        self.dest = dest
        self.who = who
        self.role = role
        self.creds = creds
        self.progress = progress or (lambda *_: None)
        self.cancel = cancel or threading.Event()

    # --- the whole run ------------------------------------------------------------

    def publish(
        self, article_id: str, *, overwrite: bool = False, dry_run: bool = False
    ) -> Outcome:
        article = self.store.load(article_id)
        creds = self.creds or load_credentials(self.dest.name, self.dest.kind)
        self.progress("queued", 0, 0, "Exporting")
        folder, manifest, manifest_bytes = stage_bundle(self.store, article)
        plan = plan_files(self.dest, article.slug, manifest, manifest_bytes)
        manifest_sha = _sha256(manifest_bytes)
        cid = manifest["ipfs"]["cid"]
        outcome = Outcome(self.dest.name, "queued", cid=cid)
        if dry_run:
            return self._dry_run(creds, plan, outcome)

        job = self.queue.open_job(article.id, self.dest.name, manifest_sha)
        if job is None:
            job = self.queue.create_job(
                article_id=article.id,
                destination=self.dest.name,
                slug=article.slug,
                bundle=str(folder),
                manifest_sha256=manifest_sha,
                cid=cid,
                files=[(key or rel, sha, size) for key, rel, sha, size in plan],
            )
        try:
            if self.dest.kind == "kubo":
                self._kubo(job, folder, plan, creds, outcome)
            else:
                bucket = S3Bucket(self.dest, creds)
                self._drop_superseded(bucket, article.id, manifest_sha)
                self._upload(job, bucket, folder, plan, overwrite, outcome)
        except PublishError as exc:
            state = (
                "paused"
                if exc.retry
                else "conflict"
                if isinstance(exc, ConflictError)
                else ("failed")
            )
            retry_at = utcnow() + retry_delay(job.attempts + 1) if exc.retry else None
            self.queue.set_state(job.id, state, error=str(exc), retry_at=retry_at, attempt=True)
            self.progress(state, 0, 0, str(exc))
            raise
        url = self.dest.public_page_url(article.slug) or (
            load_site_profile(article.site).ipfs_gateway.rstrip("/") + "/" + cid + "/"
        )
        self.queue.record_publication(job.id, url, self.who)
        outcome.state, outcome.url = "published", url
        outcome.message = self._move_status(article)
        self.progress("published", job.bytes_total, job.bytes_total, url)
        return outcome

    def _dry_run(self, creds: Credentials, plan: list, outcome: Outcome) -> Outcome:
        if self.dest.kind == "kubo":
            outcome.sent = [rel for _, rel, _, _ in plan]
            return outcome
        bucket = S3Bucket(self.dest, creds)
        bucket.check_bucket()
        for key, _rel, sha, _size in plan:
            remote = bucket.head(key)
            (outcome.skipped if remote and remote.sha256 == sha else outcome.sent).append(key)
        outcome.state = "dry-run"
        return outcome

    def _move_status(self, article: Article) -> str:
        if article.status == Status.PUBLISHED:
            return ""
        try:
            check_transition(article.status, Status.PUBLISHED, self.role)
        except WorkflowError as exc:
            return f"status stays {article.status.label}: {exc}"
        self.store.set_status(article.id, Status.PUBLISHED, who=self.who)
        return "status: Published"

    # --- S3 -----------------------------------------------------------------------

    def _drop_superseded(self, bucket: S3Bucket, article_id: str, manifest_sha: str) -> None:
        """An older version's unfinished multipart uploads would only cost storage."""
        for old in self.queue.superseded(article_id, self.dest.name, manifest_sha):
            for f in self.queue.files(old.id):
                if f.upload_id:
                    bucket.abort_multipart(f.key, f.upload_id)
            self.queue.set_state(old.id, "failed", error="replaced by a newer version")

    def _check_conflict(self, bucket: S3Bucket, slug: str, overwrite: bool) -> str:
        """The manifest's ETag to overwrite, or "" for none; raises on someone else's."""
        key = self.dest.key(slug, MANIFEST_NAME)
        remote = bucket.head(key)
        known = self.queue.known_etag(self.dest.name, key)
        if remote is None or remote.etag == known:
            return remote.etag if remote else ""
        if overwrite:
            return remote.etag
        by = remote.metadata.get("published-by") or "someone else"
        at = remote.metadata.get("published-at", "")
        raise ConflictError(
            f"{by} published a newer version of {slug!r} to {self.dest.name}"
            f"{' at ' + at if at else ''}; publish again with overwrite to replace it"
        )

    def _upload(
        self,
        job: Job,
        bucket: S3Bucket,
        folder: Path,
        plan: list,
        overwrite: bool,
        outcome: Outcome,
    ) -> None:
        bucket.check_bucket()
        slug = job.slug
        if self.dest.kind == "s3":
            self._check_conflict(bucket, slug, overwrite)
        self.queue.set_state(job.id, "uploading")
        rows = {f.key: f for f in self.queue.files(job.id)}
        written: dict[str, tuple[str, str]] = {}
        for key, rel, sha, _size in plan:
            if self.cancel.is_set():
                raise PublishPaused("publishing was paused; it resumes where it stopped")
            row = rows[key]
            done = self.queue.job(job.id)
            self.progress("uploading", done.bytes_done, done.bytes_total, f"Uploading {rel}")
            if row.state in ("sent", "skipped"):
                written[key] = (sha, row.etag)
                continue
            data = (folder / rel).read_bytes()
            remote = bucket.head(key)
            if remote and remote.sha256 == sha and remote.size == len(data):
                self.queue.file_done(job.id, key, "skipped", remote.etag)
                outcome.skipped.append(key)
                written[key] = (sha, remote.etag)
                continue
            meta = {"sha256": sha}
            if self.dest.kind == "s3-car":
                meta["import"] = "car"  # Filebase-style pinning: the bucket imports the CAR
            if rel == MANIFEST_NAME:
                meta |= {
                    "published-by": self.who or "unknown",
                    "published-at": utcnow().isoformat(),
                }
            etag = self._send(job, bucket, row, key, rel, data, meta, remote, overwrite)
            self.queue.file_done(job.id, key, "sent", etag)
            outcome.sent.append(key)
            written[key] = (sha, etag)
        self.queue.set_state(job.id, "verifying")
        self.progress("verifying", job.bytes_total, job.bytes_total, "Verifying")
        self._verify(bucket, written, job)
        self.queue.remember_objects(self.dest.name, written)
        outcome.bytes_sent, outcome.body_requests = bucket.bytes_sent, bucket.body_requests

    def _send(
        self,
        job: Job,
        bucket: S3Bucket,
        row: FileRow,
        key: str,
        rel: str,
        data: bytes,
        meta: dict[str, str],
        remote: object,
        overwrite: bool,
    ) -> str:
        if len(data) > PART_SIZE:
            return self._multipart(job, bucket, row, key, data, meta)
        guard: dict[str, object] = {}
        if self.dest.kind == "s3" and rel in GUARDED:
            known = self.queue.known_etag(self.dest.name, key)
            current = getattr(remote, "etag", "")
            if current and (overwrite or current == known):
                guard = {"if_match": current}
            elif current:
                guard = {"if_match": known or '"none"'}
            else:
                guard = {"if_none_match": True}
        etag = bucket.put(key, data, meta, **guard)  # type: ignore[arg-type]
        self.queue.add_bytes(job.id, len(data))
        return etag

    def _multipart(
        self, job: Job, bucket: S3Bucket, row: FileRow, key: str, data: bytes, meta: dict
    ) -> str:
        upload_id = row.upload_id
        have: dict[int, tuple[str, int]] | None = None
        if upload_id:
            have = bucket.list_parts(key, upload_id)  # the server's word, not our notes
        if not upload_id or have is None:
            upload_id = bucket.start_multipart(key, meta)
            self.queue.start_multipart(job.id, key, upload_id, PART_SIZE)
            have = {}
        etags: dict[int, str] = {}
        count = (len(data) + PART_SIZE - 1) // PART_SIZE
        for number in range(1, count + 1):
            chunk = data[(number - 1) * PART_SIZE : number * PART_SIZE]
            held = have.get(number)
            if held and held[1] == len(chunk):
                etags[number] = held[0]
                if number not in self.queue.parts(job.id, key):
                    self.queue.part_done(job.id, key, number, held[0], len(chunk))
                continue
            if self.cancel.is_set():
                raise PublishPaused("publishing was paused; it resumes where it stopped")
            etags[number] = bucket.upload_part(key, upload_id, number, chunk)
            self.queue.part_done(job.id, key, number, etags[number], len(chunk))
            done = self.queue.job(job.id)
            self.progress("uploading", done.bytes_done, done.bytes_total, f"Uploading {key}")
        return bucket.complete_multipart(key, upload_id, etags)

    def _verify(self, bucket: S3Bucket, written: dict[str, tuple[str, str]], job: Job) -> None:
        sizes = {f.key: f.size for f in self.queue.files(job.id)}
        for key, (sha, etag) in written.items():
            remote = bucket.head(key)
            if remote is None:
                raise VerifyError(f"{key} is missing at {self.dest.name} after the upload")
            if remote.sha256 != sha or remote.size != sizes[key] or (etag and remote.etag != etag):
                raise VerifyError(
                    f"{key} at {self.dest.name} is not what was exported "
                    "(changed after the upload); not marked as published"
                )
        if self.dest.kind == "s3-car":
            (key,) = written
            self._check_car(bucket, key, job.cid)

    def _check_car(self, bucket: S3Bucket, key: str, cid: str) -> None:
        """The stored CAR's root must be our CID, and so must the service's, if it says one."""
        from desk.publish.kubo import check_root

        remote = bucket.head(key)
        claimed = (remote.metadata.get("cid") if remote else "") or ""
        if claimed:
            check_root([(claimed, "")], cid, f"{self.dest.name} ({self.dest.endpoint})")
        try:  # the whole CAR: every block is re-hashed as a gateway would
            roots, _ = read_car(io.BytesIO(bucket.get(key)))
        except Exception:
            raise VerifyError(f"{key} at {self.dest.name} is not a readable CAR") from None
        if roots != [cid]:
            raise VerifyError(f"{key} at {self.dest.name} has roots {roots}, not {cid}")

    # --- Kubo ---------------------------------------------------------------------

    def _kubo(
        self, job: Job, folder: Path, plan: list, creds: Credentials, outcome: Outcome
    ) -> None:
        (_, rel, _sha, _size) = plan[0]
        self.queue.set_state(job.id, "uploading")
        node = KuboNode(self.dest, creds.token)
        node.import_car(Path(rel).name, (folder / rel).read_bytes(), job.cid)
        outcome.sent.append(rel)
        outcome.bytes_sent, outcome.body_requests = node.bytes_sent, node.body_requests
