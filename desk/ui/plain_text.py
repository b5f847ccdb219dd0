"""User text shown where Qt guesses between plain and rich text.

Tooltips, message boxes and list items' tooltips have no text-format switch:
Qt renders a string as HTML whenever ``Qt.mightBeRichText`` guesses it is
one. A headline, a quote or a name from a review package can start with a
tag, so shown raw it could load local ``file://`` images or pose as Desk's own
words. Everything user-written goes through :func:`plain` first: escaped and
wrapped as rich text, it shows exactly the characters that were typed.
"""

from __future__ import annotations

from PySide6.QtGui import Qt


def plain(text: str) -> str:
    """*text* as rich text that displays literally (line breaks kept); ``""`` stays empty."""
    if not text:
        return ""
    return Qt.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal)
