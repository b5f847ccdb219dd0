"""Commands of the render, export and review layers (added as those land)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

REGISTER: list[Callable[[argparse._SubParsersAction], None]] = []
