"""Commands of the render, export and review layers, kept apart from the core CLI."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from desk.cli.common import EXIT_BLOCKED, EXIT_OK, CliError, open_store
from desk.model.validation import Finding, blocking
from desk.profiles import load_site_profile
from desk.store.drafts import DraftStore


def write_output(path: str | None, text: str) -> None:
    """Standard output for ``-`` or no path; otherwise the file, replaced atomically."""
    if not path or path == "-":
        sys.stdout.write(text)
        return
    from desk.export.atomic import replace_file

    try:
        replace_file(Path(path), text.encode("utf-8"))
    except OSError as exc:
        raise CliError(f"{path}: cannot write ({exc.strerror or exc})") from None


def cmd_render(args: argparse.Namespace) -> int:
    from desk.render.page import render_article

    with open_store(args) as store:
        article = store.load(args.id)
    page = render_article(article, load_site_profile(article.site))
    write_output(args.out, page)
    return EXIT_OK


def add_render(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("render", help="render a draft as the site page (HTML)")
    p.add_argument("id", metavar="ID|SLUG")
    p.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    p.set_defaults(func=cmd_render)


def open_count(store: DraftStore, article_id: str) -> int:
    """Unresolved review comments: the checklist warns about them."""
    from desk.store.annotations import open_count as count

    return count(store, article_id)


def format_finding(finding: Finding) -> str:
    """``error|warning  field  message``: columns a person can read and ``cut`` can split."""
    return f"{finding.level.value:<7}  {finding.field}  {finding.message}"


def cmd_validate(args: argparse.Namespace) -> int:
    from desk.export.checklist import run_checklist

    with open_store(args) as store:
        article = store.load(args.id)
        findings = run_checklist(
            article, load_site_profile(article.site), store, open_count(store, article.id)
        )
    for finding in findings:
        print(format_finding(finding))
    return EXIT_BLOCKED if blocking(findings) else EXIT_OK


def add_validate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate", help="run the pre-export checklist (exit 3 when something blocks export)"
    )
    p.add_argument("id", metavar="ID|SLUG")
    p.set_defaults(func=cmd_validate)


def cmd_export(args: argparse.Namespace) -> int:
    from desk.export.bundle import ExportBlockedError, ExportError, export_article
    from desk.export.ipfs import CarError, IpfsImportError

    with open_store(args) as store:
        article = store.load(args.id)
        try:
            result = export_article(
                article,
                load_site_profile(article.site),
                store,
                Path(args.out),
                make_zip=args.zip,
                force=args.force,
                open_comments=open_count(store, article.id),
            )
        except ExportBlockedError as exc:
            print(f"desk: {exc}", file=sys.stderr)
            for finding in exc.findings:
                print(format_finding(finding), file=sys.stderr)
            return EXIT_BLOCKED
        except (ExportError, CarError, IpfsImportError) as exc:
            raise CliError(str(exc)) from None
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            raise CliError(f"export failed: {where}{exc.strerror or exc}") from None
    for finding in result.findings:
        print(format_finding(finding), file=sys.stderr)
    print(f"folder  {result.folder}")
    if result.zip_path:
        print(f"zip     {result.zip_path}")
    print(f"cid     {result.cid}")
    return EXIT_OK


def add_export(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        help="write the publish-ready bundle (page, Markdown, ninjs, assets, CID, CAR)",
    )
    p.add_argument("id", metavar="ID|SLUG")
    p.add_argument("--out", metavar="DIR", required=True, help="the bundle goes in DIR/SLUG/")
    p.add_argument("--zip", action="store_true", help="also write DIR/SLUG.zip")
    p.add_argument(
        "--force",
        action="store_true",
        help="export even when the checklist has errors, and replace a zip Desk did not write",
    )
    p.set_defaults(func=cmd_export)


def _review_commands() -> list[Callable[[argparse._SubParsersAction], None]]:
    from desk.cli.publish import add_destinations, add_publish
    from desk.cli.review import add_history, add_review

    return [add_review, add_history, add_destinations, add_publish]


REGISTER: list[Callable[[argparse._SubParsersAction], None]] = [
    add_render,
    add_validate,
    add_export,
    *_review_commands(),
]
