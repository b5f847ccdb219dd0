"""IPFS export: CID + CAR for a typical article folder (three 2 MB images, 5,000-word page).

Run: ``uv run python benchmarks/bench_ipfs.py`` (``--runs N`` to change the sample).
The budget is well under 100 ms per export, since it runs when an editor
clicks "Publish" and the CID is shown before the upload starts.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _stats import prose, report

from desk.export.ipfs import import_directory, read_car, write_car


def build_site(folder: Path) -> None:
    """Deterministic stand-in for an exported article: incompressible images plus HTML."""
    images = folder / "images"
    images.mkdir(parents=True)
    for i in range(3):
        (images / f"photo-{i}.jpg").write_bytes(
            hashlib.shake_256(f"img{i}".encode()).digest(2_000_000)
        )
    body = prose(random.Random(5), 5_000).replace("\n\n", "</p>\n<p>")
    (folder / "index.html").write_text(
        f"<!doctype html><html><body><article><p>{body}</p></article></body></html>",
        encoding="utf-8",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build_site(site)
        car_path = Path(tmp) / "site.car"
        import_directory(site)  # warm the page cache so every run reads the same way

        to_file, to_memory, cid_only, read_back = [], [], [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            result = import_directory(site)
            middle = time.perf_counter()
            write_car(result, car_path)
            end = time.perf_counter()
            cid_only.append(middle - start)
            to_file.append(end - start)

            start = time.perf_counter()
            write_car(import_directory(site), io.BytesIO())
            to_memory.append(time.perf_counter() - start)

            start = time.perf_counter()
            read_car(car_path)
            read_back.append(time.perf_counter() - start)

        print(f"site: 3 x 2 MB images + 5,000-word HTML; CAR {car_path.stat().st_size:,} bytes")
        report("import_directory (CIDs only)", cid_only)
        report("import_directory + write_car (to file)", to_file)
        report("import_directory + write_car (to BytesIO)", to_memory)
        report("read_car (parse + verify every block)", read_back)


if __name__ == "__main__":
    main()
