"""``desk --selftest`` from source: it passes on a healthy checkout and says so line by line,
and a broken step is reported as FAILED (with the checks that depend on it) and exits 1.

The frozen build runs the same code in tests/test_packaging.py; here it runs
in-process (fast, and inside pytest-qt's QApplication, which it must reuse)
and once through the real command line in a fresh process.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import REPO, run_desk

from desk.selftest import ENV_NO_WEBENGINE, run_selftest

CHECKS = (
    "resources",
    "site profile",
    "database",
    "image",
    "render",
    "render masthead",
    "render headline",
    "render dateline lead",
    "checklist",
    "export",
    "export images",
    "manifest checksums",
    "CID of content/",
    "CAR",
    "QtWebEngine page load",
)


def statuses(output: str) -> dict[str, str]:
    """Check name -> "ok" / "FAILED" / "skip", from the selftest's one-line-per-check output."""
    found: dict[str, str] = {}
    for line in output.splitlines():
        status, _, rest = line.partition(" ")
        if status in ("ok", "FAILED", "skip"):
            found[rest.strip().split(": ", 1)[0]] = status
    return found


def run() -> tuple[int, str]:
    out = io.StringIO()
    code = run_selftest(out)
    return code, out.getvalue()


@pytest.mark.webengine
def test_selftest_passes_in_process_reusing_the_qapplication(qapp) -> None:
    code, output = run()
    assert code == 0, output
    assert statuses(output) == dict.fromkeys(CHECKS, "ok"), output
    assert f"ok      resources: {REPO / 'resources'}" in output  # found from the checkout
    assert "from source" in output.splitlines()[0]
    assert "ok      export images: 2 images in content/assets/, each shown once" in output
    assert output.rstrip().endswith(f"selftest passed: {len(CHECKS)} checks")


def test_webengine_part_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_NO_WEBENGINE, "1")
    code, output = run()
    assert code == 0, output
    assert statuses(output)["QtWebEngine page load"] == "skip"
    assert output.rstrip().endswith(f"selftest passed: {len(CHECKS) - 1} checks (1 skipped)")


def test_a_wrong_cid_fails_that_check_and_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    import desk.export.ipfs as ipfs

    real = ipfs.import_directory

    def wrong(path: Path) -> ipfs.ImportResult:
        result = real(path)
        return ipfs.ImportResult("bafy-not-the-cid", result.blocks, result.cids_by_path)

    monkeypatch.setenv(ENV_NO_WEBENGINE, "1")
    monkeypatch.setattr(ipfs, "import_directory", wrong)
    code, output = run()
    assert code == 1
    found = statuses(output)
    assert found["CID of content/"] == "FAILED"
    assert "bafy-not-the-cid" in output
    assert found["CAR"] == found["manifest checksums"] == "ok"
    assert output.rstrip().endswith(f"selftest FAILED: 1 of {len(CHECKS)} checks failed")


def test_a_failed_export_marks_the_checks_that_need_it_not_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import desk.export.bundle as bundle
    from desk.export.context import ExportError

    def broken(*args: object, **kwargs: object) -> None:
        raise ExportError("disk full")

    monkeypatch.setenv(ENV_NO_WEBENGINE, "1")
    monkeypatch.setattr(bundle, "export_article", broken)
    code, output = run()
    assert code == 1
    assert "FAILED  export: ExportError: disk full" in output
    for name in ("export images", "manifest checksums", "CID of content/", "CAR"):
        assert f"FAILED  {name}: not run (export failed)" in output
    assert statuses(output)["render headline"] == "ok"


def test_missing_resources_are_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import desk.paths

    monkeypatch.setenv(ENV_NO_WEBENGINE, "1")
    monkeypatch.setattr(desk.paths, "resources_dir", lambda: tmp_path)
    code, output = run()
    assert code == 1
    assert f"FAILED  resources: {tmp_path}: missing sites/openvoicenews/profile.json" in output


@pytest.mark.webengine
def test_desk_selftest_command_in_a_fresh_process() -> None:
    """The CLI flag, with the selftest making its own QApplication and starting Chromium."""
    proc = run_desk("--selftest", env={ENV_NO_WEBENGINE: ""})
    output = proc.stdout.decode()
    assert proc.returncode == 0, output + proc.stderr.decode()
    assert statuses(output) == dict.fromkeys(CHECKS, "ok"), output
