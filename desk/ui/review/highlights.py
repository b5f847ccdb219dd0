"""Comment highlights in the section editors and in the live preview.

Editor side: highlights are ``QTextEdit.ExtraSelection`` s, not character
formats, because formats would be edits (an undo step, a "modified" document,
a ``textChanged`` the autosave reacts to). Extra selections are paint-only.

Preview side: the functions here only *build* JavaScript; the owner runs it
with ``PreviewPane.run_js``. Every value reaches the script through
``json.dumps``. A patched section is a fresh element without marks, so the
script must run again after every ``patched``/``loaded`` of that part.

Offsets
-------
Annotations count Unicode code points (W3C ``TextPositionSelector``). Qt
counts UTF-16 units, so :func:`apply_editor_highlights` converts, and
:func:`utf16_offset` / :func:`codepoint_offset` are there for the owner when it
turns a ``QTextCursor`` selection into a new comment.

In the preview, :func:`preview_highlight_script` counts code points over the
*target's text*: the concatenated ``data`` of its text nodes in document
order, including the whitespace between block elements, and for a section
body skipping the subheading, the dateline and figures. That exact string is
what :func:`preview_text_script` returns. Markdown source offsets do not map
onto it (``**`` and link targets vanish, the typographer changes quotes and
dashes), hence :func:`preview_highlight_by_quote_script`, which finds the
quoted words instead.
"""

from __future__ import annotations

import html
import json
import re

from PySide6.QtGui import QColor, QPalette, QTextCursor, QTextFormat
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

#: Marks our extra selections so other users of extraSelections() are left alone.
_MARK_PROPERTY = QTextFormat.Property.UserProperty + 0x4445  # "DE"

# (background, foreground or None) for open / resolved, per palette brightness.
_LIGHT = {False: ("#fff1a8", None), True: ("#dff2d8", None)}
_DARK = {False: ("#6b5b12", "#fff8d6"), True: ("#2f5130", "#e4f5de")}


def utf16_offset(text: str, index: int) -> int:
    """Qt/JavaScript position of code point ``index`` of ``text``."""
    index = max(0, min(index, len(text)))
    return index + sum(1 for ch in text[:index] if ord(ch) > 0xFFFF)


def codepoint_offset(text: str, utf16_index: int) -> int:
    """Code point index of a Qt/JavaScript position (mid-pair rounds down)."""
    units = 0
    for i, ch in enumerate(text):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > utf16_index:
            return i
    return len(text)


def highlight_colors(palette: QPalette, resolved: bool) -> tuple[QColor, QColor | None]:
    """Yellow for open, green for resolved, darkened (with light text) on a dark base."""
    dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
    bg, fg = (_DARK if dark else _LIGHT)[resolved]
    return QColor(bg), QColor(fg) if fg else None


def apply_editor_highlights(editor: QPlainTextEdit, spans: list[tuple[int, int, bool]]) -> None:
    """Show comment spans ``(start, end, resolved)`` in code points; replaces earlier ones.

    Spans outside the text are clamped; empty ones are skipped. Extra
    selections set by anyone else are kept. Open comments are painted after
    resolved ones so an overlap shows as open.
    """
    text = editor.toPlainText()
    kept = [s for s in editor.extraSelections() if not s.format.hasProperty(_MARK_PROPERTY)]
    ours = []
    for start, end, resolved in sorted(spans, key=lambda s: (not s[2], s[0], s[1])):
        a, b = utf16_offset(text, start), utf16_offset(text, end)
        if a >= b:
            continue
        sel = QTextEdit.ExtraSelection()
        cursor = QTextCursor(editor.document())
        cursor.setPosition(a)
        cursor.setPosition(b, QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cursor
        bg, fg = highlight_colors(editor.palette(), resolved)
        sel.format.setBackground(bg)
        if fg is not None:
            sel.format.setForeground(fg)
        sel.format.setProperty(_MARK_PROPERTY, "resolved" if resolved else "open")
        ours.append(sel)
    editor.setExtraSelections(kept + ours)


def editor_highlight_spans(editor: QPlainTextEdit) -> list[tuple[int, int, bool]]:
    """The spans currently shown (UTF-16 positions), for tests and debugging."""
    return [
        (
            s.cursor.selectionStart(),
            s.cursor.selectionEnd(),
            s.format.property(_MARK_PROPERTY) == "resolved",
        )
        for s in editor.extraSelections()
        if s.format.hasProperty(_MARK_PROPERTY)
    ]


# --- preview ---------------------------------------------------------------------

_SECTION_SKIP = "h2.subheading, .dateline-lead, .dateline, figure"
_HEADER_TARGETS = {
    "headline": ("article-header", ".headline"),
    "standfirst": ("article-header", ".standfirst"),
    "byline": ("article-byline", ".author"),
}


def _target(field: str) -> dict[str, str]:
    """Where a field's text is on the page: element id, optional sub-selector, skips.

    Accepts a bare section id (as the brief's ``section_id``) or any
    annotation field name: ``headline``, ``standfirst``, ``byline``,
    ``section:<id>``, ``subheading:<id>``.
    """
    if field in _HEADER_TARGETS:
        element, sub = _HEADER_TARGETS[field]
        return {"id": element, "sub": sub, "skip": ""}
    kind, sep, ident = field.partition(":")
    if sep and kind == "subheading":
        return {"id": "s-" + ident, "sub": ":scope > h2.subheading", "skip": ""}
    if sep and kind == "section":
        field = ident
    return {"id": "s-" + field, "sub": "", "skip": _SECTION_SKIP}


# Shared by the scripts below. Text-node walk, mark removal and the wrapping of
# ranges given as [[nodeIndex, from, to] (UTF-16, per node), resolved] segments.
# Overlaps are cut at their boundaries; a piece is "resolved" only when every
# comment covering it is.
_CORE = r"""
  var root = document.getElementById(t.id);
  if (root && t.sub) root = root.querySelector(t.sub);
  if (!root) return JSON.stringify(null);
  function skipped(node) {
    if (!t.skip) return false;
    var el = node.nodeType === 1 ? node : node.parentElement;
    var hit = el && el.closest(t.skip);
    return !!hit && hit !== root && root.contains(hit);
  }
  root.querySelectorAll('mark.desk-annotation').forEach(function (m) {
    if (skipped(m)) return;
    while (m.firstChild) m.parentNode.insertBefore(m.firstChild, m);
    m.remove();
  });
  root.normalize();
  var nodes = [];
  var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: function (n) {
      return skipped(n) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
    }
  });
  for (var n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n);
  function wrap(segments) {
    var per = {};
    segments.forEach(function (s) { (per[s[0]] = per[s[0]] || []).push(s); });
    Object.keys(per).forEach(function (k) {
      var node = nodes[k], len = node.data.length, cuts = [0, len];
      per[k].forEach(function (s) { cuts.push(s[1], s[2]); });
      cuts = cuts.filter(function (c, i, a) { return c >= 0 && c <= len && a.indexOf(c) === i; })
                 .sort(function (a, b) { return a - b; });
      var pieces = [];
      for (var i = 0; i + 1 < cuts.length; i++) {
        var a = cuts[i], b = cuts[i + 1], cover = per[k].filter(function (s) {
          return s[1] <= a && s[2] >= b;
        });
        var kind = !cover.length ? '' : cover.every(function (s) { return s[3]; }) ? 'r' : 'o';
        var last = pieces[pieces.length - 1];
        if (last && last.kind === kind) last.b = b; else pieces.push({a: a, b: b, kind: kind});
      }
      var parts = [], cur = node;
      for (var j = pieces.length - 1; j > 0; j--) parts.unshift(cur.splitText(pieces[j].a));
      parts.unshift(cur);
      pieces.forEach(function (p, i) {
        if (!p.kind) return;
        var m = document.createElement('mark');
        m.className = 'desk-annotation' + (p.kind === 'r' ? ' resolved' : '');
        parts[i].parentNode.insertBefore(m, parts[i]);
        m.appendChild(parts[i]);
      });
    });
  }
  function segmentsBetween(na, oa, nb, ob, resolved) {
    var out = [];
    for (var i = na; i <= nb; i++) {
      var from = i === na ? oa : 0, to = i === nb ? ob : nodes[i].data.length;
      // Whitespace between blocks: a padded <mark> there would add a blank line.
      if (!/\S/.test(nodes[i].data.slice(from, to)) &&
          getComputedStyle(nodes[i].parentElement).display !== 'inline') continue;
      if (to > from) out.push([i, from, to, resolved]);
    }
    return out;
  }
"""

_BY_RANGES = (
    "(function (t, spans) {"
    + _CORE
    + r"""
  var cps = nodes.map(function (n) { return Array.from(n.data); });
  function locate(cp, isEnd) {  // code point offset -> [node, utf16 offset]
    for (var i = 0; i < cps.length; i++) {
      if (cp < cps[i].length || (isEnd && cp === cps[i].length))
        return [i, cps[i].slice(0, cp).join('').length];
      cp -= cps[i].length;
    }
    return null;
  }
  var segs = [], ok = spans.map(function (s) {
    if (!(s[1] > s[0]) || s[0] < 0) return false;
    var a = locate(s[0], false), b = locate(s[1], true);
    if (!a || !b) return false;
    segs = segs.concat(segmentsBetween(a[0], a[1], b[0], b[1], !!s[2]));
    return true;
  });
  wrap(segs);
  return JSON.stringify(ok);
})(%s, %s)"""
)

# Matching happens on a normalised copy: whitespace runs become one space,
# typographic quotes straight ones, dash runs one '-', '…' three dots; Markdown
# emphasis characters and invisible marks are dropped on both sides. `map`
# keeps, per normalised character, the text node and UTF-16 range it came from.
_BY_QUOTES = (
    "(function (t, quotes) {"
    + _CORE
    + r"""
  var QUOTES = {'\u2018': "'", '\u2019': "'", '\u201a': "'", '\u201b': "'",
                '\u201c': '"', '\u201d': '"', '\u201e': '"', '\u201f': '"'};
  function norm(s, node, out, map) {
    for (var i = 0; i < s.length;) {
      var cp = s.codePointAt(i), w = cp > 0xffff ? 2 : 1, c = s.substr(i, w), emit = c;
      var prev = out.length ? out[out.length - 1] : '';
      if (/\s/.test(c)) emit = prev === ' ' ? '' : ' ';
      else if ('*_`~\u00ad\u200b\u200c\u200d\u2060\ufeff'.indexOf(c) >= 0) emit = '';
      else if (QUOTES[c]) emit = QUOTES[c];
      else if ('-\u2010\u2011\u2012\u2013\u2014\u2015\u2212'.indexOf(c) >= 0)
        emit = prev === '-' ? '' : '-';
      else if (c === '\u2026') emit = '...';
      for (var k = 0; k < emit.length; k++) {
        out.push(emit[k]);
        if (map) map.push([node, i, i + w]);
      }
      i += w;
    }
  }
  var text = [], map = [];
  nodes.forEach(function (n, i) { norm(n.data, i, text, map); });
  text = text.join('');
  var segs = [], found = quotes.map(function (q) {
    var qs = [];
    norm(q[0], -1, qs, null);
    qs = qs.join('').trim();
    if (!qs) return false;
    var at = -1, hit = -1, want = Math.max(0, q[2] | 0);
    for (var seen = 0; seen <= want; seen++) {
      at = text.indexOf(qs, at + 1);
      if (at < 0) break;
      hit = at;
    }
    if (hit < 0) return false;
    var a = map[hit], b = map[hit + qs.length - 1];
    segs = segs.concat(segmentsBetween(a[0], a[1], b[0], b[2], !!q[1]));
    return true;
  });
  wrap(segs);
  return JSON.stringify(found);
})(%s, %s)"""
)

_TEXT = (
    "(function (t) {"
    + _CORE
    + r"""
  return JSON.stringify(nodes.map(function (n) { return n.data; }).join(''));
})(%s)"""
)

_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)?")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)?")
_MD_LINK_TAIL = re.compile(r"^[^\[]*?\]\([^)]*\)?")  # the quote starts inside link text
_MD_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]*)>")
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_MD_OPEN_BRACKET = re.compile(r"\[(?=[^\]]*$)")  # the quote ends inside link text
_MD_LINE_START = re.compile(r"(?m)^[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|[-+*][ \t]+|\d{1,9}[.)][ \t]+)")


def markdown_quote_to_text(quote: str) -> str:
    """Roughly the words a Markdown quote shows as: link targets, images and
    line markers removed, escapes and entities resolved. Emphasis characters
    are left for the page script, which ignores them on both sides.
    """
    text = _MD_IMAGE.sub("", quote)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_LINK_TAIL.sub(lambda m: m.group(0).split("](", 1)[0], text)
    text = _MD_AUTOLINK.sub(r"\1", text)
    text = _MD_LINE_START.sub("", text)
    text = _MD_OPEN_BRACKET.sub("", text)
    return html.unescape(_MD_ESCAPE.sub(r"\1", text))


def preview_highlight_script(section_id: str, spans: list[tuple[int, int, bool]]) -> str:
    """Mark ``(start, end, resolved)`` code-point ranges of a target's page text.

    The offsets are into the string :func:`preview_text_script` returns for
    the same target (see the module docstring), not into Markdown source.
    Old marks in the target are removed first; an empty list just clears. The
    script returns a JSON list saying, per span, whether it was in range, or
    ``null`` when the element is not on the page.
    """
    spans_js = [[int(a), int(b), bool(r)] for a, b, r in spans]
    return _BY_RANGES % (json.dumps(_target(section_id)), json.dumps(spans_js))


def preview_highlight_by_quote_script(
    section_id: str, quotes: list[tuple[str, bool]] | list[tuple[str, bool, int]]
) -> str:
    """Mark each quoted text ``(quote, resolved[, occurrence])`` in a target's page text.

    ``section_id`` is a section id or an annotation field name (``headline``,
    ``standfirst``, ``byline``, ``section:<id>``, ``subheading:<id>``). Section
    quotes are Markdown source and are cleaned with :func:`markdown_quote_to_text`.
    Matching ignores whitespace differences, typographic versus straight
    quotes, dash styles and emphasis characters. The first match is marked,
    or the ``occurrence``-th (0-based, see :func:`occurrence_index`) when given
    (the last match found when there are fewer). Old marks go first; the
    script returns a JSON list of found flags, or ``null`` when the element is
    not on the page.
    """
    section_body = _target(section_id)["skip"] == _SECTION_SKIP
    items = []
    for q in quotes:
        text = markdown_quote_to_text(q[0]) if section_body else q[0]
        items.append([text, bool(q[1]), int(q[2]) if len(q) > 2 else 0])
    return _BY_QUOTES % (json.dumps(_target(section_id)), json.dumps(items, ensure_ascii=False))


def preview_text_script(section_id: str) -> str:
    """A script returning (as JSON) the text :func:`preview_highlight_script` counts in.

    It also removes that target's marks, so run the highlight script after it.
    """
    return _TEXT % json.dumps(_target(section_id))


def occurrence_index(text: str, quote: str, start: int) -> int:
    """How many times ``quote`` occurs in ``text`` before ``start``: tells repeats apart."""
    count, i = 0, text.find(quote)
    while 0 <= i < start:
        count += 1
        i = text.find(quote, i + 1)
    return count
