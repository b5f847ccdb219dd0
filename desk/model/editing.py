"""Structural edits of an article's sections, as plain functions.

The editor window calls these; keeping them free of Qt means they are tested
on their own and behave the same from the CLI or a script.
"""

from __future__ import annotations

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
