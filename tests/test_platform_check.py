"""`desk` with no command on a Linux box Qt cannot draw on: one line, not Qt's abort."""

from __future__ import annotations

import pytest
from conftest import run_desk

from desk.ui.platform_check import XCB_LIBRARIES, missing_xcb_packages, platform_problem

X11 = {"DISPLAY": ":0"}


def without(*sonames: str):
    return lambda soname: soname not in sonames


def test_missing_xcb_libraries_are_named_with_their_packages():
    line = platform_problem(X11, "linux", without("libxcb-cursor.so.0", "libxkbcommon-x11.so.0"))
    assert line == (
        "the Qt window needs system libraries that are missing: libxcb-cursor0 "
        "libxkbcommon-x11-0 (install them with: sudo apt-get install libxcb-cursor0 "
        "libxkbcommon-x11-0)"
    )


def test_nothing_to_say_when_qt_can_manage():
    assert platform_problem(X11, "linux", lambda soname: True) is None
    nothing = without(*XCB_LIBRARIES)
    # Another platform chosen, or Wayland available, or not Linux: Qt's business.
    assert platform_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux", nothing) is None
    assert platform_problem({**X11, "WAYLAND_DISPLAY": "wayland-0"}, "linux", nothing) is None
    assert platform_problem({}, "darwin", nothing) is None
    # xcb named explicitly is checked even beside a Wayland session.
    forced = {"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"}
    assert "libxcb-cursor0" in (platform_problem(forced, "linux", nothing) or "")


def test_no_display_at_all_is_said_plainly():
    line = platform_problem({}, "linux", lambda soname: True)
    assert line is not None and line.startswith("there is no display")


def test_desk_without_a_display_prints_one_line(monkeypatch, tmp_path):
    for var in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(var, raising=False)
    result = run_desk("--db", str(tmp_path / "d.db"))
    err = result.stderr.decode()
    assert result.returncode == 1
    assert err.splitlines() == [err.strip()] and err.startswith("desk: there is no display")
    assert "Qt platform plugin" not in err and "Traceback" not in err


@pytest.mark.skipif(not missing_xcb_packages(), reason="every xcb library is installed here")
def test_desk_on_x11_without_the_xcb_libraries_names_them(monkeypatch, tmp_path):
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setenv("DISPLAY", ":99")
    result = run_desk("--db", str(tmp_path / "d.db"))
    err = result.stderr.decode().strip()
    assert result.returncode == 1
    assert err == "desk: " + platform_problem()
    assert " ".join(missing_xcb_packages()) in err
