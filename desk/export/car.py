"""CARv1 framing: the one-file container that carries an export's blocks.

A CAR is ``varint(len(header)) header`` followed by ``varint(len(cid)+len(data))
cid data`` sections.  The header is DAG-CBOR; only one shape of it is ever
written, so a tiny hand-written encoder avoids a CBOR dependency, and a small
strict decoder is enough to read what other tools write.

Everything read here is treated as hostile: a CAR usually arrives from outside
the newsroom, so every length is bounded before it is allocated and every
block is hashed before it is trusted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO

from desk.export.dagpb import (
    MH_SHA2_256,
    SHA2_256_LEN,
    DecodeError,
    cid_to_str,
    decode_varint,
    encode_varint,
    parse_cid,
)

#: Largest header we accept; real headers are tens of bytes.
MAX_HEADER_BYTES = 1 << 20
#: Largest section we accept.  IPFS blocks are at most ~2 MiB; the cap keeps a
#: forged length from making us allocate gigabytes before noticing.
MAX_SECTION_BYTES = 8 << 20
_MAX_CBOR_DEPTH = 16


class CarError(ValueError):
    """A CAR that is malformed, truncated, or whose blocks do not match their CIDs."""


# -- header ------------------------------------------------------------------


def _cbor_head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes(((major << 5) | value,))
    for info, width in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * width):
            return bytes(((major << 5) | info,)) + value.to_bytes(width, "big")
    raise ValueError("CBOR length too large")


def encode_header(roots: list[bytes]) -> bytes:
    """Canonical DAG-CBOR for ``{"roots": [CID...], "version": 1}``.

    Keys sort length-first ("roots" is shorter than "version"), and each CID is
    tag 42 over a byte string with a leading 0x00 (the identity multibase).
    """
    parts = [_cbor_head(5, 2), _cbor_head(3, 5), b"roots", _cbor_head(4, len(roots))]
    for cid in roots:
        parts += [b"\xd8\x2a", _cbor_head(2, len(cid) + 1), b"\x00", cid]
    parts += [_cbor_head(3, 7), b"version", b"\x01"]
    return b"".join(parts)


class _Link(bytes):
    """A decoded tag-42 CID, kept distinct from an ordinary byte string."""


def _cbor_decode(buf: bytes, pos: int, depth: int) -> tuple[Any, int]:
    if depth > _MAX_CBOR_DEPTH:
        raise CarError("CAR header nests too deeply")
    if pos >= len(buf):
        raise CarError("CAR header is truncated")
    initial = buf[pos]
    major, info = initial >> 5, initial & 0x1F
    pos += 1
    if info < 24:
        value = info
    elif info <= 27:
        width = 1 << (info - 24)
        if pos + width > len(buf):
            raise CarError("CAR header is truncated")
        value = int.from_bytes(buf[pos : pos + width], "big")
        pos += width
    else:
        raise CarError("CAR header uses indefinite lengths or reserved CBOR values")
    if major == 0:
        return value, pos
    if major == 1:
        return -1 - value, pos
    if major in (2, 3):
        if pos + value > len(buf):
            raise CarError("CAR header is truncated")
        raw = buf[pos : pos + value]
        pos += value
        if major == 2:
            return bytes(raw), pos
        try:
            return raw.decode("utf-8"), pos
        except UnicodeDecodeError as exc:
            raise CarError("CAR header has a non-UTF-8 string") from exc
    if major == 4:
        items = []
        for _ in range(value):
            item, pos = _cbor_decode(buf, pos, depth + 1)
            items.append(item)
        return items, pos
    if major == 5:
        out: dict[str, Any] = {}
        for _ in range(value):
            key, pos = _cbor_decode(buf, pos, depth + 1)
            if not isinstance(key, str) or key in out:
                raise CarError("CAR header map has a non-string or duplicate key")
            out[key], pos = _cbor_decode(buf, pos, depth + 1)
        return out, pos
    if major == 6:
        if value != 42:
            raise CarError(f"CAR header uses unsupported CBOR tag {value}")
        inner, pos = _cbor_decode(buf, pos, depth + 1)
        if not isinstance(inner, bytes) or inner[:1] != b"\x00":
            raise CarError("CAR header has a malformed CID link")
        return _Link(inner[1:]), pos
    simple = {20: False, 21: True, 22: None}
    if info in simple:
        return simple[info], pos
    raise CarError("CAR header uses floats or unknown CBOR simple values")


def decode_header(buf: bytes) -> list[bytes]:
    """Return the binary root CIDs of a CARv1 header, refusing anything else."""
    obj, end = _cbor_decode(buf, 0, 0)
    if end != len(buf):
        raise CarError("CAR header has trailing bytes")
    if not isinstance(obj, dict):
        raise CarError("CAR header is not a map")
    version = obj.get("version")
    if version != 1 or isinstance(version, bool):
        raise CarError(f"unsupported CAR version {version!r} (only CARv1 is read)")
    roots = obj.get("roots")
    if not isinstance(roots, list) or not roots:
        raise CarError("CAR header has no roots")
    for root in roots:
        if not isinstance(root, _Link):
            raise CarError("CAR header root is not a CID")
        try:
            _, cid_end = parse_cid(root)
        except DecodeError as exc:
            raise CarError(f"CAR header root is not a valid CID: {exc}") from exc
        if cid_end != len(root):
            raise CarError("CAR header root CID has trailing bytes")
    return [bytes(root) for root in roots]


# -- writing ---------------------------------------------------------------------


def write_sections(
    roots: list[bytes], blocks: Iterable[tuple[bytes, bytes]], out: BinaryIO
) -> None:
    """Write a CARv1 stream; blocks are written in the order given, as given."""
    header = encode_header(roots)
    out.write(encode_varint(len(header)) + header)
    for cid, data in blocks:
        out.write(encode_varint(len(cid) + len(data)) + cid)
        out.write(data)


# -- reading ---------------------------------------------------------------------


def _read_exact(src: BinaryIO, n: int, what: str) -> bytes:
    chunks = []
    remaining = n
    while remaining:
        chunk = src.read(remaining)
        if not chunk:
            raise CarError(f"CAR is truncated inside {what}")
        chunks.append(chunk)
        remaining -= len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _read_varint(src: BinaryIO, what: str) -> int | None:
    """Read a section-length varint; ``None`` at a clean end of stream."""
    raw = bytearray()
    while True:
        byte = src.read(1)
        if not byte:
            if raw:
                raise CarError(f"CAR is truncated inside the length of {what}")
            return None
        raw += byte
        if byte[0] < 0x80:
            break
        if len(raw) >= 10:
            raise CarError(f"CAR has an oversized varint for {what}")
    try:
        return decode_varint(bytes(raw), 0)[0]
    except DecodeError as exc:
        raise CarError(f"CAR has a bad varint for {what}: {exc}") from exc


def verify_block(cid: bytes, data: bytes) -> None:
    """Refuse a block whose bytes do not hash to its CID; that is the whole trust model."""
    parsed, _ = parse_cid(cid)
    if parsed.hash_code != MH_SHA2_256 or len(parsed.digest) != SHA2_256_LEN:
        raise CarError(f"block {cid_to_str(cid)} uses an unsupported multihash")
    if hashlib.sha256(data).digest() != parsed.digest:
        raise CarError(f"block {cid_to_str(cid)} does not match its hash")


def _read_stream(src: BinaryIO) -> tuple[list[str], dict[bytes, bytes]]:
    header_len = _read_varint(src, "the header")
    if header_len is None:
        raise CarError("CAR is empty")
    if not 0 < header_len <= MAX_HEADER_BYTES:
        raise CarError(f"CAR header length {header_len} is out of range")
    roots = decode_header(_read_exact(src, header_len, "the header"))
    blocks: dict[bytes, bytes] = {}
    index = 0
    while True:
        what = f"block #{index}"
        length = _read_varint(src, what)
        if length is None:
            break
        if not 0 < length <= MAX_SECTION_BYTES:
            raise CarError(f"CAR section length {length} of {what} is out of range")
        section = _read_exact(src, length, what)
        try:
            _, cid_end = parse_cid(section)
        except DecodeError as exc:
            raise CarError(f"CAR {what} has a bad CID: {exc}") from exc
        cid, data = section[:cid_end], section[cid_end:]
        verify_block(cid, data)
        blocks.setdefault(cid, data)
        index += 1
    return [cid_to_str(root) for root in roots], blocks


def read_car(src: BinaryIO | Path) -> tuple[list[str], dict[bytes, bytes]]:
    """Parse and verify a CARv1; return its roots (text CIDs) and its blocks.

    Every block is hashed before it is returned, so callers can trust the bytes
    without re-checking.  Duplicate sections are tolerated (the first is kept)
    because they are legal CAR and carry the same bytes by construction.
    """
    if isinstance(src, (str, Path)):
        with open(src, "rb") as fh:
            return _read_stream(fh)
    return _read_stream(src)
