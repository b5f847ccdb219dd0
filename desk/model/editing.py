"""Structural edits of an article's sections, and what undo needs, as plain functions.

The editor window calls these; keeping them free of Qt means they are tested
on their own and behave the same from the CLI or a script. The undo helpers
(section states, text changes and when typing is one step) live here for the
same reason: the window's undo stack only stores and replays what they say.
"""

from __future__ import annotations

from dataclasses import dataclass

from desk.model.article import Article, Section


def add_section(
    article: Article, after_id: str | None = None, *, subheading: str = "", body: str = ""
) -> Section:
    section = Section(subheading=subheading, body=body)
    index = article.section_index(after_id) + 1 if after_id else len(article.sections)
    article.sections.insert(index, section)
    return section


def delete_section(article: Article, section_id: str) -> Section:
    """Remove a section; the last one is emptied rather than removed (an article has a body)."""
    index = article.section_index(section_id)
    if len(article.sections) == 1:
        removed = Section(
            id=article.sections[0].id,
            subheading=article.sections[0].subheading,
            body=article.sections[0].body,
        )
        article.sections[0].subheading = ""
        article.sections[0].body = ""
        return removed
    return article.sections.pop(index)


def move_section(article: Article, section_id: str, delta: int) -> int:
    """Move up (-1) or down (+1); returns the new index (unchanged at either end)."""
    index = article.section_index(section_id)
    target = max(0, min(len(article.sections) - 1, index + delta))
    if target != index:
        article.sections.insert(target, article.sections.pop(index))
    return target


def move_section_to(article: Article, section_id: str, target: int) -> int:
    index = article.section_index(section_id)
    target = max(0, min(len(article.sections) - 1, target))
    article.sections.insert(target, article.sections.pop(index))
    return target


def split_section(article: Article, section_id: str, position: int) -> Section:
    """Split at a character offset of the body; the tail becomes a new section after it.

    A blank line at the split point is not carried into either half, and the
    new section gets no subheading: the writer decides whether it needs one.
    """
    section = article.section(section_id)
    position = max(0, min(len(section.body), position))
    head, tail = section.body[:position], section.body[position:]
    section.body = head.rstrip()
    new = Section(body=tail.lstrip("\n").rstrip())
    article.sections.insert(article.section_index(section_id) + 1, new)
    for image in article.images:
        # images stay with the text they followed: the end of the old section
        if image.section_id == section_id:
            image.section_id = new.id
    return new


def merge_with_next(article: Article, section_id: str) -> Section | None:
    """Append the next section (its subheading kept as a Markdown heading) to this one."""
    index = article.section_index(section_id)
    if index + 1 >= len(article.sections):
        return None
    section, following = article.sections[index], article.sections.pop(index + 1)
    parts = [section.body.rstrip()] if section.body.strip() else []
    if following.subheading.strip():
        parts.append(f"## {following.subheading.strip()}")
    if following.body.strip():
        parts.append(following.body.strip())
    section.body = "\n\n".join(parts)
    for image in article.images:
        if image.section_id == following.id:
            image.section_id = section.id
    return following


# --- undo support ---------------------------------------------------------------


@dataclass(frozen=True)
class SectionsState:
    """The sections' order and text, and which section each image follows.

    Strings are shared, not copied, so taking one for each structural edit
    costs a tuple per section even on a 50,000-word article.
    """

    sections: tuple[tuple[str, str, str], ...]  # id, subheading, body
    images: tuple[tuple[str, str], ...]  # image id, section id


def sections_state(article: Article) -> SectionsState:
    return SectionsState(
        tuple((s.id, s.subheading, s.body) for s in article.sections),
        tuple((i.id, i.section_id) for i in article.images),
    )


def restore_sections(article: Article, state: SectionsState) -> None:
    """Put the sections back as they were; images added since stay where they are."""
    article.sections = [Section(id=i, subheading=h, body=b) for i, h, b in state.sections]
    present = {s.id for s in article.sections}
    where = dict(state.images)
    for image in article.images:
        section_id = where.get(image.id, image.section_id)
        image.section_id = section_id if section_id in present else ""


#: One change of a text: (position, removed text, inserted text).
Change = tuple[int, str, str]


def text_change(before: str, after: str) -> Change:
    """Where two texts differ, found by comparing halves (in C) rather than characters."""
    n = min(len(before), len(after))
    lo, hi = 0, n
    while lo < hi:  # the longest common prefix
        mid = (lo + hi + 1) // 2
        if before[:mid] == after[:mid]:
            lo = mid
        else:
            hi = mid - 1
    prefix = lo
    lo, hi = 0, n - prefix
    while lo < hi:  # the longest common suffix that does not overlap it
        mid = (lo + hi + 1) // 2
        if before[len(before) - mid :] == after[len(after) - mid :]:
            lo = mid
        else:
            hi = mid - 1
    return prefix, before[prefix : len(before) - lo], after[prefix : len(after) - lo]


def continues_typing(previous: Change, change: Change) -> bool:
    """Whether a change extends the previous one into one undo step, as text editors do.

    Typing forward merges until a new word starts (so undo takes back the last
    word, not the whole sentence); Backspace or Delete held down merges too;
    anything else (a paste, a replaced selection, a jump) is a step of its own.
    """
    p_pos, p_removed, p_inserted = previous
    pos, removed, inserted = change
    if not removed and not p_removed and len(inserted) == 1 and len(p_inserted) == 1:
        starts_word = not inserted.isspace() and p_inserted.isspace()
        return pos == p_pos + 1 and not starts_word
    if not inserted and not p_inserted and len(removed) == 1 and len(p_removed) == 1:
        return pos in (p_pos - 1, p_pos)  # Backspace, Delete
    return False


def join_changes(step: Change, change: Change) -> Change:
    """One step's change extended by a keystroke that :func:`continues_typing` accepted."""
    position, removed, inserted = step
    pos, rem, ins = change
    if ins:  # typing on
        return position, removed, inserted + ins
    if pos < position:  # Backspace
        return pos, rem + removed, inserted
    return position, removed + rem, inserted  # Delete
