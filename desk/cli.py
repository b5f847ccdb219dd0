"""``desk``: the app's operations without a window.

Every failure a user can cause (unknown id, missing file, bad UTF-8, a broken
document) ends as one line on stderr and a non-zero exit, never a traceback.
``desk`` with no command starts the app.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from desk import __version__
from desk.model.article import Article, DocumentError, Section, article_to_dict
from desk.model.text import article_words, reading_minutes
from desk.paths import resolve_db_path
from desk.profiles import ProfileError
from desk.store.db import StoreError
from desk.store.drafts import DraftStore
from desk.store.rows import DraftSummary
from desk.store.seed import ensure_starter

EXIT_OK, EXIT_ERROR, EXIT_BLOCKED = 0, 1, 3


class CliError(Exception):
    """An expected failure: its message is the whole story for the user."""


def open_store(args: argparse.Namespace) -> DraftStore:
    store = DraftStore(resolve_db_path(args.db))
    ensure_starter(store)
    return store


def read_text_file(path: str) -> str:
    try:
        return Path(path).read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise CliError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CliError(f"{path}: is a folder, not a file") from None
    except UnicodeDecodeError as exc:
        raise CliError(f"{path}: not valid UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise CliError(f"{path}: {exc.strerror}") from None


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


Command = Callable[[argparse.Namespace], int]


def build_parser(
    extra: Sequence[Callable[[argparse._SubParsersAction], None]] = (),
) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="desk", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="version", version=f"desk {__version__}")
    parser.add_argument(
        "--db", metavar="PATH", help="draft database (default: $DESK_HOME or the user data folder)"
    )
    parser.add_argument(
        "--selftest",
        action="store_true",
        help="run a headless check of render and export, then exit",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("list", help="list drafts, newest first")
    p.add_argument("--json", action="store_true")
    p.add_argument("--trash", action="store_true", help="list the trash instead")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("search", help="full-text search of headline, standfirst and text")
    p.add_argument("query", nargs="*")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("show", help="print one draft")
    p.add_argument("id", metavar="ID|SLUG")
    p.add_argument("--json", action="store_true", help="the versioned JSON document")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("new", help="create an empty draft and print its id")
    p.add_argument("--headline")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("import", help="import a Markdown file with YAML front matter")
    p.add_argument("file", metavar="FILE.md")
    p.set_defaults(func=cmd_import)

    for add in extra:
        add(sub)
    return parser


def _extra_commands() -> list[Callable[[argparse._SubParsersAction], None]]:
    """Commands from the other layers, registered lazily so `desk list` starts fast."""
    from desk import cli_more

    return cli_more.REGISTER


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(_extra_commands())
    args = parser.parse_args(argv)
    try:
        if args.selftest:
            from desk.selftest import run_selftest

            return run_selftest()
        if not args.command:
            return gui_main(argv)
        return int(args.func(args))
    except (CliError, StoreError, DocumentError, ProfileError) as exc:
        print(f"desk: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


def gui_main(argv: Sequence[str] | None = None) -> int:
    from desk.ui.app import run

    args = build_parser().parse_known_args(list(sys.argv[1:] if argv is None else argv))[0]
    return run(db_path=resolve_db_path(args.db))


if __name__ == "__main__":
    raise SystemExit(main())
