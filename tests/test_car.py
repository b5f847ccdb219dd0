"""CAR files: the exact bytes we write, a round trip, and every kind of broken input refused."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from ipfs_tree import make_tree

from desk.export.car import encode_header, write_sections
from desk.export.dagpb import (
    CODEC_DAG_PB,
    CODEC_RAW,
    cid_from_str,
    decode_varint,
    encode_link,
    encode_node,
    encode_unixfs_file,
    encode_varint,
    make_cid,
)
from desk.export.ipfs import (
    CarError,
    extract_car,
    import_directory,
    read_car,
    write_car,
)

MIB = 1 << 20


# -- CAR ---------------------------------------------------------------------------


def test_car_header_bytes(tmp_path: Path) -> None:
    result = import_directory(tmp_path)  # empty dir
    buf = io.BytesIO()
    write_car(result, buf)
    cid = cid_from_str(result.root_cid)
    # Spelled out from the CARv1 + DAG-CBOR specs rather than from the encoder.
    header = b"\xa2" + b"\x65roots" + b"\x81\xd8\x2a\x58\x25\x00" + cid + b"\x67version\x01"
    block = bytes.fromhex("0a020801")
    assert buf.getvalue() == bytes([len(header)]) + header + bytes([36 + 4]) + cid + block


def test_car_round_trip(tmp_path: Path) -> None:
    src = tmp_path / "site"
    src.mkdir()
    files = make_tree(src)
    result = import_directory(src)
    car = tmp_path / "site.car"
    write_car(result, car)

    roots, blocks = read_car(car)
    assert roots == [result.root_cid]
    assert blocks == result.blocks
    # Root first, then depth-first: the first section is the root block.
    raw = car.read_bytes()
    header_len, pos = decode_varint(raw, 0)
    _, pos = decode_varint(raw, pos + header_len)
    assert raw[pos : pos + 36] == cid_from_str(result.root_cid)

    extracted = extract_car(car)
    assert extracted == files
    with open(car, "rb") as fh:
        assert extract_car(fh) == files


def test_extract_single_file_car(tmp_path: Path) -> None:
    data = hashlib.shake_256(b"single").digest(2 * MIB + 5)
    (tmp_path / "f").write_bytes(data)
    buf = io.BytesIO()
    write_car(import_directory(tmp_path / "f"), buf)
    buf.seek(0)
    assert extract_car(buf) == {"": data}


def _small_car(tmp_path: Path) -> bytes:
    (tmp_path / "a.txt").write_bytes(b"alpha")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_bytes(b"bravo bravo")
    buf = io.BytesIO()
    write_car(import_directory(tmp_path), buf)
    return buf.getvalue()


def test_every_truncation_is_rejected(tmp_path: Path) -> None:
    car = _small_car(tmp_path)
    assert extract_car(io.BytesIO(car))
    for cut in range(len(car)):
        with pytest.raises(CarError):
            extract_car(io.BytesIO(car[:cut]))


def test_every_flipped_byte_is_rejected(tmp_path: Path) -> None:
    car = _small_car(tmp_path)
    for pos in range(len(car)):
        for flip in (0x01, 0x80):
            bad = bytearray(car)
            bad[pos] ^= flip
            with pytest.raises(CarError):
                extract_car(io.BytesIO(bytes(bad)))


def test_flipped_block_byte_is_a_hash_mismatch(tmp_path: Path) -> None:
    car = bytearray(_small_car(tmp_path))
    car[-1] ^= 0xFF
    with pytest.raises(CarError, match="does not match its hash"):
        read_car(io.BytesIO(bytes(car)))


def _car(roots: list[bytes], blocks: list[tuple[bytes, bytes]]) -> io.BytesIO:
    buf = io.BytesIO()
    write_sections(roots, blocks, buf)
    buf.seek(0)
    return buf


def test_missing_block_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"alpha")
    result = import_directory(tmp_path)
    root = cid_from_str(result.root_cid)
    with pytest.raises(CarError, match="missing block"):
        extract_car(_car([root], [(root, result.blocks[root])]))


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x80",
        b"\xff" * 11,
        b"\x05hello",
        encode_varint(5 << 30) + b"x",
        b"\x01\xa0",  # empty map: no roots, no version
        bytes([len(encode_header([]))]) + encode_header([]),  # no roots
    ],
)
def test_bad_headers_are_rejected(raw: bytes) -> None:
    with pytest.raises(CarError):
        read_car(io.BytesIO(raw))


def test_carv2_is_rejected() -> None:
    cid = make_cid(CODEC_RAW, b"x")
    header = encode_header([cid]).replace(b"version\x01", b"version\x02")
    with pytest.raises(CarError, match="version"):
        read_car(io.BytesIO(bytes([len(header)]) + header))


def test_unsafe_names_are_rejected() -> None:
    leaf = make_cid(CODEC_RAW, b"evil")
    for name in (b"..", b"a/b", b"", b"c\\d"):
        block = encode_node([encode_link(leaf, name, 4)], b"\x08\x01")
        root = make_cid(CODEC_DAG_PB, block)
        with pytest.raises(CarError, match="unsafe"):
            extract_car(_car([root], [(root, block), (leaf, b"evil")]))


def test_expansion_bomb_is_bounded() -> None:
    leaf_data = bytes(1000)
    leaf = make_cid(CODEC_RAW, leaf_data)
    mid = encode_node([encode_link(leaf, b"", 1000)] * 100, encode_unixfs_file(10**5, [1000] * 100))
    mid_cid = make_cid(CODEC_DAG_PB, mid)
    top = encode_node(
        [encode_link(mid_cid, b"", 10**5)] * 100, encode_unixfs_file(10**7, [10**5] * 100)
    )
    top_cid = make_cid(CODEC_DAG_PB, top)
    car = _car([top_cid], [(top_cid, top), (mid_cid, mid), (leaf, leaf_data)])
    with pytest.raises(CarError, match="size limit"):
        extract_car(car, max_total_bytes=10**6)
    car.seek(0)
    assert len(extract_car(car)[""]) == 10**7


def test_lying_blocksizes_are_rejected() -> None:
    leaf = make_cid(CODEC_RAW, b"abc")
    block = encode_node([encode_link(leaf, b"", 3)], encode_unixfs_file(4, [4]))
    root = make_cid(CODEC_DAG_PB, block)
    with pytest.raises(CarError, match="child size"):
        extract_car(_car([root], [(root, block), (leaf, b"abc")]))
