"""What changed between two versions of an article, word by word.

Writers read a compare view to decide between their text and an editor's
(after a conflicting review package, or before restoring a revision).
Character diffs chop words into confetti ("co~~u~~nty"); line diffs flag a
whole paragraph for one comma. So the text is cut into word, whitespace and
punctuation tokens, each distinct token becomes one character (the trick
diff-match-patch uses for lines in ``diff_linesToChars``), the short strings
are diffed, and the characters are mapped back to tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from diff_match_patch import diff_match_patch

from desk.model.article import Article, Image, Section

Op = Literal["equal", "insert", "delete"]
_OPS: dict[int, Op] = {
    diff_match_patch.DIFF_EQUAL: "equal",
    diff_match_patch.DIFF_INSERT: "insert",
    diff_match_patch.DIFF_DELETE: "delete",
}
#: A word (letters, digits, apostrophes inside), a run of whitespace, or one
#: other character: "don't" stays whole, "$5,000." splits at the punctuation.
_TOKEN = re.compile(r"\w+(?:['’]\w+)*|\s+|.", re.DOTALL)
_SURROGATES = range(0xD800, 0xE000)
#: Code points available as token stand-ins (all but NUL and surrogates).
MAX_TOKENS = 0x10FFFF - len(_SURROGATES)


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _tokens_to_chars(old: list[str], new: list[str]) -> tuple[str, str, list[str]] | None:
    """Each distinct token as one code point; None if there are too many."""
    table: list[str] = []
    index: dict[str, str] = {}

    def encode(tokens: list[str]) -> str:
        out = []
        for tok in tokens:
            ch = index.get(tok)
            if ch is None:
                n = len(table) + 1
                if n >= _SURROGATES.start:
                    n += len(_SURROGATES)
                ch = chr(n)
                index[tok] = ch
                table.append(tok)
            out.append(ch)
        return "".join(out)

    if len(set(old) | set(new)) > MAX_TOKENS:
        return None
    return encode(old), encode(new), table


def _decode(ch: str, table: list[str]) -> str:
    n = ord(ch)
    if n >= _SURROGATES.stop:
        n -= len(_SURROGATES)
    return table[n - 1]


def word_diff(old: str, new: str) -> list[tuple[Op, str]]:
    """``(op, text)`` pieces; the non-inserts join to ``old`` and the non-deletes to ``new``.

    Adjacent pieces never share an op, and whitespace is kept exactly.
    """
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 1.0
    encoded = _tokens_to_chars(tokenize(old), tokenize(new))
    if encoded is None:  # more distinct tokens than code points: diff characters
        diffs = dmp.diff_main(old, new, False)
        dmp.diff_cleanupSemantic(diffs)
    else:
        a, b, table = encoded
        diffs = dmp.diff_main(a, b, False)
        # Cleaning up on the encoded text keeps every edit on token boundaries,
        # while still folding a lone shared space between two replaced words
        # into one readable change.
        dmp.diff_cleanupSemantic(diffs)
        diffs = [(op, "".join(_decode(ch, table) for ch in data)) for op, data in diffs]
    out: list[tuple[Op, str]] = []
    for op, text in diffs:
        if not text:
            continue
        name = _OPS[op]
        if out and out[-1][0] == name:
            out[-1] = (name, out[-1][1] + text)
        else:
            out.append((name, text))
    return out


@dataclass
class FieldDiff:
    #: Where in the article: ``headline``, ``section:<id>``, ``subheading:<id>``,
    #: ``image:<id>:caption`` ... (the same names annotations use).
    field: str
    label: str
    old: str
    new: str
    ops: list[tuple[Op, str]] = field(default_factory=list)
    #: Text differs, or the part was added, removed or moved.
    changed: bool = False
    #: ``added``, ``removed``, ``moved`` or empty.
    kind: str = ""


def _diff(name: str, label: str, old: str, new: str, kind: str = "") -> FieldDiff:
    return FieldDiff(name, label, old, new, word_diff(old, new), old != new or bool(kind), kind)


def dateline_text(article: Article) -> str:
    dl = article.dateline
    place = ", ".join(p for p in (dl.city, dl.region) if p)
    return " ".join(p for p in (place, dl.date.isoformat() if dl.date else "") if p)


def _labelled(label: str, kind: str, where: str) -> str:
    if kind == "moved":
        return f"{label} (moved{where})"
    return f"{label} ({kind})" if kind else label


def _sections(old: Article, new: Article) -> list[FieldDiff]:
    """Sections by id, in the new order; removed ones where they used to be."""
    before = {s.id: (i, s) for i, s in enumerate(old.sections)}
    after = {s.id: (i, s) for i, s in enumerate(new.sections)}
    common = [s.id for s in old.sections if s.id in after]
    rank = {sid: n for n, sid in enumerate(common)}
    new_rank = {sid: n for n, sid in enumerate(s.id for s in new.sections if s.id in before)}
    order: list[tuple[str, Section | None, Section | None]] = []
    for s in new.sections:
        order.append((s.id, before[s.id][1] if s.id in before else None, s))
    for i, s in enumerate(old.sections):
        if s.id not in after:
            # after the nearest earlier surviving section, or first
            pos = 0
            for prev in reversed(old.sections[:i]):
                hit = [k for k, (sid, _, _) in enumerate(order) if sid == prev.id]
                if hit:
                    pos = hit[0] + 1
                    break
            order.insert(pos, (s.id, s, None))
    out: list[FieldDiff] = []
    for sid, o, n in order:
        kind = "added" if o is None else "removed" if n is None else ""
        if not kind and rank[sid] != new_rank[sid]:
            kind = "moved"
        number = (after[sid][0] if n is not None else before[sid][0]) + 1
        label = f"Section {number}"
        where = f" from {before[sid][0] + 1}" if kind == "moved" else ""
        heading_old, heading_new = o.subheading if o else "", n.subheading if n else ""
        if heading_old or heading_new:
            out.append(
                _diff(
                    f"subheading:{sid}",
                    _labelled(f"{label} heading", kind, where),
                    heading_old,
                    heading_new,
                    kind,
                )
            )
        out.append(
            _diff(
                f"section:{sid}",
                _labelled(label, kind, where),
                o.body if o else "",
                n.body if n else "",
                kind,
            )
        )
    return out


_IMAGE_TEXT = (("alt", "alt text"), ("caption", "caption"), ("credit", "credit"))


def _images(old: Article, new: Article) -> list[FieldDiff]:
    before = {i.id: (n, i) for n, i in enumerate(old.images)}
    after = {i.id for i in new.images}
    pairs: list[tuple[int, Image | None, Image | None]] = [
        (n, before[i.id][1] if i.id in before else None, i) for n, i in enumerate(new.images)
    ]
    pairs += [(n, i, None) for n, i in enumerate(old.images) if i.id not in after]
    out: list[FieldDiff] = []
    for n, o, img in pairs:
        kind = "added" if o is None else "removed" if img is None else ""
        ident = (img or o).id  # type: ignore[union-attr]
        name = (img or o).filename or f"Image {n + 1}"  # type: ignore[union-attr]
        for attr, text in _IMAGE_TEXT:
            out.append(
                _diff(
                    f"image:{ident}:{attr}",
                    _labelled(f"{name} {text}", kind, ""),
                    getattr(o, attr) if o else "",
                    getattr(img, attr) if img else "",
                    kind,
                )
            )
    return out


def compare_articles(old: Article, new: Article) -> list[FieldDiff]:
    """Every part a writer can edit, old against new, in reading order."""
    out = [
        _diff("headline", "Headline", old.headline, new.headline),
        _diff("dateline", "Dateline", dateline_text(old), dateline_text(new)),
        _diff("category", "Category", old.category, new.category),
        _diff("byline", "Byline", old.byline, new.byline),
        _diff("standfirst", "Standfirst", old.standfirst, new.standfirst),
        _diff("tags", "Tags", ", ".join(old.tags), ", ".join(new.tags)),
    ]
    return out + _sections(old, new) + _images(old, new)
