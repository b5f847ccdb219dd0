"""Reading a human-written Markdown article (YAML front matter + body) into a draft.

The same shape Hugo and Jekyll use, so writers can bring pieces written
elsewhere: front matter for the metadata, ``##`` headings start sections.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import yaml

from desk.model.article import Article, Dateline, DocumentError, Section

_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_H2 = re.compile(r"^##[ \t]+(.+?)[ \t]*#*[ \t]*$")
_H1 = re.compile(r"^#[ \t]+(.+?)[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^[ ]{0,3}(```|~~~)")


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    m = _FRONT.match(text)
    if not m:
        return {}, text
    try:
        meta = yaml.safe_load(m.group(1)) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark else ""
        raise DocumentError(f"front matter is not valid YAML{where}") from exc
    if not isinstance(meta, dict):
        raise DocumentError("front matter must be a mapping of keys to values")
    return meta, text[m.end() :]


def split_sections(body: str) -> tuple[str, list[Section]]:
    """Split at ``##`` headings outside code fences; a leading ``#`` line is the title."""
    title = ""
    sections: list[Section] = []
    current = Section()
    lines: list[str] = []
    in_fence = False
    for line in body.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        if not in_fence:
            h2 = _H2.match(line)
            if h2:
                current.body = "\n".join(lines).strip()
                if current.body or current.subheading or sections:
                    sections.append(current)
                current, lines = Section(subheading=h2.group(1).strip()), []
                continue
            h1 = _H1.match(line)
            if h1 and not title and not sections and not "".join(lines).strip():
                title = h1.group(1).strip()
                continue
        lines.append(line)
    current.body = "\n".join(lines).strip()
    if current.body or current.subheading or not sections:
        sections.append(current)
    return title, sections


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list):
        # ``tags: [ports, "shipping, rail"]``: a comma inside an item still separates.
        return [p for v in value if v is not None for p in _as_list(str(v))]
    raise DocumentError(f"expected a list, got {value!r}")


def _as_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return datetime.fromisoformat(str(value)).date()
    except ValueError as exc:
        raise DocumentError(f"date: not a date: {value!r}") from exc


def _dateline(value: Any) -> tuple[str, str]:
    if isinstance(value, dict):
        return str(value.get("city", "")), str(value.get("region", value.get("country", "")))
    if isinstance(value, str):
        city, _, region = value.partition(",")
        return city.strip().title() if city.isupper() else city.strip(), region.strip()
    return "", ""


def article_from_markdown(text: str) -> Article:
    meta, body = split_front_matter(text)
    title, sections = split_sections(body)
    city, region = _dateline(meta.get("dateline"))
    categories = _as_list(meta.get("categories", meta.get("category")))
    author = meta.get("author", meta.get("byline", ""))
    if isinstance(author, list):
        author = ", ".join(str(a) for a in author)
    return Article(
        headline=str(meta.get("title", title) or ""),
        slug=str(meta.get("slug", "") or ""),
        dateline=Dateline(city=city, region=region, date=_as_date(meta.get("date"))),
        category=categories[0] if categories else "",
        byline=str(author or ""),
        standfirst=str(meta.get("summary", meta.get("description", "")) or ""),
        tags=_as_list(meta.get("tags")),
        sections=sections,
    )


#: Front-matter keys ``article_from_markdown`` reads; any other is reported as dropped.
KNOWN_KEYS = frozenset(
    {
        "title",
        "slug",
        "dateline",
        "date",
        "categories",
        "category",
        "author",
        "byline",
        "summary",
        "description",
        "tags",
        "image",
    }
)


def dropped_parts(text: str) -> list[str]:
    """What of *text* the imported draft does not carry, one sentence each.

    An import that silently loses a writer's front matter or title looks
    like success; these lines let the command say what was left behind.
    """
    meta, body = split_front_matter(text)
    notes: list[str] = []
    unknown = sorted(str(k) for k in meta if str(k) not in KNOWN_KEYS)
    if unknown:
        notes.append(f"front matter {', '.join(unknown)}: not a draft field; dropped")
    title, _sections = split_sections(body)
    meta_title = str(meta.get("title") or "")
    if title and meta_title and title != meta_title:
        notes.append(f"“# {title}”: dropped; the front matter's title is the headline")
    categories = _as_list(meta.get("categories", meta.get("category")))
    if len(categories) > 1:
        rest = ", ".join(f"“{c}”" for c in categories[1:])
        notes.append(f"categories: a draft has one; kept “{categories[0]}”, dropped {rest}")
    return notes
