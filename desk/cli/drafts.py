"""``desk list|search|show|new|new-db|import``: the draft store from a shell."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from desk.cli.common import EXIT_OK, CliError, open_store, read_text_file
from desk.model.article import Article, Section, article_to_dict
from desk.model.site import SiteProfile
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
    if not items and not args.json:
        # An empty screen reads as "the command did nothing"; stdout stays one draft a line.
        print(f"desk: no draft matches “{query.strip()}”", file=sys.stderr)
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
    from desk.store.publish_queue import PublishQueue

    with open_store(args) as store:
        article = store.load(args.id)
        published = PublishQueue(store).publications(article.id)
    if args.json:
        print(json.dumps(article_to_dict(article), ensure_ascii=False, indent=2))
        return EXIT_OK
    print(describe(article))
    if published:
        print("")
    for p in published:
        print(
            f"published {p.published_at:%Y-%m-%d %H:%M} UTC  {p.destination}  {p.url}  "
            f"ipfs://{p.cid}"
        )
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
    """Create a draft from a Markdown file; the images it names are copied into the store."""
    from desk.model.markdown_doc import article_from_markdown, dropped_parts, split_front_matter
    from desk.profiles import load_site_profile
    from desk.store.image_files import import_images

    text = read_text_file(args.file)
    article = article_from_markdown(text)
    notes = dropped_parts(text) + settle_category(article, load_site_profile(article.site))
    for note in notes:
        print(f"desk: {args.file}: {note}", file=sys.stderr)
    if not article.headline:
        article.headline = Path(args.file).stem.replace("-", " ").replace("_", " ").strip()
    with open_store(args) as store:
        meta = split_front_matter(text)[0]
        folder = Path(args.file).resolve().parent
        problems = import_images(article, meta, folder, store.add_blob)
        article = store.create(article)
        store.snapshot(article, "import")
    for problem in problems:  # the draft is made; what it lacks is said, and blocks export
        print(f"desk: import: {problem}", file=sys.stderr)
    print(article.id)
    return EXIT_OK


def settle_category(article: Article, profile: SiteProfile) -> list[str]:
    """Map a category to the site's own spelling, or refuse one the site does not have.

    A draft filed under a category the site lacks cannot be exported; better
    to stop at the import than to find out at the checklist.
    """
    if not article.category or profile.has_category(article.category):
        return []
    wanted = article.category.strip().casefold()
    for category in profile.categories:
        if category.casefold() == wanted:
            note = f"category “{article.category}” filed as the site's “{category}”"
            article.category = category
            return [note]
    raise CliError(
        f"category “{article.category}” is not one of {profile.name}'s: "
        f"{', '.join(profile.categories)}; nothing was imported"
    )
