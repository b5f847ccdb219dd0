"""Publishing to a real S3 server (SeaweedFS on loopback): upload, skip, resume, verify."""

from __future__ import annotations

import io
import json
import threading

import pytest
from publish_fixtures import make_destination, ready_article

from desk.export.manifest import MANIFEST_NAME
from desk.model.article import Status
from desk.publish.errors import ConflictError, PublishError, PublishPaused, VerifyError
from desk.publish.runner import PART_SIZE, Publisher
from desk.store.drafts import DraftStore
from desk.store.publish_queue import PublishQueue


def keys(server, bucket: str) -> dict[str, dict]:
    out = {}
    for page in server.client().get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for obj in page.get("Contents", []):
            out[obj["Key"]] = obj
    return out


def test_publish_puts_the_whole_bundle_under_prefix_slug(s3_server, store, monkeypatch):
    article_id = ready_article(store, images=2)
    dest = make_destination(s3_server, monkeypatch)
    out = Publisher(store, dest, who="Ana", role="editor").publish(article_id)

    slug = store.load(article_id).slug
    stored = keys(s3_server, dest.bucket)
    manifest = json.loads(
        s3_server.client()
        .get_object(Bucket=dest.bucket, Key=f"articles/{slug}/{MANIFEST_NAME}")["Body"]
        .read()
    )
    expected = {f"articles/{slug}/{f['path']}" for f in manifest["files"]} - {
        f"articles/{slug}/{manifest['ipfs']['car']}"
    }
    assert set(stored) == expected | {f"articles/{slug}/{MANIFEST_NAME}"}
    # Every file carries its SHA-256, and it is the manifest's.
    client = s3_server.client()
    for entry in manifest["files"]:
        key = f"articles/{slug}/{entry['path']}"
        if key in stored:
            head = client.head_object(Bucket=dest.bucket, Key=key)
            assert head["Metadata"]["sha256"] == entry["sha256"]
            assert head["ContentLength"] == entry["size"]
    assert out.sent[-1].endswith(MANIFEST_NAME)  # the "complete" marker goes last
    assert out.state == "published"
    assert out.url == f"https://openvoicenews.example/articles/{slug}/"
    assert out.cid == manifest["ipfs"]["cid"]
    pubs = PublishQueue(store).publications(article_id)
    assert [(p.destination, p.cid, p.url) for p in pubs] == [("site", out.cid, out.url)]
    # An editor publishing an approved piece moves it to Published... this one was a draft:
    assert store.load(article_id).status == Status.DRAFT
    assert "status stays" in out.message


def test_editor_publishing_an_approved_article_marks_it_published(s3_server, store, monkeypatch):
    article_id = ready_article(store)
    for status in (Status.IN_REVIEW, Status.APPROVED):
        store.set_status(article_id, status, who="Ana")
    dest = make_destination(s3_server, monkeypatch)
    out = Publisher(store, dest, who="Ed", role="editor").publish(article_id)
    assert store.load(article_id).status == Status.PUBLISHED
    assert out.message == "status: Published"
    assert store.status_history(article_id)[-1][:2] == ("published", "Ed")


def test_republish_skips_unchanged_files_and_sends_only_what_changed(s3_server, store, monkeypatch):
    article_id = ready_article(store, images=3, image_bytes=200_000)
    dest = make_destination(s3_server, monkeypatch)
    first = Publisher(store, dest, role="writer").publish(article_id)
    assert len(first.sent) == 7 and first.skipped == []  # 3 images, 3 texts, manifest

    again = Publisher(store, dest, role="writer").publish(article_id)
    assert again.sent == [] and again.body_requests == 0  # nothing changed, nothing sent

    article = store.load(article_id)
    article.sections[0].body = article.sections[0].body.replace("the", "a", 1)
    store.save(article)
    third = Publisher(store, dest, role="writer").publish(article_id)
    sent = {k.rsplit("/", 1)[-1] for k in third.sent}
    assert sent == {"index.html", "article.json", "article.md", MANIFEST_NAME}
    assert not any("/assets/" in k for k in third.sent)  # the images were not sent again
    assert third.body_requests == 4
    assert third.bytes_sent < 200_000


def test_resume_after_a_cut_sends_only_the_missing_parts(s3_server, store, monkeypatch):
    article_id = ready_article(store, images=1, image_bytes=4 * PART_SIZE + 1000)
    dest = make_destination(s3_server, monkeypatch)
    cancel = threading.Event()
    parts_seen: list[int] = []

    def progress(state: str, done: int, total: int, label: str) -> None:
        if "assets/" in label and state == "uploading" and done:
            parts_seen.append(done)
            if len(parts_seen) == 2:  # the connection "drops" after two parts
                cancel.set()

    with pytest.raises(PublishPaused):
        Publisher(store, dest, progress=progress, cancel=cancel).publish(article_id)
    queue = PublishQueue(store)
    (job,) = queue.jobs(article_id)
    assert job.state == "paused" and job.next_retry_at
    uploading = [f for f in queue.files(job.id) if f.upload_id]
    assert len(uploading) == 1 and len(queue.parts(job.id, uploading[0].key)) == 2

    resumed = Publisher(store, dest).publish(article_id)
    image_size = uploading[0].size
    # Two of five parts were on the server: only the other three went again.
    assert image_size - 2 * PART_SIZE <= resumed.bytes_sent < image_size - 2 * PART_SIZE + 200_000
    assert resumed.state == "published"
    head = s3_server.client().head_object(Bucket=dest.bucket, Key=uploading[0].key)
    assert head["ContentLength"] == image_size


def test_a_second_desk_publishing_the_same_article_gets_a_conflict(
    s3_server, store, tmp_path, monkeypatch
):
    article_id = ready_article(store)
    dest = make_destination(s3_server, monkeypatch)
    Publisher(store, dest, who="Ana").publish(article_id)

    with DraftStore(tmp_path / "other.db") as other:
        copy = store.load(article_id)
        other.create(copy)
        with pytest.raises(ConflictError, match="Ana published a newer version"):
            Publisher(other, dest, who="Ben").publish(article_id)
        (job,) = PublishQueue(other).jobs(article_id)
        assert job.state == "conflict"
        # Asked to, Ben overwrites; then Ana's desk is the one that is behind.
        edited = other.load(article_id)
        edited.standfirst += " Updated."
        other.save(edited)
        Publisher(other, dest, who="Ben").publish(article_id, overwrite=True)
    with pytest.raises(ConflictError, match="Ben published a newer version"):
        Publisher(store, dest, who="Ana").publish(article_id)


def test_wrong_credentials_fail_in_one_line_and_publish_nothing(s3_server, store, monkeypatch):
    article_id = ready_article(store)
    dest = make_destination(s3_server, monkeypatch, secret="not-the-secret")
    with pytest.raises(PublishError, match="refused the access key") as info:
        Publisher(store, dest).publish(article_id)
    assert "\n" not in str(info.value)
    assert keys(s3_server, dest.bucket) == {}
    (job,) = PublishQueue(store).jobs(article_id)
    assert job.state == "failed"
    assert PublishQueue(store).publications(article_id) == []


def test_missing_bucket_is_named(s3_server, store, monkeypatch):
    article_id = ready_article(store)
    dest = make_destination(s3_server, monkeypatch, bucket="no-such-bucket-here")
    with pytest.raises(PublishError, match="bucket 'no-such-bucket-here' does not exist"):
        Publisher(store, dest).publish(article_id)


def test_verification_catches_a_tampered_object(s3_server, store, monkeypatch):
    article_id = ready_article(store)
    dest = make_destination(s3_server, monkeypatch)
    slug = store.load(article_id).slug
    client = s3_server.client()

    def tamper(state: str, *_: object) -> None:
        if state == "verifying":  # someone swaps the Markdown between upload and check
            key = f"articles/{slug}/content/article.md"
            meta = client.head_object(Bucket=dest.bucket, Key=key)["Metadata"]
            client.put_object(Bucket=dest.bucket, Key=key, Body=b"# forged\n", Metadata=meta)

    with pytest.raises(VerifyError, match=r"content/article\.md .* is not what was exported"):
        Publisher(store, dest, progress=tamper).publish(article_id)
    assert PublishQueue(store).publications(article_id) == []


def test_unreachable_endpoint_pauses_the_job_for_a_retry(store, monkeypatch):
    from s3_fixtures import free_ports

    from desk.publish.destinations import validate

    article_id = ready_article(store)
    (port,) = free_ports(1)
    dest = validate(
        {"name": "gone", "kind": "s3", "endpoint": f"http://127.0.0.1:{port}", "bucket": "b"}
    )
    monkeypatch.setenv("DESK_GONE_ACCESS_KEY", "k")
    monkeypatch.setenv("DESK_GONE_SECRET_KEY", "s")
    with pytest.raises(PublishPaused, match="cannot reach gone"):
        Publisher(store, dest).publish(article_id)
    (job,) = PublishQueue(store).jobs(article_id)
    assert job.state == "paused" and job.next_retry_at and job.attempts == 1


def test_s3_car_destination_stores_a_readable_car_marked_for_import(s3_server, store, monkeypatch):
    from desk.export.car import read_car

    article_id = ready_article(store, images=1)
    dest = make_destination(s3_server, monkeypatch, name="pin", kind="s3-car")
    out = Publisher(store, dest).publish(article_id)
    slug = store.load(article_id).slug
    key = f"articles/{slug}.car"
    client = s3_server.client()
    head = client.head_object(Bucket=dest.bucket, Key=key)
    assert head["Metadata"]["import"] == "car"
    roots, blocks = read_car(
        io.BytesIO(client.get_object(Bucket=dest.bucket, Key=key)["Body"].read())
    )
    assert roots == [out.cid] and blocks
    assert list(keys(s3_server, dest.bucket)) == [key]


def out_cid(store: DraftStore, article_id: str) -> str:
    (job,) = PublishQueue(store).jobs(article_id)
    return job.cid


def test_s3_car_pinned_cid_must_match(s3_server, store, monkeypatch):
    """Filebase answers with the pinned CID in x-amz-meta-cid; another CID fails the publish."""
    from desk.publish.errors import PinMismatchError

    article_id = ready_article(store)
    dest = make_destination(s3_server, monkeypatch, name="pin", kind="s3-car")
    slug = store.load(article_id).slug
    client = s3_server.client()
    wrong = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"

    def service_pins_something_else(state: str, *_: object) -> None:
        if state == "verifying":
            key = f"articles/{slug}.car"
            meta = client.head_object(Bucket=dest.bucket, Key=key)["Metadata"]
            client.copy_object(
                Bucket=dest.bucket, Key=key, CopySource={"Bucket": dest.bucket, "Key": key},
                Metadata=meta | {"cid": wrong}, MetadataDirective="REPLACE",
            )  # fmt: skip

    with pytest.raises(PinMismatchError) as info:
        Publisher(store, dest, progress=service_pins_something_else).publish(article_id)
    assert wrong in str(info.value) and out_cid(store, article_id) in str(info.value)
    assert PublishQueue(store).publications(article_id) == []
