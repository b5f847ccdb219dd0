"""``desk destinations`` and ``desk publish`` through the real entry point."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from conftest import REPO, run_desk
from publish_fixtures import new_bucket, ready_article

from desk.publish.runner import PART_SIZE
from desk.store.drafts import DraftStore


def ok(*args: str, env: dict[str, str] | None = None) -> str:
    r = run_desk(*args, env=env)
    assert r.returncode == 0, r.stderr.decode()
    return r.stdout.decode()


def add_site(server, bucket: str) -> dict[str, str]:
    ok(
        "destinations", "add", "site", "--kind", "s3", "--endpoint", server.endpoint,
        "--bucket", bucket, "--prefix", "articles", "--public-url", "https://ovn.example",
    )  # fmt: skip
    return {"DESK_SITE_ACCESS_KEY": server.access_key, "DESK_SITE_SECRET_KEY": server.secret_key}


def test_destinations_add_list_remove():
    out = ok("destinations", "add", "pin", "--kind", "kubo", "--endpoint", "http://127.0.0.1:5001")
    assert out.startswith("added  pin  kubo")
    listed = json.loads(ok("destinations", "list", "--json"))
    assert [(d["name"], d["kind"]) for d in listed] == [("pin", "kubo")]
    ok("destinations", "remove", "pin")
    assert "no destinations yet" in ok("destinations", "list")
    bad = run_desk(
        "destinations", "add", "x", "--kind", "s3", "--endpoint", "ftp://h", "--bucket", "b"
    )
    assert bad.returncode == 1
    assert bad.stderr.decode().strip() == "desk: x: endpoint must be an http(s) URL, not 'ftp://h'"
    missing = run_desk("destinations", "add", "y", "--kind", "s3", "--endpoint", "http://h")
    assert missing.stderr.decode().strip() == "desk: y: a s3 destination needs --bucket"


def test_publish_then_republish_then_show(s3_server, tmp_path):
    db = tmp_path / "desk.db"
    with DraftStore(db) as store:
        article_id = ready_article(store, images=1)
        slug = store.load(article_id).slug
    env = add_site(s3_server, bucket := new_bucket(s3_server))

    dry = ok("--db", str(db), "publish", article_id, "--to", "site", "--dry-run", env=env)
    assert dry.count("would send") == 5 and "unchanged" not in dry
    assert s3_server.client().list_objects_v2(Bucket=bucket).get("KeyCount") == 0

    first = ok("--db", str(db), "publish", slug, "--to", "site", "--as", "Ana", env=env)
    url = f"https://ovn.example/articles/{slug}/"
    assert re.match(rf"published  site  {re.escape(url)}  ipfs://\w+  \(sent 5 files", first)
    keys = {o["Key"] for o in s3_server.client().list_objects_v2(Bucket=bucket)["Contents"]}
    assert f"articles/{slug}/manifest.json" in keys and len(keys) == 5

    second = ok("--db", str(db), "publish", slug, "--to", "site", env=env)
    assert "(sent 0 files, 0.0 kB; 5 unchanged)" in second

    shown = ok("--db", str(db), "show", slug)
    cid = first.split("ipfs://")[1].split()[0]
    assert re.search(
        rf"published \d{{4}}-\d\d-\d\d \d\d:\d\d UTC  site  {re.escape(url)}  ipfs://{cid}", shown
    )


def test_publish_errors_are_one_line(s3_server, tmp_path):
    db = tmp_path / "desk.db"
    with DraftStore(db) as store:
        article_id = ready_article(store)
    env = add_site(s3_server, new_bucket(s3_server))
    env["DESK_SITE_SECRET_KEY"] = "wrong"
    r = run_desk("--db", str(db), "publish", article_id, env=env)
    assert r.returncode == 1
    err = r.stderr.decode()
    assert err.count("\n") == 1 and err.startswith("desk: site: ") and "Traceback" not in err
    r = run_desk("--db", str(db), "publish", article_id, "--to", "nowhere")
    assert r.stderr.decode().strip().startswith("desk: no destination named 'nowhere'")
    r = run_desk(
        "--db", str(db), "publish", article_id,
        env={"DESK_SITE_ACCESS_KEY": "", "DESK_SITE_SECRET_KEY": ""},
    )  # fmt: skip
    assert "desk destinations login site" in r.stderr.decode()


def parts_recorded(db) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        return conn.execute("SELECT count(*) FROM publish_parts").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()


def test_a_killed_publish_resumes_from_the_parts_the_server_has(s3_server, tmp_path):
    """SIGKILL the real ``desk publish`` mid-multipart; the next run sends only the rest."""
    db = tmp_path / "desk.db"
    with DraftStore(db) as store:
        article_id = ready_article(store, images=1, image_bytes=5 * PART_SIZE)
    env = add_site(s3_server, bucket := new_bucket(s3_server))
    proc = subprocess.Popen(
        [sys.executable, "-m", "desk", "--db", str(db), "publish", article_id],
        env={**os.environ, **env},
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while parts_recorded(db) < 2:
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline, "no part was recorded in time"
        time.sleep(0.01)  # watching another process's progress: there is no signal to wait on
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done_before = parts_recorded(db)
    assert s3_server.client().list_objects_v2(Bucket=bucket).get("KeyCount", 0) <= 1

    out = ok("--db", str(db), "publish", article_id, env=env)
    sent_mb = float(re.search(r"sent \d+ files, ([\d.]+) MB", out).group(1))
    image_mb = (5 * PART_SIZE) / 1_000_000
    assert sent_mb <= image_mb - done_before * PART_SIZE / 1_000_000 + 0.5
    assert sent_mb < 0.75 * image_mb
    with DraftStore(db) as store:
        (job,) = [j for j in store.conn.execute("SELECT state FROM publish_jobs")]
        assert job == ("published",)


@pytest.mark.parametrize("kind", ["s3", "s3-car"])
def test_dry_run_sends_nothing(s3_server, tmp_path, kind):
    db = tmp_path / "desk.db"
    with DraftStore(db) as store:
        article_id = ready_article(store)
    bucket = new_bucket(s3_server)
    ok(
        "destinations",
        "add",
        "d",
        "--kind",
        kind,
        "--endpoint",
        s3_server.endpoint,
        "--bucket",
        bucket,
    )
    env = {"DESK_D_ACCESS_KEY": s3_server.access_key, "DESK_D_SECRET_KEY": s3_server.secret_key}
    out = ok("--db", str(db), "publish", article_id, "--dry-run", env=env)
    assert "would send" in out
    assert s3_server.client().list_objects_v2(Bucket=bucket).get("KeyCount") == 0
