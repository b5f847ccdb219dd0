"""Reading a human-written Markdown article (YAML front matter + body) into a draft.

The same shape Hugo and Jekyll use, so writers can bring pieces written
elsewhere: front matter for the metadata, ``##`` headings start sections.

The file may come from anywhere, so the YAML is read defensively: anchors and
aliases are refused (a "billion laughs" file expands a few hundred bytes into
gigabytes), the front matter is capped in size and nesting before and while it
is parsed, and every value that YAML itself cannot build (``2024-02-30``, a
5,000-digit number) becomes one line naming the key's line, never a traceback.
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


#: Real front matter is a few hundred bytes; this leaves room for long summaries.
MAX_FRONT_MATTER = 64 * 1024
#: Desk reads at most a mapping of lists/mappings; anything deeper is not an article.
MAX_DEPTH = 8
#: More digits than any date, count or id an article could carry.
MAX_NUMBER_DIGITS = 40


class _FrontMatterError(yaml.MarkedYAMLError):
    """A refusal raised while composing or constructing, carrying the node's line."""

    def __init__(self, problem: str, mark: yaml.Mark | None) -> None:
        super().__init__(problem=problem, problem_mark=mark)


class _FrontMatterLoader(yaml.SafeLoader):
    """SafeLoader without anchors or aliases, with a nesting cap and checked values."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _FrontMatterError(
                "YAML anchors and aliases (&name, *name) are not accepted", event.start_mark
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _FrontMatterError(
                    f"nested more than {MAX_DEPTH} levels deep", event.start_mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _checked(kind: str, build: Any) -> Any:
    def construct(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
        value = loader.construct_scalar(node)
        if kind == "number" and sum(ch.isalnum() for ch in str(value)) > MAX_NUMBER_DIGITS:
            raise _FrontMatterError(
                f"a number with more than {MAX_NUMBER_DIGITS} digits", node.start_mark
            )
        try:
            return build(loader, node)
        except (ValueError, OverflowError):
            raise _FrontMatterError(f"{value!r} is not a real {kind}", node.start_mark) from None

    return construct


_FrontMatterLoader.add_constructor(
    "tag:yaml.org,2002:timestamp",
    _checked("date", yaml.SafeLoader.construct_yaml_timestamp),
)
_FrontMatterLoader.add_constructor(
    "tag:yaml.org,2002:int", _checked("number", yaml.SafeLoader.construct_yaml_int)
)
_FrontMatterLoader.add_constructor(
    "tag:yaml.org,2002:float", _checked("number", yaml.SafeLoader.construct_yaml_float)
)


def load_front_matter(source: str) -> Any:
    """Parse front matter YAML, or raise :class:`DocumentError` with one line."""
    if len(source) > MAX_FRONT_MATTER:
        raise DocumentError(
            f"front matter is too long ({len(source):,} characters; at most {MAX_FRONT_MATTER:,})"
        )
    try:
        return yaml.load(source, Loader=_FrontMatterLoader)  # a SafeLoader subclass
    except _FrontMatterError as exc:
        raise DocumentError(f"front matter{_line(exc)}: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise DocumentError(f"front matter is not valid YAML{_line(exc)}") from None
    except RecursionError:
        raise DocumentError("front matter is nested too deeply") from None
    except (ValueError, OverflowError) as exc:
        raise DocumentError(f"front matter has a value Desk cannot read ({exc})") from None


def _line(exc: yaml.YAMLError) -> str:
    """The line in the whole file (front matter starts after the opening ``---``)."""
    mark = getattr(exc, "problem_mark", None)
    return f" (line {mark.line + 2})" if mark else ""


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    m = _FRONT.match(text)
    if not m:
        return {}, text
    meta = load_front_matter(m.group(1)) or {}
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


_SCALARS = (str, int, float, date)


def _as_text(key: str, value: Any) -> str:
    """A one-value field: a mapping or list here is a mistake, not something to ``str()``."""
    if value is None:
        return ""
    if isinstance(value, _SCALARS):
        return str(value)
    raise DocumentError(f"front matter {key}: expected text, got a {_kind(value)}")


def _kind(value: Any) -> str:
    return {dict: "mapping", list: "list"}.get(type(value), type(value).__name__)


def _as_list(value: Any, key: str = "tags") -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list):
        # ``tags: [ports, "shipping, rail"]``: a comma inside an item still separates.
        return [p for v in value if v is not None for p in _as_list(_as_text(key, v), key)]
    raise DocumentError(f"front matter {key}: expected a list, got a {_kind(value)}")


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
        region = value.get("region", value.get("country", ""))
        return _as_text("dateline city", value.get("city")), _as_text("dateline region", region)
    if isinstance(value, str):
        city, _, region = value.partition(",")
        return city.strip().title() if city.isupper() else city.strip(), region.strip()
    return "", ""


def article_from_markdown(text: str) -> Article:
    meta, body = split_front_matter(text)
    title, sections = split_sections(body)
    city, region = _dateline(meta.get("dateline"))
    categories = _as_list(meta.get("categories", meta.get("category")), "categories")
    author = meta.get("author", meta.get("byline", ""))
    if isinstance(author, list):
        author = ", ".join(_as_text("author", a) for a in author)
    return Article(
        headline=_as_text("title", meta.get("title", title)),
        slug=_as_text("slug", meta.get("slug")),
        dateline=Dateline(city=city, region=region, date=_as_date(meta.get("date"))),
        category=categories[0] if categories else "",
        byline=_as_text("author", author),
        standfirst=_as_text("summary", meta.get("summary", meta.get("description"))),
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
