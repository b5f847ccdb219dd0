"""PyInstaller's entry script: the frozen ``desk`` is exactly ``desk.cli.main``.

A separate file (not ``desk/__main__.py``) so the bundle's entry point never
runs as ``__main__`` inside the package, where relative imports would break.
"""

from __future__ import annotations

import sys

from desk.cli import main

if __name__ == "__main__":
    sys.exit(main())
