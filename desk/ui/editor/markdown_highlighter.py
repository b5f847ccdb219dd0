"""Markdown syntax colouring for a section body editor.

The rules are plain data and a plain function, :func:`spans`, so they can be
tested without Qt and reused (for instance by a future plain-text exporter's
lint). :class:`MarkdownHighlighter` is only the thin Qt wrapper that turns
those spans into character formats.

Placeholders ("TK", "TODO", "FIXME", ...) are painted as warnings because the
pre-export checklist (:mod:`desk.model.validation`) refuses to export copy
that still contains them; the pattern here must flag exactly what it flags.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QPalette,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)

Span = tuple[int, int, str]  # (start, length, kind)

#: Block state for ordinary text. Inside a fenced code block the state encodes
#: the fence: ``length * 2 + (1 if the fence is made of "~" else 0)`` (always >= 6).
NORMAL = 0

# --- the rules --------------------------------------------------------------------

#: Same words as desk.model.validation._PLACEHOLDER: a test keeps the two in step.
PLACEHOLDER = re.compile(r"\b(TK|TKTK|TODO|FIXME|XXX)\b")

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
QUOTE = re.compile(r"^ {0,3}>")
RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
LIST_MARKER = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)")
ESCAPE = re.compile(r"\\[!-/:-@\[-`{-~]")
CODE_SPAN = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)")
IMAGE = re.compile(r"!\[[^\]]*\](\([^)\s]*(?:\s+\"[^\"]*\")?\))")
LINK = re.compile(r"(?<!!)\[([^\]]+)\](\([^)]*\))")
AUTOLINK = re.compile(r"<(?:https?|mailto|ipfs):[^>\s]+>")

#: Inline rules run on the line with code spans, escapes and URLs masked out,
#: so an underscore in a URL or a star in code never starts emphasis.
INLINE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("bold", re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")),
    ("italic", re.compile(r"(?<![*\w])\*(?![\s*])(.+?)(?<![\s*])\*(?!\*)")),
    ("italic", re.compile(r"(?<![_\w])_(?![\s_])(.+?)(?<![\s_])_(?![_\w])")),
    ("strike", re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")),
)

#: How each kind looks. Colours are named per theme ("light"/"dark") so they
#: read on both; "dim" is mixed from the palette's own text and base colours.
STYLES: dict[str, dict[str, object]] = {
    "heading": {"bold": True, "color": ("#1f5fa8", "#8db4ea")},
    "bold": {"bold": True},
    "italic": {"italic": True},
    "strike": {"strike": True, "color": "dim"},
    "code": {"mono": True, "color": ("#8a3b12", "#e3a66b"), "background": "code"},
    "codeblock": {"mono": True, "color": ("#8a3b12", "#e3a66b"), "background": "code"},
    "fence": {"mono": True, "color": "dim"},
    "link_text": {"color": ("#1f5fa8", "#8db4ea"), "underline": True},
    "link_url": {"color": "dim"},
    "image": {"color": ("#7a3fa0", "#c29be0")},
    "quote": {"italic": True, "color": ("#4f6b2e", "#a8c98a")},
    "list": {"bold": True, "color": ("#b35900", "#f0a050")},
    "rule": {"color": "dim"},
    "placeholder": {"bold": True, "color": ("#7a0000", "#ffffff"), "background": "warning"},
}
KINDS = tuple(STYLES)


def _fence_state(marker: str) -> int:
    return len(marker) * 2 + (1 if marker[0] == "~" else 0)


def _closes_fence(line: str, state: int) -> bool:
    m = FENCE.match(line)
    if not m or m.group(2).strip():
        return False
    marker = m.group(1)
    return (marker[0] == "~") == bool(state & 1) and len(marker) >= state // 2


def _mask(text: str, start: int, end: int) -> str:
    return text[:start] + "\0" * (end - start) + text[end:]


def _placeholders(line: str) -> list[Span]:
    return [(m.start(), m.end() - m.start(), "placeholder") for m in PLACEHOLDER.finditer(line)]


def spans(line: str, state: int = NORMAL) -> tuple[list[Span], int]:
    """Spans to colour in one line, and the state the next line starts in.

    Spans may overlap; they are listed in the order they should be applied,
    block-level first and placeholders last, so later kinds win where they
    disagree (a placeholder inside a heading is still red).
    """
    if state < 0:  # QSyntaxHighlighter's "no state yet"
        state = NORMAL
    n = len(line)
    if state != NORMAL:  # inside a fenced code block
        if _closes_fence(line, state):
            return [(0, n, "fence")], NORMAL
        body: list[Span] = [(0, n, "codeblock")] if n else []
        return body + _placeholders(line), state
    fence = FENCE.match(line)
    if fence and not (fence.group(1)[0] == "`" and "`" in fence.group(2)):
        return [(0, n, "fence")], _fence_state(fence.group(1))

    out: list[Span] = []
    if RULE.match(line):
        return [(0, n, "rule")], NORMAL
    if HEADING.match(line):
        out.append((0, n, "heading"))
    elif QUOTE.match(line):
        out.append((0, n, "quote"))
    marker = LIST_MARKER.match(line)
    if marker:
        out.append((marker.start(), marker.end() - marker.start(), "list"))

    masked = line
    for m in ESCAPE.finditer(line):
        masked = _mask(masked, m.start(), m.end())
    for m in CODE_SPAN.finditer(masked):
        out.append((m.start(), m.end() - m.start(), "code"))
        masked = _mask(masked, m.start(), m.end())
    for m in IMAGE.finditer(masked):
        out.append((m.start(), m.end() - m.start(), "image"))
        out.append((m.start(1), m.end(1) - m.start(1), "link_url"))
        masked = _mask(masked, m.start(), m.end())
    for m in LINK.finditer(masked):
        out.append((m.start(1), m.end(1) - m.start(1), "link_text"))
        out.append((m.start(2), m.end(2) - m.start(2), "link_url"))
        masked = _mask(masked, m.start(2), m.end(2))
    for m in AUTOLINK.finditer(masked):
        out.append((m.start(), m.end() - m.start(), "link_url"))
        masked = _mask(masked, m.start(), m.end())
    for kind, pattern in INLINE_RULES:
        out.extend((m.start(), m.end() - m.start(), kind) for m in pattern.finditer(masked))
    out.extend(_placeholders(line))
    return out, NORMAL


# --- the Qt wrapper -------------------------------------------------------------------


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    return QColor(
        round(a.red() * (1 - t) + b.red() * t),
        round(a.green() * (1 - t) + b.green() * t),
        round(a.blue() * (1 - t) + b.blue() * t),
    )


def formats_for(palette: QPalette) -> dict[str, QTextCharFormat]:
    """One character format per kind, readable on this palette (light or dark)."""
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    dark = base.lightness() < 128
    named = {
        "dim": _mix(text, base, 0.45),
        "code": _mix(base, text, 0.07),
        "warning": QColor("#8a1f1f" if dark else "#ffb3b3"),
    }
    mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).families()
    out: dict[str, QTextCharFormat] = {}
    for kind, style in STYLES.items():
        fmt = QTextCharFormat()
        color = style.get("color")
        if isinstance(color, tuple):
            fmt.setForeground(QColor(color[1] if dark else color[0]))
        elif isinstance(color, str):
            fmt.setForeground(named[color])
        if isinstance(style.get("background"), str):
            fmt.setBackground(named[str(style["background"])])
        if style.get("bold"):
            fmt.setFontWeight(QFont.Weight.Bold)
        if style.get("italic"):
            fmt.setFontItalic(True)
        if style.get("strike"):
            fmt.setFontStrikeOut(True)
        if style.get("underline"):
            fmt.setFontUnderline(True)
        if style.get("mono"):
            fmt.setFontFamilies(mono)
        out[kind] = fmt
    return out


@dataclass
class _Palette:
    key: int
    formats: dict[str, QTextCharFormat]


class MarkdownHighlighter(QSyntaxHighlighter):
    """Colours Markdown in a section body; all decisions are made by :func:`spans`.

    Colours follow the application palette. After switching themes call
    :meth:`refresh_colors` (or ``rehighlight()``), which picks up the new palette.
    """

    def __init__(self, document: QTextDocument, palette: QPalette | None = None) -> None:
        super().__init__(document)
        self._fixed_palette = palette
        self._palette = self._build()

    def _build(self) -> _Palette:
        palette = self._fixed_palette or QGuiApplication.palette()
        return _Palette(palette.cacheKey(), formats_for(palette))

    def refresh_colors(self, palette: QPalette | None = None) -> None:
        """Rebuild the formats from ``palette`` (default: the application's) and repaint."""
        if palette is not None:
            self._fixed_palette = palette
        self._palette = self._build()
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        if (
            self._fixed_palette is None
            and QGuiApplication.palette().cacheKey() != self._palette.key
        ):
            self._palette = self._build()
        found, state = spans(text, self.previousBlockState())
        self.setCurrentBlockState(state)
        if not found:
            return
        formats = self._palette.formats
        # setFormat replaces rather than merges, so overlapping spans are merged
        # here: cut the line at every span edge and combine what covers each piece.
        edges = sorted({p for s, n, _ in found for p in (s, s + n)})
        for left, right in pairwise(edges):
            fmt: QTextCharFormat | None = None
            for start, length, kind in found:
                if start <= left and right <= start + length:
                    if fmt is None:
                        fmt = QTextCharFormat(formats[kind])
                    else:
                        fmt.merge(formats[kind])
            if fmt is not None:
                self.setFormat(left, right - left, fmt)
