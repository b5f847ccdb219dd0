"""Who changed which words: a three-way comparison of one text against the copy both started from.

A two-way compare of the writer's draft with the editor's returned copy
cannot tell "the editor deleted this sentence" from "the writer added it
after sending": both look like the sentence is missing on one side. With the
common base (the document that was sent) each change can be given its
author: only the writer's copy differs from the base there (``mine``), only
the editor's (``theirs``), both made the same change (``both``), or both
changed the same words differently (``conflict``).

The text is cut into word, whitespace and punctuation tokens (as the
history compare does), base→mine and base→theirs are diffed, and the base
tokens that both sides kept unchanged split the text into stable runs and
change hunks: the classic diff3 walk. Each hunk holds all three versions, so
a caller can resolve every change on its own: :func:`resolve` takes the
editor's version of the hunks it is told to accept and the writer's of the
rest. Pure functions; no Qt, no store.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from diff_match_patch import diff_match_patch

from desk.model.article import Article
from desk.review.history import _tokens_to_chars, tokenize

Origin = Literal["same", "mine", "theirs", "both", "conflict"]
#: Header fields compared as text; the others (dateline, category, tags) are
#: single values that the field-level merge already decides as a whole.
TEXT_HEADER = (("headline", "Headline"), ("byline", "Byline"), ("standfirst", "Standfirst"))
IMAGE_TEXT = (("alt", "alt text"), ("caption", "caption"), ("credit", "credit"))


@dataclass(frozen=True)
class Hunk:
    """One stretch of the text in its three versions, and whose change it is."""

    base: str
    mine: str
    theirs: str
    origin: Origin

    @property
    def changed(self) -> bool:
        return self.origin != "same"


@dataclass(frozen=True)
class FieldMerge:
    """The hunks of one part of the article (``section:<id>``, ``headline`` ...)."""

    field: str
    label: str
    hunks: tuple[Hunk, ...]

    def text(self, accepted: Collection[int] = ()) -> str:
        return resolve(self.hunks, accepted)

    def changes(self) -> list[int]:
        """Indexes of the hunks that differ from the base on any side."""
        return [i for i, h in enumerate(self.hunks) if h.changed]

    def choices(self) -> set[int]:
        """Indexes of the hunks where the two sides differ: the ones a person decides."""
        return {i for i, h in enumerate(self.hunks) if h.mine != h.theirs}

    def accepted_in(self, text: str) -> set[int] | None:
        """Which hunks hold the other side's version in ``text``, as the merge left it.

        The field-level merge takes a part whole, so the text is all ours or
        all theirs; anything else (edited since) is None, and a change must
        then not be applied blindly.
        """
        if text == self.text(()):
            return set()
        if text == self.text(self.choices()):
            return self.choices()
        return None


def classify(base: str, mine: str, theirs: str) -> Origin:
    if mine == theirs:
        return "same" if mine == base else "both"
    if mine == base:
        return "theirs"
    if theirs == base:
        return "mine"
    return "conflict"


def _matches(old: list[str], new: list[str]) -> dict[int, int]:
    """Token index in ``old`` -> its index in ``new``, for the tokens the diff keeps."""
    encoded = _tokens_to_chars(old, new)
    if encoded is None:  # too many distinct tokens to diff: nothing is matched
        return {}
    a, b, _table = encoded
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 1.0
    # No semantic clean-up here: it trades short shared runs (". ") for
    # readable replacements, and those runs are what keep one side's change
    # apart from the other's. Changes split by a lone space are joined later.
    diffs = dmp.diff_main(a, b, False)
    out: dict[int, int] = {}
    i = j = 0
    for op, data in diffs:
        n = len(data)
        if op == diff_match_patch.DIFF_EQUAL:
            for k in range(n):
                out[i + k] = j + k
            i, j = i + n, j + n
        elif op == diff_match_patch.DIFF_DELETE:
            i += n
        else:
            j += n
    return out


def _walk(
    base: list[str], mine: list[str], theirs: list[str]
) -> Iterator[tuple[list[str], list[str], list[str]]]:
    """diff3: yield (base, mine, theirs) token runs, stable and unstable in turn."""
    to_mine, to_theirs = _matches(base, mine), _matches(base, theirs)
    i = a = b = 0
    while i < len(base) or a < len(mine) or b < len(theirs):
        # A run of base tokens both sides kept, right where both sides are.
        j = i
        while j < len(base) and to_mine.get(j) == a + (j - i) and to_theirs.get(j) == b + (j - i):
            j += 1
        if j > i:
            n = j - i
            yield base[i:j], mine[a : a + n], theirs[b : b + n]
            i, a, b = j, a + n, b + n
            continue
        # Otherwise up to the next base token both sides kept (or the end).
        j = i
        while j < len(base) and not (
            j in to_mine and j in to_theirs and to_mine[j] >= a and to_theirs[j] >= b
        ):
            j += 1
        if j < len(base):
            yield base[i:j], mine[a : to_mine[j]], theirs[b : to_theirs[j]]
            i, a, b = j, to_mine[j], to_theirs[j]
        else:
            yield base[i:], mine[a:], theirs[b:]
            i, a, b = len(base), len(mine), len(theirs)


def merge3(base: str, mine: str, theirs: str) -> list[Hunk]:
    """The text as stable runs and change hunks; each side's pieces join to that side's text.

    Two changes separated only by whitespace are one change: "big red" →
    "small blue" reads as one edit, not two words with a space kept between.
    """
    hunks: list[Hunk] = []
    for tb, tm, tt in _walk(tokenize(base), tokenize(mine), tokenize(theirs)):
        sb, sm, st = "".join(tb), "".join(tm), "".join(tt)
        hunks.append(Hunk(sb, sm, st, classify(sb, sm, st)))
    out: list[Hunk] = []
    for h in hunks:
        if not (h.base or h.mine or h.theirs):
            continue
        if out and not h.changed and not out[-1].changed:
            prev = out.pop()
            h = Hunk(prev.base + h.base, prev.mine + h.mine, prev.theirs + h.theirs, "same")
        elif (
            h.changed
            and len(out) >= 2
            and out[-2].changed
            and not out[-1].changed
            and out[-1].base.isspace()
        ):
            gap, prev = out.pop(), out.pop()
            texts = (
                prev.base + gap.base + h.base,
                prev.mine + gap.mine + h.mine,
                prev.theirs + gap.theirs + h.theirs,
            )
            h = Hunk(*texts, classify(*texts))
        elif h.changed and out and out[-1].changed:
            prev = out.pop()
            texts = (prev.base + h.base, prev.mine + h.mine, prev.theirs + h.theirs)
            h = Hunk(*texts, classify(*texts))
        out.append(h)
    return out


def resolve(hunks: Sequence[Hunk], accepted: Collection[int] = ()) -> str:
    """The text with the other side's version of the ``accepted`` hunks and ours elsewhere."""
    return "".join(h.theirs if i in accepted else h.mine for i, h in enumerate(hunks))


# --- whole articles -----------------------------------------------------------------


def _text_fields(article: Article | None) -> dict[str, str]:
    if article is None:
        return {}
    out = {name: str(getattr(article, name)) for name, _label in TEXT_HEADER}
    for s in article.sections:
        out[f"subheading:{s.id}"] = s.subheading
        out[f"section:{s.id}"] = s.body
    for img in article.images:
        for attr, _ in IMAGE_TEXT:
            out[f"image:{img.id}:{attr}"] = getattr(img, attr)
    return out


def _labels(article: Article) -> dict[str, str]:
    labels = {name: label for name, label in TEXT_HEADER}
    for n, s in enumerate(article.sections, 1):
        labels[f"subheading:{s.id}"] = f"Section {n} heading"
        labels[f"section:{s.id}"] = f"Section {n}"
    for n, img in enumerate(article.images, 1):
        for attr, text in IMAGE_TEXT:
            labels[f"image:{img.id}:{attr}"] = f"{img.filename or f'Image {n}'} {text}"
    return labels


def article_changes(base: Article | None, mine: Article, theirs: Article) -> list[FieldMerge]:
    """Every text part both copies have and that differs from the base, in reading order.

    Parts only one copy has (a section added or deleted) are decided by the
    field-level merge and not listed. Without a base nobody's authorship is
    known: every difference between the two copies is a ``conflict``.
    """
    b, m, t = _text_fields(base), _text_fields(mine), _text_fields(theirs)
    labels = _labels(mine)
    out: list[FieldMerge] = []
    for name, mine_text in m.items():
        if name not in t:
            continue
        theirs_text = t[name]
        if base is None:
            if mine_text == theirs_text:
                continue
            hunks = [
                h if not h.changed else Hunk(h.mine, h.mine, h.theirs, "conflict")
                for h in merge3(mine_text, mine_text, theirs_text)
            ]
        else:
            base_text = b.get(name, "")
            if base_text == mine_text == theirs_text:
                continue
            hunks = merge3(base_text, mine_text, theirs_text)
        if any(h.changed for h in hunks):
            out.append(FieldMerge(name, labels[name], tuple(hunks)))
    return out


def field_value(article: Article, field: str) -> str | None:
    """The current text of a part named as :func:`article_changes` names it."""
    return _text_fields(article).get(field)


def set_field(article: Article, field: str, text: str) -> None:
    """Write one part's text into ``article`` (in place)."""
    if field in {name for name, _ in TEXT_HEADER}:
        setattr(article, field, text)
        return
    kind, _, rest = field.partition(":")
    if kind in ("section", "subheading"):
        section = article.section(rest)
        if kind == "section":
            section.body = text
        else:
            section.subheading = text
        return
    if kind == "image":
        image_id, _, attr = rest.partition(":")
        for img in article.images:
            if img.id == image_id and attr in {a for a, _ in IMAGE_TEXT}:
                setattr(img, attr, text)
                return
    raise KeyError(field)
