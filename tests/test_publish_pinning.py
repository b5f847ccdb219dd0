"""Pinning answers (Kubo RPC and Filebase-style), credentials and server faults.

No Kubo node can be installed here, so a loopback HTTP server plays one: it
reads the uploaded CAR with Desk's own CAR reader (verifying every block) and
answers as Kubo's ``/api/v0/dag/import`` does, with the CAR's real root, or
with a wrong CID, or an error, to check Desk's side of the contract.
"""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from publish_fixtures import make_destination, ready_article

from desk.export.car import read_car
from desk.publish.credentials import (
    Credentials,
    CredentialsError,
    load_credentials,
    store_credentials,
)
from desk.publish.destinations import validate
from desk.publish.errors import PinMismatchError, PublishError, PublishPaused
from desk.publish.kubo import check_root, roots_from_answer
from desk.publish.runner import Publisher
from desk.store.publish_queue import PublishQueue

WRONG = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"


class FakeNode(ThreadingHTTPServer):
    mode = "ok"
    token = "node-token"
    received: list[tuple[str, bytes]]


class Handler(BaseHTTPRequestHandler):
    server: FakeNode

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.server.mode == "500":
            self.send_error(500)
            return
        if self.headers.get("Authorization") != f"Bearer {self.server.token}":
            self.send_error(401)
            return
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode() + body
        )
        (part,) = list(message.iter_parts())
        car = part.get_payload(decode=True)
        self.server.received.append((self.path, car))
        roots, _ = read_car(io.BytesIO(car))
        cid = WRONG if self.server.mode == "wrong" else roots[0]
        answer = json.dumps({"Root": {"Cid": {"/": cid}, "PinErrorMsg": ""}}) + "\n"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(answer.encode())


@pytest.fixture
def node() -> Iterator[FakeNode]:
    server = FakeNode(("127.0.0.1", 0), Handler)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def kubo_destination(node: FakeNode, monkeypatch: pytest.MonkeyPatch, token: str = "node-token"):
    monkeypatch.setenv("DESK_NODE_TOKEN", token)
    return validate(
        {"name": "node", "kind": "kubo", "endpoint": f"http://127.0.0.1:{node.server_port}"}
    )


def test_kubo_pins_the_car_and_the_root_is_ours(store, node, monkeypatch):
    article_id = ready_article(store, images=1)
    out = Publisher(store, kubo_destination(node, monkeypatch)).publish(article_id)
    ((path, car),) = node.received
    assert path.startswith("/api/v0/dag/import") and "pin-roots=true" in path
    assert read_car(io.BytesIO(car))[0] == [out.cid]
    (pub,) = PublishQueue(store).publications(article_id)
    assert pub.cid == out.cid and pub.url.endswith(f"/{out.cid}/")


def test_kubo_answering_another_cid_fails_with_both(store, node, monkeypatch):
    node.mode = "wrong"
    article_id = ready_article(store)
    with pytest.raises(PinMismatchError) as info:
        Publisher(store, kubo_destination(node, monkeypatch)).publish(article_id)
    (job,) = PublishQueue(store).jobs(article_id)
    assert WRONG in str(info.value) and job.cid in str(info.value)
    assert job.state == "failed"


def test_kubo_wrong_token_and_server_error(store, node, monkeypatch):
    article_id = ready_article(store)
    with pytest.raises(PublishError, match="refused the token"):
        Publisher(store, kubo_destination(node, monkeypatch, token="nope")).publish(article_id)
    node.mode = "500"
    with pytest.raises(PublishPaused, match="server error"):
        Publisher(store, kubo_destination(node, monkeypatch)).publish(article_id)


def test_dag_import_answers_are_read_as_kubo_writes_them():
    lines = [
        '{"Root":{"Cid":{"/":"bafyroot"},"PinErrorMsg":""}}',
        "",
        '{"Stats":{"BlockCount":3,"BlockBytesCount":100}}',
    ]
    assert roots_from_answer(lines) == [("bafyroot", "")]
    check_root([("bafyroot", "")], "bafyroot", "node")
    with pytest.raises(PublishError, match="could not pin"):
        check_root([("bafyroot", "no space")], "bafyroot", "node")
    with pytest.raises(PublishError, match="no root CID"):
        check_root([], "bafyroot", "node")
    with pytest.raises(PublishError, match="not JSON"):
        roots_from_answer(["<html>proxy error</html>"])


class MemoryKeyring:
    """A keyring backend that keeps passwords in a dict: the real ``keyring`` API around it."""

    def __new__(cls):
        from keyring.backend import KeyringBackend

        class Backend(KeyringBackend):
            priority = 1

            def __init__(self) -> None:
                super().__init__()
                self.items: dict[tuple[str, str], str] = {}

            def get_password(self, service: str, username: str) -> str | None:
                return self.items.get((service, username))

            def set_password(self, service: str, username: str, password: str) -> None:
                self.items[(service, username)] = password

            def delete_password(self, service: str, username: str) -> None:
                self.items.pop((service, username), None)

        return Backend()


@pytest.fixture
def memory_keyring():
    import keyring

    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)


def test_keys_come_from_the_keychain_first_then_the_environment(memory_keyring, monkeypatch):
    monkeypatch.setenv("DESK_SITE_ACCESS_KEY", "env-key")
    monkeypatch.setenv("DESK_SITE_SECRET_KEY", "env-secret")
    assert load_credentials("site", "s3").access_key == "env-key"
    store_credentials("site", Credentials(access_key="kc-key", secret_key="kc-secret"))
    creds = load_credentials("site", "s3")
    assert (creds.access_key, creds.secret_key) == ("kc-key", "kc-secret")
    assert "kc-secret" not in repr(creds)
    monkeypatch.delenv("DESK_SITE_ACCESS_KEY")
    with pytest.raises(CredentialsError, match="desk destinations login other"):
        load_credentials("other", "s3")


def test_no_keychain_backend_says_what_to_set_instead(monkeypatch):
    import keyring
    from keyring.backends import fail

    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        with pytest.raises(CredentialsError, match="DESK_SITE_ACCESS_KEY"):
            store_credentials("site", Credentials(access_key="a", secret_key="b"))
    finally:
        keyring.set_keyring(before)


def test_secrets_never_reach_the_database_settings_or_bundle(
    s3_server, store, monkeypatch, isolated_home
):
    article_id = ready_article(store)
    dest = make_destination(s3_server, monkeypatch)
    Publisher(store, dest).publish(article_id)
    secret = s3_server.secret_key.encode()
    store.conn.execute("PRAGMA wal_checkpoint(FULL)")
    searched = [store.path, *(p for p in isolated_home.rglob("*") if p.is_file())]
    for path in searched:
        assert secret not in path.read_bytes(), path
    assert len(searched) > 3  # the destinations file and the staged bundle were searched too
