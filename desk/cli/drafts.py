"""``desk list|search|show|new|new-db|import``: the draft store from a shell."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from desk.cli.common import EXIT_OK, CliError, open_store, read_text_file
from desk.model.article import Article, Section, article_to_dict
from desk.model.text import article_words, reading_minutes
from desk.store.rows import DraftSummary


def _summary_json(s: DraftSummary) -> dict[str, object]:
    return {
        "id": s.id,
        "slug": s.slug,
        "status": s.status.value,
        "category": s.category,
        "updated_at": s.updated_at.isoformat(),
        "headline": s.headline,
    }


def print_summaries(items: list[DraftSummary], as_json: bool) -> None:
    if as_json:
        print(json.dumps([_summary_json(s) for s in items], ensure_ascii=False, indent=2))
        return
    for s in items:
        when = s.updated_at.strftime("%Y-%m-%d %H:%M")
        print(f"{s.id}  {s.status.value:<17} {when}  {s.headline or '(untitled)'}")


def cmd_list(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        print_summaries(store.list_drafts(trashed=args.trash), args.json)
    return EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    query = " ".join(args.query)
    with open_store(args) as store:
        items = store.search(query) if query.strip() else store.list_drafts()
        print_summaries(items, args.json)
    return EXIT_OK


def describe(article: Article) -> str:
    words = article_words(article)
    dl = article.dateline
    lines = [
        article.headline or "(untitled)",
        f"id: {article.id}   slug: {article.slug}   status: {article.status.value}",
        f"dateline: {', '.join(p for p in (dl.city, dl.region) if p)}"
        f"{'   date: ' + dl.date.isoformat() if dl.date else ''}",
        f"category: {article.category}   byline: {article.byline}",
        f"tags: {', '.join(article.tags)}",
        f"{words} words, {reading_minutes(words)} min read",
    ]
    if article.standfirst:
        lines += ["", article.standfirst]
    for s in article.sections:
        lines.append("")
        if s.subheading:
            lines += [f"## {s.subheading}", ""]
        lines.append(s.body)
    return "\n".join(lines)


def cmd_show(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        article = store.load(args.id)
    if args.json:
        print(json.dumps(article_to_dict(article), ensure_ascii=False, indent=2))
    else:
        print(describe(article))
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        article = store.create(Article(headline=args.headline or "", sections=[Section()]))
    print(article.id)
    return EXIT_OK


def cmd_new_db(args: argparse.Namespace) -> int:
    """The one way to make a database away from the default place: asked for by name."""
    from desk.store.drafts import DraftStore
    from desk.store.seed import ensure_starter

    path = Path(args.path).expanduser()
    if path.exists() or path.is_symlink():
        raise CliError(f"{path}: already exists; not replacing it")
    with DraftStore(path, create_folders=True) as store:
        ensure_starter(store)
    print(path)
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from desk.model.markdown_doc import article_from_markdown

    article = article_from_markdown(read_text_file(args.file))
    if not article.headline:
        article.headline = Path(args.file).stem.replace("-", " ").replace("_", " ").strip()
    with open_store(args) as store:
        article = store.create(article)
        store.snapshot(article, "import")
    print(article.id)
    return EXIT_OK
