"""Finding a comment's words again after the writer has edited the text.

Writers keep editing while comments are open, so a stored position soon
points at the wrong words. Re-anchoring tries, in order of confidence:

``exact``
    the old position still holds the quote;
``moved``
    the quote occurs elsewhere (with repeats, the occurrence whose prefix and
    suffix agree best with the stored context wins, then the nearest);
``fuzzy``
    the quote was edited a little: diff-match-patch's Bitap matcher finds
    something close, and the whole span is then checked to be at least
    :data:`MIN_SIMILARITY` similar to the old quote;
``orphaned``
    the words are gone. The annotation keeps its old selectors untouched and
    is never dropped, so it is found again if the text comes back (undo,
    restored revision).

Positions are Python ``str`` indices (Unicode code points), as in W3C
``TextPositionSelector``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from diff_match_patch import diff_match_patch

from desk.model.annotation import (
    Annotation,
    TextPositionSelector,
    TextQuoteSelector,
    field_text,
    quote_selector,
)
from desk.model.article import Article

How = Literal["exact", "moved", "fuzzy", "orphaned"]

#: Bitap score limit (0 exact .. 1 anything). 0.4 lets a 32-char probe carry
#: about a dozen edits, which is loose: the real gate is MIN_SIMILARITY below.
MATCH_THRESHOLD = 0.4
#: A re-found span must be at least this similar (1 - Levenshtein / length) to
#: the old quote. At 0.6 a comment follows a sentence through light copy
#: editing but lets go once it has been rewritten.
MIN_SIMILARITY = 0.6
#: Quotes shorter than this are too easy to find by accident ("the" is
#: everywhere), so a fuzzy match must also keep its surrounding context.
DISTINCTIVE_LENGTH = 32
#: Bitap's bit-parallel search handles at most this many pattern characters.
MAX_BITS = 32


@dataclass(frozen=True)
class Anchored:
    start: int
    end: int
    how: How
    #: Similarity of the found span to the old quote (1.0 unless fuzzy).
    similarity: float = 1.0

    @property
    def orphaned(self) -> bool:
        return self.how == "orphaned"


def _dmp(text_length: int) -> diff_match_patch:
    dmp = diff_match_patch()
    dmp.Match_Threshold = MATCH_THRESHOLD
    # Distance scales with the text, so a paragraph inserted above the quote
    # costs at most 0.25 of the 0.4 score budget instead of hiding the match.
    dmp.Match_Distance = 1000 + 4 * text_length
    dmp.Diff_Timeout = 0.5
    return dmp


def similarity(a: str, b: str, dmp: diff_match_patch | None = None) -> float:
    """Levenshtein ratio from a character diff: 1.0 same, 0.0 nothing in common."""
    if a == b:
        return 1.0
    dmp = dmp or _dmp(0)
    distance = dmp.diff_levenshtein(dmp.diff_main(a, b, False))
    return 1.0 - distance / max(len(a), len(b))


def _common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _context_score(q: TextQuoteSelector, text: str, start: int, end: int) -> int:
    """How many context characters next to the span agree with the stored ones."""
    before = text[max(0, start - len(q.prefix)) : start]
    return _common_suffix(before, q.prefix) + _common_prefix(text[end:], q.suffix)


def _find_exact(q: TextQuoteSelector, old: TextPositionSelector, text: str) -> Anchored | None:
    n = len(q.exact)
    full = len(q.prefix) + len(q.suffix)
    if text[old.start : old.start + n] == q.exact and (
        _context_score(q, text, old.start, old.start + n) == full
    ):
        return Anchored(old.start, old.start + n, "exact")
    best: tuple[int, int, int] | None = None  # (-context, distance, start)
    i = text.find(q.exact)
    while i != -1:
        key = (-_context_score(q, text, i, i + n), abs(i - old.start), i)
        best = key if best is None or key < best else best
        i = text.find(q.exact, i + 1)
    if best is None:
        return None
    start = best[2]
    return Anchored(start, start + n, "exact" if start == old.start else "moved")


def _map_index(diffs: list[tuple[int, str]], index: int, *, is_end: bool) -> int:
    """Where ``index`` of the diff's old text falls in its new text.

    Text inserted exactly at a quote boundary stays outside the quote, unless
    it replaces quoted characters (a delete next to the insert).
    """
    i1 = i2 = 0
    prev = 0
    for k, (op, data) in enumerate(diffs):
        n = len(data)
        if op == diff_match_patch.DIFF_INSERT:
            if i1 == index:
                nxt = diffs[k + 1][0] if k + 1 < len(diffs) else 0
                if is_end and prev != diff_match_patch.DIFF_DELETE:
                    return i2
                if not is_end and nxt == diff_match_patch.DIFF_DELETE:
                    return i2
            i2 += n
        elif op == diff_match_patch.DIFF_DELETE:
            if i1 <= index < i1 + n:
                return i2
            i1 += n
        else:
            if i1 <= index < i1 + n:
                return i2 + index - i1
            i1 += n
            i2 += n
        prev = op
    return i2


def _span_near(
    q: TextQuoteSelector, text: str, start_guess: int, dmp: diff_match_patch
) -> tuple[int, int]:
    """Align quote-with-context against the text around a guessed start."""
    pad = MAX_BITS + len(q.exact) // 4
    lo = max(0, start_guess - len(q.prefix) - pad)
    hi = min(len(text), start_guess + len(q.exact) + len(q.suffix) + pad)
    pattern = q.prefix + q.exact + q.suffix
    diffs = dmp.diff_main(pattern, text[lo:hi], False)
    dmp.diff_cleanupSemantic(diffs)
    start = _map_index(diffs, len(q.prefix), is_end=False)
    end = _map_index(diffs, len(q.prefix) + len(q.exact), is_end=True)
    return lo + start, lo + max(start, end)


def _start_guesses(
    q: TextQuoteSelector, old: TextPositionSelector, text: str, dmp: diff_match_patch
) -> set[int]:
    """Where the quote may start now, from Bitap probes of at most MAX_BITS chars."""
    exact = q.exact
    guesses: set[int] = set()
    head = exact[:MAX_BITS]
    if (at := dmp.match_main(text, head, old.start)) != -1:
        guesses.add(at)
    if len(exact) > MAX_BITS:
        tail = exact[-MAX_BITS:]
        if (at := dmp.match_main(text, tail, old.end - MAX_BITS)) != -1:
            guesses.add(at + MAX_BITS - len(exact))
    else:
        room = (MAX_BITS - len(exact)) // 2
        before = q.prefix[-room:] if room else ""
        probe = before + exact + q.suffix[:room]
        if (at := dmp.match_main(text, probe, old.start - len(before))) != -1:
            guesses.add(at + len(before))
    return {max(0, min(g, len(text))) for g in guesses}


def _find_fuzzy(q: TextQuoteSelector, old: TextPositionSelector, text: str) -> Anchored | None:
    dmp = _dmp(len(text))
    best: tuple[float, int, int, int] | None = None  # (-similarity, distance, start, end)
    for guess in sorted(_start_guesses(q, old, text, dmp)):
        start, end = _span_near(q, text, guess, dmp)
        if start == end:
            continue
        score = similarity(q.exact, text[start:end], dmp)
        if score < MIN_SIMILARITY:
            continue
        if len(q.exact) < DISTINCTIVE_LENGTH:
            # Context cut off by the start or end of the text is no evidence
            # either way, so compare only what the new text has room for.
            before = min(len(q.prefix), start)
            after = min(len(q.suffix), len(text) - end)
            ours = q.prefix[len(q.prefix) - before :] + q.exact + q.suffix[:after]
            theirs = text[start - before : end + after]
            if similarity(ours, theirs, dmp) < MIN_SIMILARITY:
                continue
        key = (-score, abs(start - old.start), start, end)
        best = key if best is None or key < best else best
    if best is None:
        return None
    return Anchored(best[2], best[3], "fuzzy", -best[0])


def reanchor(annotation: Annotation, new_text: str | None) -> Anchored:
    """Where the annotation's words are in ``new_text`` (None: the field is gone)."""
    q, old = annotation.anchor, annotation.position
    orphan = Anchored(old.start, old.end, "orphaned", 0.0)
    if new_text is None or not q.exact or not new_text:
        return orphan
    return _find_exact(q, old, new_text) or _find_fuzzy(q, old, new_text) or orphan


def reanchor_all(article: Article, annotations: list[Annotation]) -> list[Annotation]:
    """New copies anchored to ``article``'s current text; inputs are not changed.

    Found spans get ``current`` (the words and context as they read now) so
    the next re-anchoring starts from what the writer has now, while
    ``quote`` keeps the words the comment was made on. ``modified`` is not
    touched: re-anchoring is bookkeeping, not somebody's edit, and must not win
    merges against real edits.
    """
    out: list[Annotation] = []
    for a in annotations:
        text = field_text(article, a.field)
        found = reanchor(a, text)
        if found.orphaned or text is None:
            out.append(replace(a, orphaned=True))
        else:
            now = quote_selector(text, found.start, found.end)
            out.append(
                replace(
                    a,
                    current=None if now == a.quote else now,
                    position=TextPositionSelector(found.start, found.end),
                    orphaned=False,
                )
            )
    return out
