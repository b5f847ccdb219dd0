"""UnixFS import and CAR tests.

Expected CIDs come from outside this project: the UnixFS spec's well-known
values and the IPIP-499 ``unixfs-v1-2025`` fixtures in Kubo's
``test/cli/cid_profiles_test.go`` (mirrored in js-ipfs-unixfs).  Kubo builds
those inputs from a ChaCha20 keystream keyed by ``sha256(seed)`` with a zero
nonce, reproduced here so the same bytes go through our importer.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from ipfs_tree import make_tree

from desk.export.dagpb import (
    CODEC_DAG_PB,
    CODEC_RAW,
    TYPE_DIRECTORY,
    TYPE_FILE,
    cid_from_str,
    decode_node,
    decode_unixfs,
    parse_cid,
)
from desk.export.ipfs import (
    CHUNK_SIZE,
    ImportResult,
    IpfsImportError,
    _BalancedFile,
    _bytes_reader,
    _file_reader,
    cid_for_bytes,
    import_directory,
    write_car,
)

MIB = 1 << 20
OPENSSL = shutil.which("openssl")

# -- deterministic inputs (Kubo testutils.DeterministicRandomReader) -------------


def _chacha20_py(key: bytes, n: int) -> bytes:
    """RFC 8439 ChaCha20 keystream, zero nonce, counter from 0 (pure Python fallback)."""
    mask = 0xFFFFFFFF
    base = [0x61707865, 0x3320646E, 0x79622D32, 0x6B206574, *struct.unpack("<8I", key)]

    def qr(x: list[int], a: int, b: int, c: int, d: int) -> None:
        for s1, s2 in ((16, 12), (8, 7)):
            x[a] = (x[a] + x[b]) & mask
            x[d] ^= x[a]
            x[d] = ((x[d] << s1) | (x[d] >> (32 - s1))) & mask
            x[c] = (x[c] + x[d]) & mask
            x[b] ^= x[c]
            x[b] = ((x[b] << s2) | (x[b] >> (32 - s2))) & mask

    out = bytearray()
    for counter in range((n + 63) // 64):
        init = [*base, counter, 0, 0, 0]
        x = list(init)
        for _ in range(10):
            qr(x, 0, 4, 8, 12), qr(x, 1, 5, 9, 13), qr(x, 2, 6, 10, 14), qr(x, 3, 7, 11, 15)
            qr(x, 0, 5, 10, 15), qr(x, 1, 6, 11, 12), qr(x, 2, 7, 8, 13), qr(x, 3, 4, 9, 14)
        out += struct.pack("<16I", *((a + b) & mask for a, b in zip(x, init, strict=True)))
    return bytes(out[:n])


def _openssl_stream(seed: str, n: int) -> subprocess.Popen[bytes]:
    assert OPENSSL
    key = hashlib.sha256(seed.encode()).hexdigest()
    zeros = subprocess.Popen(["head", "-c", str(n), "/dev/zero"], stdout=subprocess.PIPE)
    proc = subprocess.Popen(
        [OPENSSL, "enc", "-chacha20", "-K", key, "-iv", "0" * 32],
        stdin=zeros.stdout,
        stdout=subprocess.PIPE,
    )
    assert zeros.stdout is not None
    zeros.stdout.close()
    return proc


def deterministic_bytes(seed: str, n: int) -> bytes:
    """Kubo's deterministic test bytes; openssl when present only because it is faster."""
    if OPENSSL and shutil.which("head"):
        proc = _openssl_stream(seed, n)
        data, _ = proc.communicate()
        assert proc.returncode == 0 and len(data) == n
        return data
    return _chacha20_py(hashlib.sha256(seed.encode()).digest(), n)


def test_chacha20_helper_is_rfc8439() -> None:
    # RFC 8439 A.1 test vector #1: all-zero key and nonce, block counter 0.
    assert _chacha20_py(bytes(32), 32).hex() == (
        "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
    )
    if OPENSSL:
        key = hashlib.sha256(b"cross-check").digest()
        assert deterministic_bytes("cross-check", 1000) == _chacha20_py(key, 1000)


# -- published CIDs ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"hello world", "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e"),
        (b"hello world\n", "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4"),
        (b"", "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"),
    ],
)
def test_small_file_vectors(tmp_path: Path, data: bytes, expected: str) -> None:
    assert cid_for_bytes(data) == expected
    path = tmp_path / "f"
    path.write_bytes(data)
    assert import_directory(path).root_cid == expected


def test_empty_directory_vector(tmp_path: Path) -> None:
    result = import_directory(tmp_path)
    assert result.root_cid == "bafybeiczsscdsbs7ffqz55asqdf3smv6klcw3gofszvwlyarci47bgf354"
    assert result.cids_by_path == {"": result.root_cid}


def test_kubo_vector_file_at_and_over_chunk_size() -> None:
    """Kubo FileAtChunkSizeCID / FileOverChunkSizeCID (seed "chunk-v1-seed")."""
    data = deterministic_bytes("chunk-v1-seed", MIB + 1)
    at, over = cid_for_bytes(data[:MIB]), cid_for_bytes(data)
    assert at == "bafkreiacndfy443ter6qr2tmbbdhadvxxheowwf75s6zehscklu6ezxmta"
    assert over == "bafybeigmix7t42i6jacydtquhet7srwvgpizfg7gjbq7627d35mjomtu64"


def _kubo_hamt_dir(root: Path, last_name_len: int) -> Path:
    """Kubo's createDeterministicFiles: 4766 one-byte files, 11-char names, then one longer."""
    alphabet = "abcdefghijklmnopqrstuvwxyz01234567890-_"
    count = 4766
    stream = deterministic_bytes("hamt-unixfs-v1-2025", (count - 1) * 11 + last_name_len)
    folder = root / "rootDir"
    folder.mkdir()
    offset = 0
    for i in range(count):
        length = last_name_len if i == count - 1 else 11
        name = "".join(alphabet[b % len(alphabet)] for b in stream[offset : offset + length])
        offset += length
        (folder / name).write_bytes(b"x")
    return folder


def test_kubo_vector_directory_at_hamt_threshold(tmp_path: Path) -> None:
    """Kubo DirBasicCID: a 4766-entry directory whose block is exactly 262144 bytes."""
    result = import_directory(_kubo_hamt_dir(tmp_path, 21))
    assert result.root_cid == "bafybeic3h7rwruealwxkacabdy45jivq2crwz6bufb5ljwupn36gicplx4"
    assert len(result.blocks[cid_from_str(result.root_cid)]) == 262144


def test_directory_over_hamt_threshold_is_refused(tmp_path: Path) -> None:
    # Kubo would shard this one (DirHAMTCID); a plain directory would be a foreign CID.
    with pytest.raises(IpfsImportError, match="HAMT"):
        import_directory(_kubo_hamt_dir(tmp_path, 22))


@pytest.mark.skipif(OPENSSL is None, reason="needs openssl to stream 1 GiB of ChaCha20 quickly")
@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (1024 * MIB, "bafybeihmf37wcuvtx4hpu7he5zl5qaf2ineo2lqlfrapokkm5zzw7zyhvm"),
        (1024 * MIB + 1, "bafybeibdsi225ugbkmpbdohnxioyab6jsqrmkts3twhpvfnzp77xtzpyhe"),
    ],
)
def test_kubo_vector_file_at_and_over_max_links(size: int, expected: str) -> None:
    """Kubo FileAtMaxLinksCID / FileOverMaxLinksCID: the 1024-link width and the
    rebalancing to a two-level tree, streamed so memory stays at one chunk."""
    proc = _openssl_stream("v1-2025-seed", size)
    assert proc.stdout is not None
    cid, _, filesize = _BalancedFile(_file_reader(proc.stdout, CHUNK_SIZE), None).build()
    proc.stdout.close()
    assert proc.wait() == 0
    assert filesize == size
    assert cid == cid_from_str(expected)


# -- file structure ----------------------------------------------------------------


def _file_node(result: ImportResult, cid: bytes):
    node = decode_node(result.blocks[cid])
    assert node.data is not None
    return node, decode_unixfs(node.data)


@pytest.mark.parametrize(
    ("size", "chunks"), [(MIB, [MIB]), (MIB + 1, [MIB, 1]), (5 * MIB // 2, [MIB, MIB, MIB // 2])]
)
def test_multi_chunk_file_structure(tmp_path: Path, size: int, chunks: list[int]) -> None:
    data = hashlib.shake_256(b"multi").digest(size)
    (tmp_path / "big.bin").write_bytes(data)
    result = import_directory(tmp_path)
    file_cid = cid_from_str(result.cids_by_path["big.bin"])
    assert result.cids_by_path["big.bin"] == cid_for_bytes(data)

    if len(chunks) == 1:
        assert parse_cid(file_cid)[0].codec == CODEC_RAW
        assert result.blocks[file_cid] == data
        return
    assert parse_cid(file_cid)[0].codec == CODEC_DAG_PB
    node, ufs = _file_node(result, file_cid)
    assert ufs.type == TYPE_FILE and ufs.data == b""
    assert ufs.filesize == size == sum(ufs.blocksizes)
    assert list(ufs.blocksizes) == chunks
    assert [link.name for link in node.links] == [""] * len(chunks)
    assert [link.tsize for link in node.links] == chunks
    leaves = [result.blocks[link.hash] for link in node.links]
    assert b"".join(leaves) == data
    assert all(parse_cid(link.hash)[0].codec == CODEC_RAW for link in node.links)
    # root dir + file node + distinct leaves
    assert len(result.blocks) == 2 + len(set(leaves))

    root = decode_node(result.blocks[cid_from_str(result.root_cid)])
    file_tsize = len(result.blocks[file_cid]) + size
    assert [(lk.name, lk.tsize) for lk in root.links] == [("big.bin", file_tsize)]


def _shape(blocks: dict[bytes, bytes], cid: bytes):
    if parse_cid(cid)[0].codec == CODEC_RAW:
        return len(blocks[cid])
    return [_shape(blocks, link.hash) for link in decode_node(blocks[cid]).links]


def test_balanced_layout_grows_upward_like_boxo() -> None:
    """With 3 links per node, 10 chunks need depth 3; boxo fills the first subtree
    completely and wraps the remainder so every leaf sits at the same depth."""
    store: dict[bytes, bytes] = {}
    data = bytes(range(37))  # 9 chunks of 4 bytes and one of 1
    cid, tsize, filesize = _BalancedFile(_bytes_reader(data, 4), store, max_links=3).build()
    assert filesize == 37
    assert _shape(store, cid) == [[[4, 4, 4], [4, 4, 4], [4, 4, 4]], [[1]]]
    assert tsize == sum(len(block) for block in store.values())


def test_identical_chunks_are_stored_once(tmp_path: Path) -> None:
    (tmp_path / "zeros").write_bytes(bytes(3 * MIB))
    result = import_directory(tmp_path)
    node, _ = _file_node(result, cid_from_str(result.cids_by_path["zeros"]))
    assert len({link.hash for link in node.links}) == 1
    assert len(result.blocks) == 3  # dir, file node, one leaf


def test_short_reads_do_not_change_chunking() -> None:
    """Kubo's splitter reads full chunks; a pipe that trickles must give the same CID."""
    data = hashlib.shake_256(b"trickle").digest(2 * MIB + 17)

    class Trickle(io.RawIOBase):
        def __init__(self) -> None:
            self.pos = 0

        def readable(self) -> bool:
            return True

        def readinto(self, buf) -> int:  # type: ignore[override]
            n = min(len(buf), 65_537, len(data) - self.pos)
            buf[:n] = data[self.pos : self.pos + n]
            self.pos += n
            return n

    cid, _, _ = _BalancedFile(_file_reader(Trickle(), CHUNK_SIZE), None).build()  # type: ignore[arg-type]
    assert cid == cid_from_str(cid_for_bytes(data))


# -- directories -------------------------------------------------------------------


def test_nested_tree(tmp_path: Path) -> None:
    files = make_tree(tmp_path)
    result = import_directory(tmp_path)
    for rel, content in files.items():
        assert result.cids_by_path[rel] == cid_for_bytes(content), rel
    assert result.cids_by_path["img/empty-dir"] == (
        "bafybeiczsscdsbs7ffqz55asqdf3smv6klcw3gofszvwlyarci47bgf354"
    )

    def check_dir(rel: str) -> int:
        """Return the DAG size of a directory, checking order and Tsize on the way."""
        cid = cid_from_str(result.cids_by_path[rel])
        block = result.blocks[cid]
        node = decode_node(block)
        assert node.data is not None and decode_unixfs(node.data).type == TYPE_DIRECTORY
        names = [link.name or "" for link in node.links]
        assert names == sorted(names, key=lambda n: n.encode())
        total = len(block)
        for link in node.links:
            child = f"{rel}/{link.name}" if rel else link.name or ""
            child_cid = cid_from_str(result.cids_by_path[child])
            assert link.hash == child_cid
            if parse_cid(child_cid)[0].codec == CODEC_RAW:
                expected = len(result.blocks[child_cid])
            elif decode_unixfs(decode_node(result.blocks[child_cid]).data or b"").type == 1:
                expected = check_dir(child)
            else:
                expected = len(result.blocks[child_cid]) + len(files[child])
            assert link.tsize == expected, child
            total += expected
        return total

    check_dir("")
    root_names = [lk.name for lk in decode_node(result.blocks[cid_from_str(result.root_cid)]).links]
    assert root_names == [".hidden", "2024", "B.txt", "a.txt", "empty.bin", "img", "index.html",
                          "\u00e9t\u00e9.txt"]  # fmt: skip


def test_symlink_is_refused(tmp_path: Path) -> None:
    (tmp_path / "real.txt").write_bytes(b"x")
    try:
        os.symlink(tmp_path / "real.txt", tmp_path / "link.txt")
    except (OSError, NotImplementedError):
        pytest.skip("cannot create symlinks here")
    with pytest.raises(IpfsImportError, match="symlink"):
        import_directory(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs mkfifo")
def test_special_file_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(IpfsImportError, match="not a regular file"):
        import_directory(tmp_path)


@pytest.mark.skipif(sys.platform != "linux", reason="needs a filesystem that allows any bytes")
def test_non_utf8_name_is_refused(tmp_path: Path) -> None:
    (tmp_path / os.fsdecode(b"bad\xff")).write_bytes(b"x")
    with pytest.raises(IpfsImportError, match="UTF-8"):
        import_directory(tmp_path)


def test_determinism(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    for root in (one, two):
        root.mkdir()
        make_tree(root)
    first, second = import_directory(one), import_directory(two)
    assert first.root_cid == second.root_cid
    assert first.cids_by_path == second.cids_by_path
    assert list(first.blocks) == list(second.blocks)
    buf1, buf2 = io.BytesIO(), io.BytesIO()
    write_car(first, buf1)
    write_car(second, buf2)
    write_car(first, tmp_path / "out.car")
    assert buf1.getvalue() == buf2.getvalue() == (tmp_path / "out.car").read_bytes()
