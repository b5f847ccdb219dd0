"""IPFS export: UnixFS import (CIDs) and CAR files, with no daemon and no dependencies.

Desk publishes a site folder to IPFS by handing over a CAR file, and shows the
CID before anything is uploaded.  That CID is a promise: whoever later runs
``ipfs add -r`` on the same folder (Kubo with the IPIP-499 ``unixfs-v1-2025``
profile, or Helia/ipfs-car with the same settings) must get the same string,
so every parameter here mirrors that profile exactly:

* CIDv1, base32, sha2-256; raw leaves of at most 1 MiB;
* Kubo's *balanced* layout (boxo ``importer/balanced``) with 1024 links per node;
* plain UnixFS directories, links sorted bytewise by UTF-8 name.

HAMT-sharded directories, symlinks, mode and mtime are deliberately not
produced: each would change the CID, and an export folder never needs them.
We refuse rather than emit a CID no other tool would reproduce.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from desk.export.car import CarError, read_car, write_sections
from desk.export.dagpb import (
    CODEC_DAG_PB,
    CODEC_RAW,
    TYPE_DIRECTORY,
    TYPE_FILE,
    TYPE_HAMT_SHARD,
    TYPE_RAW,
    TYPE_SYMLINK,
    UNIXFS_DIRECTORY,
    DecodeError,
    PBNode,
    UnixFSData,
    cid_from_str,
    cid_to_str,
    decode_node,
    decode_unixfs,
    encode_link,
    encode_node,
    encode_unixfs_file,
    make_cid,
    parse_cid,
)

__all__ = [
    "CarError",
    "ImportResult",
    "IpfsImportError",
    "cid_for_bytes",
    "extract_car",
    "import_directory",
    "read_car",
    "write_car",
]

CHUNK_SIZE = 1 << 20
MAX_LINKS = 1024
#: Above this a plain directory block would be HAMT-sharded by Kubo (``>`` not ``>=``).
MAX_DIRECTORY_BLOCK = 256 * 1024
#: Default ceiling on what :func:`extract_car` will materialise.  A CAR can reuse
#: one block under many links, so a few KiB of input could otherwise expand to
#: terabytes of output.
DEFAULT_MAX_EXTRACT_BYTES = 4 << 30
_MAX_DEPTH = 256


class IpfsImportError(ValueError):
    """The folder holds something we cannot import without producing a foreign CID."""


@dataclass(frozen=True)
class ImportResult:
    """Everything needed to publish a folder: its CID and every block of its DAG."""

    root_cid: str
    #: Binary CID -> block bytes, in the order they were built (identical blocks once).
    blocks: dict[bytes, bytes]
    #: POSIX relative path -> CID text, for files and folders; ``""`` is the root.
    cids_by_path: dict[str, str]


# -- import ------------------------------------------------------------------------

# (binary cid, cumulative DAG size for Tsize, file bytes under this node)
_Built = tuple[bytes, int, int]


class _BalancedFile:
    """Kubo's balanced layout, transcribed from boxo so tree shapes match exactly.

    The tree grows upward: the first leaf is the root until a second chunk
    arrives, then each full root becomes the first child of a root one level
    deeper, which is filled depth-first.  Reading one chunk ahead is what lets a
    file of exactly 1 MiB stay a single raw block.
    """

    def __init__(
        self,
        read_chunk: Callable[[], bytes],
        store: dict[bytes, bytes] | None,
        max_links: int = MAX_LINKS,
    ) -> None:
        self._read = read_chunk
        self._store = store
        self._max_links = max_links
        self._pending = read_chunk()

    def build(self) -> _Built:
        root = self._leaf()
        depth = 1
        while self._pending:
            root = self._fill([root], depth)
            depth += 1
        return root

    def _leaf(self) -> _Built:
        data, self._pending = self._pending, self._read()
        cid = make_cid(CODEC_RAW, data)
        if self._store is not None:
            self._store.setdefault(cid, data)
        return cid, len(data), len(data)

    def _fill(self, children: list[_Built], depth: int) -> _Built:
        while len(children) < self._max_links and self._pending:
            children.append(self._leaf() if depth == 1 else self._fill([], depth - 1))
        sizes = [filesize for _, _, filesize in children]
        links = [encode_link(cid, b"", tsize) for cid, tsize, _ in children]
        block = encode_node(links, encode_unixfs_file(sum(sizes), sizes))
        cid = make_cid(CODEC_DAG_PB, block)
        if self._store is not None:
            self._store.setdefault(cid, block)
        return cid, len(block) + sum(tsize for _, tsize, _ in children), sum(sizes)


def _bytes_reader(data: bytes, chunk_size: int) -> Callable[[], bytes]:
    view = memoryview(data)
    offset = 0

    def read() -> bytes:
        nonlocal offset
        if offset == 0 and len(data) <= chunk_size:
            offset = len(data)
            return bytes(data)
        chunk = bytes(view[offset : offset + chunk_size])
        offset += len(chunk)
        return chunk

    return read


def _file_reader(fh: BinaryIO, chunk_size: int) -> Callable[[], bytes]:
    def read() -> bytes:
        # Kubo's splitter uses io.ReadFull; a short read must not cut a chunk early.
        chunk = fh.read(chunk_size)
        if not chunk or len(chunk) == chunk_size:
            return chunk
        parts = [chunk]
        got = len(chunk)
        while got < chunk_size:
            more = fh.read(chunk_size - got)
            if not more:
                break
            parts.append(more)
            got += len(more)
        return b"".join(parts)

    return read


def cid_for_bytes(data: bytes) -> str:
    """The CID ``ipfs add`` would print for a file with this content.

    Used to show the CID of a single asset without building a CAR, so blocks
    are hashed and dropped rather than kept.
    """
    cid, _, _ = _BalancedFile(_bytes_reader(bytes(data), CHUNK_SIZE), None).build()
    return cid_to_str(cid)


def _import_file(path: Path, store: dict[bytes, bytes]) -> _Built:
    with open(path, "rb") as fh:
        return _BalancedFile(_file_reader(fh, CHUNK_SIZE), store).build()


def _import_dir(path: Path, rel: str, store: dict[bytes, bytes], by_path: dict[str, str]) -> _Built:
    entries: list[tuple[bytes, os.DirEntry[str]]] = []
    with os.scandir(path) as it:
        for entry in it:
            try:
                name = entry.name.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise IpfsImportError(
                    f"{entry.path!r}: file name is not valid UTF-8, so it has no UnixFS name"
                ) from exc
            entries.append((name, entry))
    entries.sort(key=lambda item: item[0])

    links: list[bytes] = []
    total = 0
    for name, entry in entries:
        child_rel = f"{rel}/{entry.name}" if rel else entry.name
        if entry.is_symlink():
            raise IpfsImportError(
                f"{entry.path}: symlinks are not exported (they would need UnixFS "
                "symlink nodes, and the target would not travel with the site)"
            )
        if entry.is_dir(follow_symlinks=False):
            child = _import_dir(Path(entry.path), child_rel, store, by_path)
        elif entry.is_file(follow_symlinks=False):
            child = _import_file(Path(entry.path), store)
        else:
            raise IpfsImportError(f"{entry.path}: not a regular file or folder")
        by_path[child_rel] = cid_to_str(child[0])
        links.append(encode_link(child[0], name, child[1]))
        total += child[1]

    block = encode_node(links, UNIXFS_DIRECTORY)
    if len(block) > MAX_DIRECTORY_BLOCK:
        raise IpfsImportError(
            f"{path}: directory block would be {len(block)} bytes; above "
            f"{MAX_DIRECTORY_BLOCK} Kubo shards it as a HAMT, which is not implemented. "
            "Split the folder into subfolders."
        )
    cid = make_cid(CODEC_DAG_PB, block)
    store.setdefault(cid, block)
    return cid, len(block) + total, 0


def import_directory(path: Path) -> ImportResult:
    """Build the UnixFS DAG of a folder (or a single file) exactly as ``ipfs add -r`` would.

    Entries are walked in bytewise name order so blocks, paths and the CAR are
    identical from run to run.  Hidden files are included: the caller decides
    what goes in the folder.  Symlinks and special files are refused.
    """
    path = Path(path)
    store: dict[bytes, bytes] = {}
    by_path: dict[str, str] = {}
    if path.is_symlink():
        raise IpfsImportError(f"{path}: symlinks are not exported")
    if path.is_dir():
        root = _import_dir(path, "", store, by_path)
    elif path.is_file():
        root = _import_file(path, store)
    else:
        raise IpfsImportError(f"{path}: not a regular file or folder")
    root_cid = cid_to_str(root[0])
    by_path[""] = root_cid
    return ImportResult(root_cid=root_cid, blocks=store, cids_by_path=by_path)


# -- CAR -----------------------------------------------------------------------------


def _decode_pb(cid: bytes, block: bytes) -> PBNode:
    try:
        return decode_node(block)
    except DecodeError as exc:
        raise CarError(f"block {cid_to_str(cid)} is not valid dag-pb: {exc}") from exc


def _codec(cid: bytes) -> int:
    try:
        return parse_cid(cid)[0].codec
    except DecodeError as exc:
        raise CarError(f"invalid CID in DAG: {exc}") from exc


def write_car(result: ImportResult, out: BinaryIO | Path) -> None:
    """Write the DAG under ``result.root_cid`` as a CARv1, root block first.

    Blocks go out in depth-first pre-order (the trustless-gateway ``dfs``
    order), each once, so a consumer can verify the stream as it arrives and the
    same folder always yields a byte-identical file.  Blocks not reachable from
    the root are not written.
    """
    root = cid_from_str(result.root_cid)
    order: list[bytes] = []
    seen: set[bytes] = set()
    stack = [root]
    while stack:
        cid = stack.pop()
        if cid in seen:
            continue
        seen.add(cid)
        block = result.blocks.get(cid)
        if block is None:
            raise CarError(f"import result lacks block {cid_to_str(cid)}")
        order.append(cid)
        if _codec(cid) == CODEC_DAG_PB:
            stack.extend(link.hash for link in reversed(_decode_pb(cid, block).links))
    sections = ((cid, result.blocks[cid]) for cid in order)
    if isinstance(out, (str, Path)):
        with open(out, "wb") as fh:
            write_sections([root], sections, fh)
    else:
        write_sections([root], sections, out)


class _Extractor:
    """Rebuilds files from a verified block set, refusing anything it cannot vouch for."""

    def __init__(self, blocks: dict[bytes, bytes], budget: int) -> None:
        self._blocks = blocks
        self._budget = budget
        self.files: dict[str, bytes] = {}

    def _get(self, cid: bytes) -> bytes:
        block = self._blocks.get(cid)
        if block is None:
            raise CarError(f"CAR is missing block {cid_to_str(cid)}")
        return block

    def _unixfs(self, cid: bytes) -> tuple[PBNode | None, UnixFSData]:
        """Decode a UnixFS block; raw leaves come back as ``(None, Raw data)``."""
        block = self._get(cid)
        codec = _codec(cid)
        if codec == CODEC_RAW:
            return None, UnixFSData(TYPE_RAW, block, len(block), ())
        if codec != CODEC_DAG_PB:
            raise CarError(f"block {cid_to_str(cid)} has codec 0x{codec:x}, not UnixFS")
        node = _decode_pb(cid, block)
        try:
            data = decode_unixfs(node.data or b"")
        except DecodeError as exc:
            raise CarError(f"block {cid_to_str(cid)} has bad UnixFS data: {exc}") from exc
        if data.type in (TYPE_FILE, TYPE_RAW):
            if len(data.blocksizes) != len(node.links):
                raise CarError(f"file node {cid_to_str(cid)}: blocksizes do not match links")
            expected = len(data.data) + sum(data.blocksizes)
            if data.filesize is not None and data.filesize != expected:
                raise CarError(f"file node {cid_to_str(cid)}: filesize disagrees with children")
        return node, data

    def _take(self, n: int) -> None:
        self._budget -= n
        if self._budget < 0:
            raise CarError("CAR expands beyond the extraction size limit")

    def _file(self, cid: bytes, parts: list[bytes], depth: int) -> int:
        if depth > _MAX_DEPTH:
            raise CarError("CAR file DAG is too deep")
        node, data = self._unixfs(cid)
        if data.type not in (TYPE_FILE, TYPE_RAW):
            raise CarError(f"block {cid_to_str(cid)} is inside a file but is not file data")
        self._take(len(data.data))
        parts.append(data.data)
        total = len(data.data)
        for link, size in zip(node.links if node else (), data.blocksizes, strict=True):
            got = self._file(link.hash, parts, depth + 1)
            if got != size:
                raise CarError(f"file node {cid_to_str(cid)}: child size {got} != {size}")
            total += got
        return total

    def walk(self, cid: bytes, rel: str, depth: int) -> None:
        if depth > _MAX_DEPTH:
            raise CarError("CAR directory tree is too deep")
        node, data = self._unixfs(cid)
        kind = data.type
        where = rel or "the root"
        if kind in (TYPE_FILE, TYPE_RAW):
            parts: list[bytes] = []
            self._file(cid, parts, 0)
            self.files[rel] = b"".join(parts)
            return
        if kind == TYPE_SYMLINK:
            raise CarError(f"{where}: symlinks are not extracted")
        if kind == TYPE_HAMT_SHARD:
            raise CarError(f"{where}: HAMT-sharded directories are not supported")
        if kind != TYPE_DIRECTORY or node is None:
            raise CarError(f"{where}: unsupported UnixFS node type {kind}")
        names: set[str] = set()
        for link in node.links:
            name = link.name
            if (
                not name
                or name in (".", "..")
                or any(ch in name for ch in "/\\\0")
                or name in names
            ):
                raise CarError(f"{where}: unsafe or duplicate entry name {name!r}")
            names.add(name)
            self.walk(link.hash, f"{rel}/{name}" if rel else name, depth + 1)


def extract_car(
    src: BinaryIO | Path, *, max_total_bytes: int = DEFAULT_MAX_EXTRACT_BYTES
) -> dict[str, bytes]:
    """Re-import a CAR: verify it and return every file under its single root.

    Keys are POSIX relative paths; a CAR whose root is a file yields ``{"": data}``.
    Empty folders have no entry (they hold no bytes).  Entry names that could
    escape or alias a path (``..``, ``/``, ``\\``, NUL, duplicates) are refused,
    so the result is safe to write below a destination folder.
    """
    roots, blocks = read_car(src)
    if len(roots) != 1:
        raise CarError(f"expected exactly one root, CAR has {len(roots)}")
    extractor = _Extractor(blocks, max_total_bytes)
    extractor.walk(cid_from_str(roots[0]), "", 0)
    return extractor.files
