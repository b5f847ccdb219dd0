"""Pinning a CAR on a Kubo node through its HTTP RPC (``/api/v0/dag/import``).

Plain ``urllib``: one multipart POST, and the answer is a few lines of JSON.
The node must report the same root CID Desk computed, or the publish fails
with both CIDs: a node that imported something else has not pinned our article.
"""

from __future__ import annotations

import json
import ssl
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterable

from desk.publish.destinations import Destination
from desk.publish.errors import PinMismatchError, PublishError, PublishPaused

TIMEOUT = 120


def multipart_body(name: str, data: bytes) -> tuple[bytes, str]:
    boundary = f"desk-{uuid.uuid4().hex}"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/vnd.ipld.car\r\n\r\n"
    ).encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), boundary


def roots_from_answer(lines: Iterable[str]) -> list[tuple[str, str]]:
    """``(cid, pin error)`` for each ``{"Root": ...}`` line of a dag/import answer."""
    roots = []
    for line in lines:
        line = line.strip()
        if not line:
            continue
        try:
            item = json.loads(line)
        except ValueError:
            raise PublishError(
                f"the Kubo node answered something that is not JSON: {line[:80]!r}"
            ) from None
        root = item.get("Root") if isinstance(item, dict) else None
        if isinstance(root, dict):
            cid = root.get("Cid", {})
            cid = cid.get("/") if isinstance(cid, dict) else cid
            roots.append((str(cid or ""), str(root.get("PinErrorMsg") or "")))
    return roots


def check_root(roots: list[tuple[str, str]], expected: str, where: str) -> None:
    if not roots:
        raise PublishError(f"{where} imported the CAR but reported no root CID")
    cid, pin_error = roots[0]
    if pin_error:
        raise PublishError(f"{where} could not pin {cid}: {pin_error}")
    if cid != expected:
        raise PinMismatchError(
            f"{where} pinned {cid}, but the export's CID is {expected}; not published"
        )


class KuboNode:
    def __init__(self, dest: Destination, token: str = "") -> None:
        self.dest = dest
        self.token = token
        self.bytes_sent = 0
        self.body_requests = 0

    def import_car(self, name: str, car: bytes, expected_cid: str) -> str:
        where = f"{self.dest.name} ({self.dest.endpoint})"
        body, boundary = multipart_body(name, car)
        url = self.dest.endpoint.rstrip("/") + "/api/v0/dag/import?pin-roots=true"
        req = urllib.request.Request(url, data=body, method="POST")
        req.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
        if self.token:
            req.add_header("Authorization", f"Bearer {self.token}")
        self.body_requests += 1
        try:
            with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:
                text = resp.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            if exc.code in (401, 403):
                raise PublishError(f"{where} refused the token (HTTP {exc.code})") from None
            if exc.code >= 500:
                raise PublishPaused(
                    f"{where} had a server error ({exc.code}); will retry"
                ) from None
            raise PublishError(f"{where} refused the CAR (HTTP {exc.code})") from None
        except ssl.SSLError as exc:
            raise PublishError(f"TLS error talking to {where}: {exc.reason}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, ssl.SSLError):
                raise PublishError(f"TLS error talking to {where}: {reason}") from None
            raise PublishPaused(f"cannot reach {where} ({reason}); will retry") from None
        self.bytes_sent += len(body)
        check_root(roots_from_answer(text.splitlines()), expected_cid, where)
        return expected_cid
