"""An S3-compatible bucket through boto3: small puts, resumable multipart, HEAD checks.

boto3 because it has everything a resumable, verified publish needs in one
well-kept client: ``list_parts`` to resume a multipart upload from what the
server really holds, conditional writes (``IfMatch`` / ``IfNoneMatch``), and
user metadata to carry each file's SHA-256 (which a HEAD returns). Every
botocore failure is turned into one :mod:`desk.publish.errors` sentence here,
so nothing above this module sees a botocore exception.
"""

from __future__ import annotations

import contextlib
import mimetypes
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from desk.publish.credentials import Credentials
from desk.publish.destinations import Destination
from desk.publish.errors import ConflictError, PublishError, PublishPaused

_DENIED = {"InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "403", "Forbidden"}
_FULL = {"QuotaExceeded", "EntityTooLarge", "InsufficientStorage", "507", "StorageFull"}


@dataclass(frozen=True)
class Remote:
    """What a HEAD tells about an object."""

    etag: str
    size: int
    sha256: str
    metadata: dict[str, str]


def content_type(key: str) -> str:
    if key.endswith(".car"):
        return "application/vnd.ipld.car"
    if key.endswith(".md"):
        return "text/markdown; charset=utf-8"
    guessed = mimetypes.guess_type(key)[0] or "application/octet-stream"
    return f"{guessed}; charset=utf-8" if guessed in ("text/html", "application/json") else guessed


class S3Bucket:
    """One destination's bucket; counts the bytes and requests that carried a body."""

    def __init__(self, dest: Destination, creds: Credentials, *, attempts: int = 3) -> None:
        import boto3
        from botocore.config import Config

        self.dest = dest
        self.bytes_sent = 0
        self.body_requests = 0
        self._client = boto3.session.Session().client(
            "s3",
            endpoint_url=dest.endpoint,
            region_name=dest.region or "us-east-1",
            aws_access_key_id=creds.access_key,
            aws_secret_access_key=creds.secret_key,
            config=Config(
                s3={"addressing_style": "path"},
                retries={"max_attempts": attempts, "mode": "standard"},
                connect_timeout=5,
                read_timeout=60,
                # Only where the operation requires one: some S3-compatible stores
                # reject the CRC trailers newer botocore adds by default.
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
            ),
        )

    # --- errors -------------------------------------------------------------------

    @contextlib.contextmanager
    def _plain(self, what: str) -> Iterator[None]:
        from botocore import exceptions as bx

        where = f"{self.dest.name} ({self.dest.endpoint})"
        try:
            yield
        except bx.ClientError as exc:
            err = exc.response.get("Error", {})
            code = str(err.get("Code", ""))
            status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
            if code in ("PreconditionFailed", "412") or status == 412:
                raise ConflictError(f"{what}: a newer version is already at {where}") from None
            if code in _DENIED or status == 403:
                raise PublishError(
                    f"{where} refused the access key for {what} (check the key and secret "
                    f"with `desk destinations login {self.dest.name}`)"
                ) from None
            if code == "NoSuchBucket":
                raise PublishError(
                    f"bucket {self.dest.bucket!r} does not exist at {where}"
                ) from None
            if code in _FULL or status == 507:
                raise PublishError(f"{where} is full or over its quota ({what})") from None
            if status >= 500 or code in ("InternalError", "ServiceUnavailable", "SlowDown"):
                raise PublishPaused(
                    f"{where} had a server error ({status or code}) during {what}; will retry"
                ) from None
            raise PublishError(
                f"{where} refused {what}: {code or status} {err.get('Message', '')}"
            ) from None
        except bx.SSLError as exc:
            raise PublishError(f"TLS error talking to {where}: {exc}") from None
        except (
            bx.EndpointConnectionError,
            bx.ConnectionClosedError,
            bx.ConnectTimeoutError,
            bx.ReadTimeoutError,
            bx.ConnectionError,
        ):
            raise PublishPaused(
                f"cannot reach {where} (offline, DNS or the server is down); "
                "the upload resumes where it stopped"
            ) from None
        except bx.NoCredentialsError:
            raise PublishError(f"no access key for {where}") from None
        except bx.BotoCoreError as exc:
            raise PublishError(f"{where}: {exc}") from None

    # --- reading ------------------------------------------------------------------

    def check_bucket(self) -> None:
        from botocore.exceptions import ClientError

        with self._plain("opening the bucket"):
            try:
                self._client.head_bucket(Bucket=self.dest.bucket)
            except ClientError as exc:
                status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
                if status == 404:
                    exc.response["Error"]["Code"] = "NoSuchBucket"
                raise

    def head(self, key: str) -> Remote | None:
        from botocore.exceptions import ClientError

        with self._plain(f"checking {key}"):
            try:
                r = self._client.head_object(Bucket=self.dest.bucket, Key=key)
            except ClientError as exc:
                if exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404:
                    return None
                raise
        meta = {k.lower(): v for k, v in (r.get("Metadata") or {}).items()}
        return Remote(
            r.get("ETag", ""), int(r.get("ContentLength", 0)), meta.get("sha256", ""), meta
        )

    def get(self, key: str, byte_range: str | None = None) -> bytes:
        extra = {"Range": byte_range} if byte_range else {}
        with self._plain(f"reading {key}"):
            return self._client.get_object(Bucket=self.dest.bucket, Key=key, **extra)["Body"].read()

    # --- writing ------------------------------------------------------------------

    def put(
        self,
        key: str,
        data: bytes,
        metadata: dict[str, str],
        *,
        if_match: str = "",
        if_none_match: bool = False,
    ) -> str:
        """One PUT; returns the new ETag. A failed precondition is a ConflictError."""
        args: dict[str, Any] = {
            "Bucket": self.dest.bucket,
            "Key": key,
            "Body": data,
            "ContentType": content_type(key),
            "Metadata": metadata,
        }
        if if_match:
            args["IfMatch"] = if_match
        elif if_none_match:
            args["IfNoneMatch"] = "*"
        self.body_requests += 1
        with self._plain(f"uploading {key}"):
            etag = self._client.put_object(**args)["ETag"]
        self.bytes_sent += len(data)
        return etag

    def start_multipart(self, key: str, metadata: dict[str, str]) -> str:
        with self._plain(f"starting the upload of {key}"):
            return self._client.create_multipart_upload(
                Bucket=self.dest.bucket, Key=key, ContentType=content_type(key), Metadata=metadata
            )["UploadId"]

    def list_parts(self, key: str, upload_id: str) -> dict[int, tuple[str, int]] | None:
        """Parts the server holds, or None when the upload is gone (expired, aborted)."""
        from botocore.exceptions import ClientError

        parts: dict[int, tuple[str, int]] = {}
        marker = 0
        with self._plain(f"resuming {key}"):
            while True:
                try:
                    r = self._client.list_parts(
                        Bucket=self.dest.bucket,
                        Key=key,
                        UploadId=upload_id,
                        PartNumberMarker=marker,
                    )
                except ClientError as exc:
                    code = exc.response.get("Error", {}).get("Code")
                    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
                    if code == "NoSuchUpload" or status == 404:
                        return None
                    raise
                for p in r.get("Parts", []):
                    parts[int(p["PartNumber"])] = (p["ETag"], int(p["Size"]))
                if not r.get("IsTruncated"):
                    return parts
                marker = int(r.get("NextPartNumberMarker", 0))

    def upload_part(self, key: str, upload_id: str, number: int, data: bytes) -> str:
        self.body_requests += 1
        with self._plain(f"uploading part {number} of {key}"):
            etag = self._client.upload_part(
                Bucket=self.dest.bucket, Key=key, UploadId=upload_id, PartNumber=number, Body=data
            )["ETag"]
        self.bytes_sent += len(data)
        return etag

    def complete_multipart(self, key: str, upload_id: str, etags: dict[int, str]) -> str:
        parts = [{"PartNumber": n, "ETag": etags[n]} for n in sorted(etags)]
        with self._plain(f"finishing {key}"):
            return self._client.complete_multipart_upload(
                Bucket=self.dest.bucket,
                Key=key,
                UploadId=upload_id,
                MultipartUpload={"Parts": parts},
            )["ETag"]

    def abort_multipart(self, key: str, upload_id: str) -> None:
        with contextlib.suppress(PublishError), self._plain(f"dropping the upload of {key}"):
            self._client.abort_multipart_upload(
                Bucket=self.dest.bucket, Key=key, UploadId=upload_id
            )
