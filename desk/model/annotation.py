"""Editorial comments anchored to a span of an article's text.

The shape follows the W3C Web Annotation Data Model so that review packages
can be read by other annotation tools: each comment carries a
``TextQuoteSelector`` (the quoted words with some context) and a
``TextPositionSelector`` (where they are now). The quote keeps the words the
comment was made on, for good: a thread must go on saying what the reviewer
read even after the writer rewrote it. Where the words have since been
edited, ``current`` holds them as they read now; re-anchoring searches for
that and keeps the position current (see :mod:`desk.review.anchoring`).

Positions count Python ``str`` indices, i.e. Unicode code points, as W3C
selectors do. A JavaScript or Qt consumer counting UTF-16 units must convert.

Two serialisations exist: a plain dict (:func:`annotation_to_dict`) for the
store and for history entries, and W3C JSON-LD (:func:`annotations_to_jsonld`)
for exchange. Both round-trip exactly.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, unquote

from desk.model.article import Article, new_id, utcnow
from desk.model.workflow import ROLES

#: Characters of context kept on each side of a quote (the W3C examples use
#: about this much; enough to tell repeated phrases apart).
CONTEXT_CHARS = 32
DICT_FORMAT = "desk.annotation"
DICT_VERSION = 1
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
DESK_NS = "https://desk.openvoicenews.example/ns#"
#: ``desk:history`` holds free-form JSON; ``@json`` stops JSON-LD processors
#: from reading its entries as graph nodes.
JSONLD_CONTEXT: list[Any] = [ANNO_CONTEXT, {"desk": DESK_NS, "desk:history": {"@type": "@json"}}]
DEFAULT_BASE_URI = "https://desk.openvoicenews.example/articles/"
_ID_URN = "urn:desk:annotation:"
QUOTE_KEYS = ("exact", "prefix", "suffix")
_KIND_NAMES = {str: "text", bool: "true or false", dict: "a JSON object", list: "a list"}


class AnnotationError(ValueError):
    """An annotation document we cannot read, or a comment on text that is not there."""


@dataclass(frozen=True)
class TextQuoteSelector:
    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class TextPositionSelector:
    """Code-point offsets into the field's text, ``end`` exclusive."""

    start: int
    end: int


@dataclass
class Reply:
    id: str
    author: str
    role: str
    created: datetime
    modified: datetime
    body: str


@dataclass
class Annotation:
    id: str
    article_id: str
    #: ``headline``, ``standfirst``, ``byline``, ``section:<id>`` (body text)
    #: or ``subheading:<id>``.
    field: str
    quote: TextQuoteSelector
    position: TextPositionSelector
    author: str
    role: str
    created: datetime
    modified: datetime
    body: str
    replies: list[Reply] = field(default_factory=list)
    resolved: bool = False
    resolved_by: str = ""
    resolved_at: datetime | None = None
    #: The quoted text could not be found in the current article; the old
    #: selectors are kept so the comment can be re-found if the text returns.
    orphaned: bool = False
    #: Versions superseded by a merge (see :mod:`desk.review.merge`).
    history: list[dict[str, Any]] = field(default_factory=list)
    #: The commented words as they read at the last re-anchoring, when the
    #: writer has changed them since; None while they still read as ``quote``.
    current: TextQuoteSelector | None = None

    @property
    def anchor(self) -> TextQuoteSelector:
        """What to look for in the text now: the edited words, else the quoted ones."""
        return self.current or self.quote

    @property
    def edited(self) -> bool:
        """Whether the words now differ from those the comment was made on."""
        return self.current is not None and self.current.exact != self.quote.exact

    @property
    def last_activity(self) -> datetime:
        return max([self.modified, *(r.modified for r in self.replies)])


def field_text(article: Article, field: str) -> str | None:
    """The text a comment is on, or None once that part of the article is gone."""
    if field in ("headline", "standfirst", "byline"):
        return str(getattr(article, field))
    kind, _, section_id = field.partition(":")
    if kind in ("section", "subheading") and section_id:
        for s in article.sections:
            if s.id == section_id:
                return s.body if kind == "section" else s.subheading
    return None


def quote_selector(text: str, start: int, end: int) -> TextQuoteSelector:
    """Quote plus context, so the span can be told apart from repeats of it."""
    return TextQuoteSelector(
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
    )


def make_annotation(
    article: Article, field: str, start: int, end: int, body: str, author: str, role: str
) -> Annotation:
    """A new comment on ``article``'s current text; refuses spans that are not there."""
    text = field_text(article, field)
    if text is None:
        raise AnnotationError(f"cannot comment on {field!r}: no such part in this article")
    if not 0 <= start < end <= len(text):
        raise AnnotationError(
            f"cannot comment on characters {start}-{end} of {field!r} ({len(text)} long); "
            "select at least one character"
        )
    _role(role, "role")
    now = utcnow()
    return Annotation(
        id=new_id(),
        article_id=article.id,
        field=field,
        quote=quote_selector(text, start, end),
        position=TextPositionSelector(start, end),
        author=author,
        role=role,
        created=now,
        modified=now,
        body=body,
    )


def add_reply(annotation: Annotation, body: str, author: str, role: str) -> Annotation:
    """A copy with one more reply; the thread's own ``modified`` is left alone."""
    _role(role, "role")
    now = utcnow()
    reply = Reply(new_id(), author, role, now, now, body)
    return replace(annotation, replies=[*annotation.replies, reply])


def set_resolved(annotation: Annotation, resolved: bool, who: str) -> Annotation:
    """Resolving is an edit: it bumps ``modified`` so merges keep the latest decision."""
    now = utcnow()
    return replace(
        annotation,
        resolved=resolved,
        resolved_by=who if resolved else "",
        resolved_at=now if resolved else None,
        modified=now,
    )


def activity_by_others(annotations: list[Annotation], who: str) -> list[datetime]:
    """When anyone but ``who`` commented, replied or resolved: proof a piece was picked up."""
    out: list[datetime] = []
    for a in annotations:
        if a.author != who:
            out.append(a.created)
        out.extend(r.created for r in a.replies if r.author != who)
        if a.resolved_at is not None and a.resolved_by != who:
            out.append(a.resolved_at)
    return out


def sort_key(a: Annotation) -> tuple[str, int, int, datetime, str]:
    """One order everywhere (store, merge, export), so outputs are reproducible."""
    return (a.field, a.position.start, a.position.end, a.created, a.id)


# --- plain dict form -----------------------------------------------------------


def reply_to_dict(r: Reply) -> dict[str, Any]:
    return {**asdict(r), "created": r.created.isoformat(), "modified": r.modified.isoformat()}


def annotation_to_dict(a: Annotation) -> dict[str, Any]:
    return {
        "format": DICT_FORMAT,
        "version": DICT_VERSION,
        **asdict(a),
        "created": a.created.isoformat(),
        "modified": a.modified.isoformat(),
        "replies": [reply_to_dict(r) for r in a.replies],
        "resolved_at": a.resolved_at.isoformat() if a.resolved_at else None,
    }


def _quote_or_none(value: Any, where: str) -> TextQuoteSelector | None:
    """An optional quote object (``current``): absent in documents from older Desks."""
    if value is None:
        return None
    return TextQuoteSelector(*(_get(value, k, str, where, "") for k in QUOTE_KEYS))


def _get(d: Any, key: str, kind: type, where: str, default: Any = None) -> Any:
    """A typed value from a JSON object; ``default`` (if given) stands in when absent."""
    if not isinstance(d, dict):
        raise AnnotationError(f"{where}: expected a JSON object")
    value = d.get(key, default)
    if not isinstance(value, kind):
        raise AnnotationError(f"{where}.{key}: expected {_KIND_NAMES[kind]}")
    return value


def _when(value: Any, where: str) -> datetime:
    try:
        dt = datetime.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise AnnotationError(f"{where}: not an ISO 8601 timestamp: {value!r}") from exc
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _role(value: Any, where: str) -> str:
    if value not in ROLES:
        raise AnnotationError(f"{where}: unknown role {value!r}")
    return str(value)


def _position(start: Any, end: Any, where: str) -> TextPositionSelector:
    ok = all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end))
    if not ok or not 0 <= start <= end:
        raise AnnotationError(f"{where}: start/end must be whole numbers with start <= end")
    return TextPositionSelector(start, end)


def _history(value: Any, where: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(h, dict) for h in value):
        raise AnnotationError(f"{where}: expected a list of objects")
    return [dict(h) for h in value]


def reply_from_dict(d: Any, where: str = "reply") -> Reply:
    return Reply(
        **{k: _get(d, k, str, where) for k in ("id", "author", "body")},
        role=_role(d.get("role"), f"{where}.role"),
        **{k: _when(d.get(k), f"{where}.{k}") for k in ("created", "modified")},
    )


def annotation_from_dict(d: Any) -> Annotation:
    """Parse the store's form; each problem is reported with the field's name."""
    w = "annotation"
    if not isinstance(d, dict) or d.get("format") != DICT_FORMAT:
        raise AnnotationError("not an annotation document (format is not desk.annotation)")
    if d.get("version") != DICT_VERSION:
        raise AnnotationError(f"unsupported annotation document version {d.get('version')!r}")
    q, p = _get(d, "quote", dict, w), _get(d, "position", dict, w)
    texts = ("id", "article_id", "field", "author", "body", "resolved_by")
    resolved_at = d.get("resolved_at")
    return Annotation(
        **{k: _get(d, k, str, w) for k in texts},
        **{k: _get(d, k, bool, w) for k in ("resolved", "orphaned")},
        quote=TextQuoteSelector(*(_get(q, k, str, f"{w}.quote") for k in QUOTE_KEYS)),
        position=_position(p.get("start"), p.get("end"), f"{w}.position"),
        role=_role(d.get("role"), f"{w}.role"),
        **{k: _when(d.get(k), f"{w}.{k}") for k in ("created", "modified")},
        replies=[
            reply_from_dict(r, f"{w}.replies[{i}]")
            for i, r in enumerate(_get(d, "replies", list, w))
        ],
        resolved_at=None if resolved_at is None else _when(resolved_at, f"{w}.resolved_at"),
        history=_history(d.get("history"), f"{w}.history"),
        current=_quote_or_none(d.get("current"), f"{w}.current"),
    )


# --- W3C Web Annotation JSON-LD ------------------------------------------------


def id_to_uri(id: str) -> str:
    """Our uuid4-hex ids become ``urn:uuid:``; anything else is kept reversibly."""
    try:
        if uuid.UUID(hex=id).hex == id:
            return f"urn:uuid:{uuid.UUID(hex=id)}"
    except ValueError:
        pass
    return _ID_URN + quote(id, safe="")


def id_from_uri(uri: str) -> str:
    """Inverse of :func:`id_to_uri`; a foreign IRI is used whole as the id."""
    if uri.startswith("urn:uuid:"):
        try:
            return uuid.UUID(uri[9:]).hex
        except ValueError as exc:
            raise AnnotationError(f"id: malformed urn:uuid {uri!r}") from exc
    if uri.startswith(_ID_URN):
        return unquote(uri[len(_ID_URN) :])
    return uri


def _creator(name: str, role: str) -> dict[str, Any]:
    return {"type": "Person", "name": name, "desk:role": role}


def _textual_body(value: str, purpose: str) -> list[dict[str, Any]]:
    return [{"type": "TextualBody", "value": value, "purpose": purpose, "format": "text/plain"}]


def annotation_to_jsonld(a: Annotation, base_uri: str = DEFAULT_BASE_URI) -> dict[str, Any]:
    """The thread's opening comment only; replies are separate documents
    (:func:`annotations_to_jsonld`), because W3C has no reply object."""
    q = {"type": "TextQuoteSelector", "exact": a.quote.exact}
    q.update({k: v for k, v in (("prefix", a.quote.prefix), ("suffix", a.quote.suffix)) if v})
    doc: dict[str, Any] = {
        "@context": JSONLD_CONTEXT,
        "id": id_to_uri(a.id),
        "type": "Annotation",
        "motivation": "commenting",
        "creator": _creator(a.author, a.role),
        "created": a.created.isoformat(),
        "modified": a.modified.isoformat(),
        "body": _textual_body(a.body, "commenting"),
        "target": {
            "source": f"{base_uri}{quote(a.article_id, safe='')}#{quote(a.field, safe=':')}",
            "selector": [
                q,
                {"type": "TextPositionSelector", "start": a.position.start, "end": a.position.end},
            ],
        },
        "desk:resolved": a.resolved,
        "desk:orphaned": a.orphaned,
        "desk:history": [dict(h) for h in a.history],
    }
    if a.current is not None:  # W3C's quote stays the words commented on
        doc["desk:current"] = {k: getattr(a.current, k) for k in QUOTE_KEYS}
    if a.resolved_by:
        doc["desk:resolvedBy"] = a.resolved_by
    if a.resolved_at is not None:
        doc["desk:resolvedAt"] = a.resolved_at.isoformat()
    return doc


def reply_to_jsonld(r: Reply, parent_id: str) -> dict[str, Any]:
    return {
        "@context": JSONLD_CONTEXT,
        "id": id_to_uri(r.id),
        "type": "Annotation",
        "motivation": "replying",
        "creator": _creator(r.author, r.role),
        "created": r.created.isoformat(),
        "modified": r.modified.isoformat(),
        "body": _textual_body(r.body, "replying"),
        "target": id_to_uri(parent_id),
    }


def annotations_to_jsonld(
    annotations: list[Annotation], base_uri: str = DEFAULT_BASE_URI
) -> list[dict[str, Any]]:
    """Threads flattened: each comment followed by its replies."""
    out: list[dict[str, Any]] = []
    for a in annotations:
        out.append(annotation_to_jsonld(a, base_uri))
        out.extend(reply_to_jsonld(r, a.id) for r in a.replies)
    return out


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _common(doc: Any) -> Reply:
    """What every annotation of ours carries, parsed into a Reply's fields."""
    if not isinstance(doc, dict):
        raise AnnotationError("not a Web Annotation (expected a JSON object)")
    if ANNO_CONTEXT not in _as_list(doc.get("@context")) or "Annotation" not in _as_list(
        doc.get("type")
    ):
        raise AnnotationError("not a W3C Web Annotation (missing @context or type)")
    ident = _get(doc, "id", str, "annotation")
    w = f"annotation {ident}"
    creator = (_as_list(doc.get("creator")) or [None])[0]
    name = _get(creator, "name", str, f"{w}.creator")
    role = creator.get("desk:role", creator.get("role", "writer"))
    bodies = [b for b in _as_list(doc.get("body")) if isinstance(b, dict)]
    text = [_get(b, "value", str, f"{w}.body") for b in bodies if b.get("type") == "TextualBody"]
    return Reply(
        id=id_from_uri(ident),
        author=name,
        role=_role(role, f"{w}.creator.role"),
        created=_when(doc.get("created"), f"{w}.created"),
        modified=_when(doc.get("modified", doc.get("created")), f"{w}.modified"),
        body=text[0] if text else "",
    )


def annotation_from_jsonld(doc: Any) -> Annotation:
    """Parse one thread-opening annotation (``motivation: commenting``)."""
    c = _common(doc)
    w = f"annotation {doc['id']}"
    if doc.get("motivation") == "replying":
        raise AnnotationError(f"{w} is a reply; read it with annotations_from_jsonld")
    target = (_as_list(doc.get("target")) or [None])[0]
    article_uri, _, frag = _get(target, "source", str, f"{w}.target").partition("#")
    article_id = unquote(article_uri.replace(":", "/").rsplit("/", 1)[-1])
    if not frag or not article_id:
        raise AnnotationError(f"{w}.target.source: expected '<article uri>#<field>'")
    found = {
        s["type"]: s
        for s in _as_list(target.get("selector"))
        if isinstance(s, dict) and isinstance(s.get("type"), str)
    }
    qs, ps = found.get("TextQuoteSelector"), found.get("TextPositionSelector")
    if qs is None or ps is None:
        raise AnnotationError(f"{w}: needs a TextQuoteSelector and a TextPositionSelector")
    resolved_at = doc.get("desk:resolvedAt")
    return Annotation(
        **asdict(c),
        article_id=article_id,
        field=unquote(frag),
        quote=TextQuoteSelector(
            *(_get(qs, k, str, f"{w}.TextQuoteSelector", "") for k in QUOTE_KEYS)
        ),
        position=_position(ps.get("start"), ps.get("end"), f"{w}.TextPositionSelector"),
        resolved=_get(doc, "desk:resolved", bool, w, False),
        resolved_by=_get(doc, "desk:resolvedBy", str, w, ""),
        resolved_at=None if resolved_at is None else _when(resolved_at, f"{w}.resolvedAt"),
        orphaned=_get(doc, "desk:orphaned", bool, w, False),
        history=_history(doc.get("desk:history", []), f"{w}.desk:history"),
        current=_quote_or_none(doc.get("desk:current"), f"{w}.desk:current"),
    )


def annotations_from_jsonld(docs: Any) -> list[Annotation]:
    """Rebuild threads; a reply to a reply joins the thread of the comment it hangs from."""
    if not isinstance(docs, list):
        raise AnnotationError("expected a JSON list of Web Annotations")
    roots: dict[str, Annotation] = {}
    replies: list[tuple[Reply, str]] = []
    seen: set[str] = set()
    for doc in docs:
        if isinstance(doc, dict) and doc.get("motivation") == "replying":
            r = _common(doc)
            t = (_as_list(doc.get("target")) or [None])[0]
            t = t.get("id", t.get("source")) if isinstance(t, dict) else t
            if not isinstance(t, str):
                raise AnnotationError(f"reply {doc['id']}: target must name an annotation")
            replies.append((r, id_from_uri(t)))
            ident = r.id
        else:
            a = annotation_from_jsonld(doc)
            ident = a.id
            roots[ident] = a
        if ident in seen:
            raise AnnotationError(f"annotation id {ident!r} appears twice")
        seen.add(ident)
    parent_of = {r.id: target for r, target in replies}
    for r, target in replies:
        hops = 0
        while target in parent_of and hops <= len(parent_of):
            target, hops = parent_of[target], hops + 1
        if target not in roots:
            raise AnnotationError(
                f"reply {r.id!r} answers {target!r}, which is not a comment in this file"
            )
        roots[target].replies.append(r)
    return list(roots.values())
