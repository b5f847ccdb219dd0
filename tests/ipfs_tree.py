"""A small nested tree of files for the UnixFS and CAR tests."""

from __future__ import annotations

import hashlib
from pathlib import Path

MIB = 1 << 20


def make_tree(root: Path) -> dict[str, bytes]:
    files = {
        "index.html": b"<h1>Front page</h1>",
        "B.txt": b"upper",
        "a.txt": b"lower",
        "\u00e9t\u00e9.txt": "été".encode(),
        ".hidden": b"dotfile",
        "empty.bin": b"",
        "img/photo.jpg": hashlib.shake_256(b"photo").digest(MIB + 300),
        "img/copy.jpg": hashlib.shake_256(b"photo").digest(MIB + 300),
        "img/deep/er/note.md": b"# note\n",
        "2024/01/story.html": b"<p>story</p>",
    }
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    (root / "img" / "empty-dir").mkdir()
    return files
