"""Can Qt open a window here? Asked before QApplication exists, without importing Qt.

On Linux Qt's X11 plugin (xcb) needs a dozen system libraries that a fresh
desktop or a minimal container often lacks (``libxcb-cursor0`` since Qt 6.5).
Qt then aborts with "could not load the Qt platform plugin", which names
none of them. Without any display it aborts the same way. Both are found
here first and told in one line a user can act on.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping

#: What Qt's xcb plugin (``libqxcb.so`` and ``libQt6XcbQpa.so.6``) links, by
#: soname, with the Debian/Ubuntu package that ships it. Read off the
#: plugin's ``DT_NEEDED`` entries; the C/C++ runtime and Qt's own libraries
#: are left out (without them nothing would have started).
XCB_LIBRARIES: dict[str, str] = {
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libGL.so.1": "libgl1",
}

Lookup = Callable[[str], bool]


def can_load(soname: str) -> bool:
    """Ask the dynamic loader itself, so LD_LIBRARY_PATH and ldconfig count as Qt's would."""
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def missing_xcb_packages(lookup: Lookup = can_load) -> list[str]:
    """The packages to install for every library the xcb plugin cannot load, in a stable order."""
    packages: list[str] = []
    for soname, package in XCB_LIBRARIES.items():
        if not lookup(soname) and package not in packages:
            packages.append(package)
    return packages


def platform_problem(
    environ: Mapping[str, str] | None = None,
    platform: str | None = None,
    lookup: Lookup = can_load,
) -> str | None:
    """One line saying why the window cannot open, or None when Qt should manage.

    Only the case Qt would get wrong is judged: Linux with the X11 plugin
    chosen, explicitly or because X11 is the only display. A platform the
    user named (``offscreen``, ``wayland``, ``vnc``…) is theirs to answer for.
    """
    env = os.environ if environ is None else environ
    if not (platform or sys.platform).startswith("linux"):
        return None
    chosen = env.get("QT_QPA_PLATFORM", "").strip()
    display, wayland = env.get("DISPLAY", ""), env.get("WAYLAND_DISPLAY", "")
    if not chosen:
        if not display and not wayland:
            return (
                "there is no display to open the window on (neither DISPLAY nor "
                "WAYLAND_DISPLAY is set); start Desk from a desktop session, or use "
                "the commands in `desk --help`"
            )
        if wayland:
            return None  # Qt prefers its Wayland plugin there
    elif chosen.split(":", 1)[0].split(";", 1)[0] != "xcb":
        return None
    packages = missing_xcb_packages(lookup)
    if not packages:
        return None
    return (
        "the Qt window needs system libraries that are missing: "
        f"{' '.join(packages)} (install them with: sudo apt-get install {' '.join(packages)})"
    )
