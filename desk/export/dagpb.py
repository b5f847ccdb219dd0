"""The byte-level codecs under an IPFS export: varints, CIDs, dag-pb and UnixFS.

CIDs only match Kubo's when every byte matches, so encoding is canonical and
hand-written here (protobuf libraries reorder fields or pack repeated varints,
which changes the hash).  Decoding is strict for dag-pb, whose spec forbids any
alternative encoding, and tolerant for the UnixFS ``Data`` message, which is
ordinary protobuf and may legitimately carry fields we do not write.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

CODEC_RAW = 0x55
CODEC_DAG_PB = 0x70
MH_SHA2_256 = 0x12
SHA2_256_LEN = 0x20

# UnixFS Data.Type values.
TYPE_RAW = 0
TYPE_DIRECTORY = 1
TYPE_FILE = 2
TYPE_METADATA = 3
TYPE_SYMLINK = 4
TYPE_HAMT_SHARD = 5

_MAX_VARINT_BYTES = 10
_B58_ALPHABET = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


class DecodeError(ValueError):
    """Bytes that cannot be what they claim to be (bad varint, bad protobuf, bad CID)."""


# -- varints ---------------------------------------------------------------


def encode_varint(value: int) -> bytes:
    """Unsigned LEB128, the varint used by protobuf, multiformats and CAR alike."""
    if value < 0:
        raise ValueError(f"varint cannot encode a negative number: {value}")
    if value < 0x80:
        return bytes((value,))
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def decode_varint(buf: bytes | memoryview, pos: int) -> tuple[int, int]:
    """Return ``(value, new_pos)``; refuses truncated, oversized or non-minimal varints.

    Non-minimal encodings (trailing 0x80 0x00) are refused because they would give
    the same logical block two byte forms, which content addressing cannot allow.
    """
    value = 0
    shift = 0
    end = len(buf)
    for i in range(_MAX_VARINT_BYTES):
        if pos + i >= end:
            raise DecodeError("truncated varint")
        byte = buf[pos + i]
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            if byte == 0 and i > 0:
                raise DecodeError("non-minimal varint")
            if value >= 1 << 64:
                raise DecodeError("varint exceeds 64 bits")
            return value, pos + i + 1
        shift += 7
    raise DecodeError("varint longer than 10 bytes")


# -- CIDs --------------------------------------------------------------------


def make_cid(codec: int, data: bytes | memoryview) -> bytes:
    """Binary CIDv1 with a sha2-256 multihash over ``data``."""
    return (
        b"\x01"
        + encode_varint(codec)
        + bytes((MH_SHA2_256, SHA2_256_LEN))
        + hashlib.sha256(data).digest()
    )


@dataclass(frozen=True)
class ParsedCid:
    version: int
    codec: int
    hash_code: int
    digest: bytes


def parse_cid(buf: bytes | memoryview, pos: int = 0) -> tuple[ParsedCid, int]:
    """Parse a binary CID starting at ``pos``; return it and the position after it.

    CAR sections do not say how long their CID is, so the CID has to be parsed
    to find where the block data starts.  CIDv0 (a bare sha2-256 multihash) is
    accepted because Kubo's own CARs can contain it.
    """
    if len(buf) - pos >= 2 and buf[pos] == MH_SHA2_256 and buf[pos + 1] == SHA2_256_LEN:
        end = pos + 2 + SHA2_256_LEN
        if end > len(buf):
            raise DecodeError("truncated CIDv0")
        return ParsedCid(0, CODEC_DAG_PB, MH_SHA2_256, bytes(buf[pos + 2 : end])), end
    version, p = decode_varint(buf, pos)
    if version != 1:
        raise DecodeError(f"unsupported CID version {version}")
    codec, p = decode_varint(buf, p)
    hash_code, p = decode_varint(buf, p)
    length, p = decode_varint(buf, p)
    if p + length > len(buf):
        raise DecodeError("truncated CID digest")
    return ParsedCid(1, codec, hash_code, bytes(buf[p : p + length])), p + length


def cid_to_str(cid: bytes) -> str:
    """Text form Kubo prints: base32 lower-case for CIDv1, base58btc for CIDv0."""
    if cid[:1] == b"\x01":
        return "b" + base64.b32encode(cid).decode("ascii").rstrip("=").lower()
    return _b58encode(cid)


def cid_from_str(text: str) -> bytes:
    """Inverse of :func:`cid_to_str` for the two forms it produces."""
    if text.startswith("b"):
        body = text[1:].upper()
        try:
            raw = base64.b32decode(body + "=" * (-len(body) % 8))
        except ValueError as exc:  # binascii.Error is a ValueError
            raise DecodeError(f"invalid base32 CID: {text!r}") from exc
    elif text.startswith("Qm") and len(text) == 46:
        raw = _b58decode(text)
    else:
        raise DecodeError(f"unsupported CID text form: {text!r}")
    _, end = parse_cid(raw)
    if end != len(raw):
        raise DecodeError(f"trailing bytes after CID: {text!r}")
    return raw


def _b58encode(raw: bytes) -> str:
    num = int.from_bytes(raw, "big")
    out = bytearray()
    while num:
        num, rem = divmod(num, 58)
        out.append(_B58_ALPHABET[rem])
    out.extend(b"1" * (len(raw) - len(raw.lstrip(b"\0"))))
    return bytes(reversed(out)).decode("ascii")


def _b58decode(text: str) -> bytes:
    num = 0
    for ch in text.encode("ascii"):
        idx = _B58_ALPHABET.find(ch)
        if idx < 0:
            raise DecodeError(f"invalid base58 character in {text!r}")
        num = num * 58 + idx
    body = num.to_bytes((num.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


# -- dag-pb ------------------------------------------------------------------


@dataclass(frozen=True)
class PBLink:
    hash: bytes
    name: str | None
    tsize: int | None


@dataclass(frozen=True)
class PBNode:
    links: tuple[PBLink, ...]
    data: bytes | None


def _len_field(tag: int, payload: bytes) -> bytes:
    return bytes((tag,)) + encode_varint(len(payload)) + payload


def encode_link(cid: bytes, name: bytes, tsize: int) -> bytes:
    """One encoded ``PBNode.Links`` entry (tag included), fields in spec order.

    ``name`` is always written, even when empty: Kubo writes ``Name=""`` on
    file-chunk links and the CID only matches if we do too.
    """
    body = _len_field(0x0A, cid) + _len_field(0x12, name) + b"\x18" + encode_varint(tsize)
    return _len_field(0x12, body)


def encode_node(encoded_links: list[bytes], data: bytes) -> bytes:
    """A PBNode: links first, then Data, exactly as the dag-pb spec's canonical form."""
    return b"".join(encoded_links) + _len_field(0x0A, data)


def _read_len(buf: bytes, pos: int, end: int) -> tuple[int, int]:
    length, pos = decode_varint(buf, pos)
    if pos + length > end:
        raise DecodeError("length-delimited field runs past the end of its message")
    return pos + length, pos


def _decode_link(buf: bytes, pos: int, end: int) -> PBLink:
    cid = name = tsize = None
    last = 0
    while pos < end:
        key, pos = decode_varint(buf, pos)
        field, wire = key >> 3, key & 7
        if field <= last:
            raise DecodeError("PBLink fields out of order or repeated")
        last = field
        if field == 1 and wire == 2:
            stop, pos = _read_len(buf, pos, end)
            cid = bytes(buf[pos:stop])
            pos = stop
        elif field == 2 and wire == 2:
            stop, pos = _read_len(buf, pos, end)
            try:
                name = bytes(buf[pos:stop]).decode("utf-8")
            except UnicodeDecodeError as exc:
                raise DecodeError("PBLink name is not UTF-8") from exc
            pos = stop
        elif field == 3 and wire == 0:
            tsize, pos = decode_varint(buf, pos)
        else:
            raise DecodeError(f"unexpected PBLink field {field} (wire type {wire})")
    if pos != end:
        raise DecodeError("PBLink overruns its length")
    if cid is None:
        raise DecodeError("PBLink without Hash")
    _, cid_end = parse_cid(cid)
    if cid_end != len(cid):
        raise DecodeError("PBLink Hash has trailing bytes")
    return PBLink(cid, name, tsize)


def decode_node(buf: bytes) -> PBNode:
    """Strict dag-pb decoder: Links (field 2) then at most one Data (field 1), nothing else."""
    links: list[PBLink] = []
    data: bytes | None = None
    pos, end = 0, len(buf)
    while pos < end:
        key, pos = decode_varint(buf, pos)
        if key == 0x12:
            if data is not None:
                raise DecodeError("PBNode Links after Data")
            stop, pos = _read_len(buf, pos, end)
            links.append(_decode_link(buf, pos, stop))
            pos = stop
        elif key == 0x0A:
            if data is not None:
                raise DecodeError("PBNode has two Data fields")
            stop, pos = _read_len(buf, pos, end)
            data = bytes(buf[pos:stop])
            pos = stop
        else:
            raise DecodeError(f"unexpected PBNode field key {key}")
    return PBNode(tuple(links), data)


# -- UnixFS Data ---------------------------------------------------------------


def encode_unixfs_file(filesize: int, blocksizes: list[int]) -> bytes:
    """UnixFS ``Data`` for an internal file node: no inline data, blocksizes unpacked."""
    parts = [b"\x08\x02\x18", encode_varint(filesize)]
    for size in blocksizes:
        parts.append(b"\x20")
        parts.append(encode_varint(size))
    return b"".join(parts)


UNIXFS_DIRECTORY = b"\x08\x01"


@dataclass(frozen=True)
class UnixFSData:
    type: int
    data: bytes
    filesize: int | None
    blocksizes: tuple[int, ...]


def decode_unixfs(buf: bytes) -> UnixFSData:
    """Lenient protobuf read of UnixFS ``Data``: unknown fields are skipped, not refused."""
    type_: int | None = None
    data = b""
    filesize: int | None = None
    blocksizes: list[int] = []
    pos, end = 0, len(buf)
    while pos < end:
        key, pos = decode_varint(buf, pos)
        field, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = decode_varint(buf, pos)
            if field == 1:
                type_ = value
            elif field == 3:
                filesize = value
            elif field == 4:
                blocksizes.append(value)
        elif wire == 2:
            stop, pos = _read_len(buf, pos, end)
            if field == 2:
                data = bytes(buf[pos:stop])
            elif field == 4:  # packed blocksizes, legal protobuf even if Kubo never writes it
                p = pos
                while p < stop:
                    value, p = decode_varint(buf, p)
                    blocksizes.append(value)
            pos = stop
        elif wire == 5:
            pos += 4
        elif wire == 1:
            pos += 8
        else:
            raise DecodeError(f"unsupported wire type {wire} in UnixFS Data")
        if pos > end:
            raise DecodeError("truncated UnixFS Data")
    if type_ is None:
        raise DecodeError("UnixFS Data without Type")
    return UnixFSData(type_, data, filesize, tuple(blocksizes))
