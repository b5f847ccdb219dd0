"""Commands of the render, export and review layers, kept apart from the core CLI."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from desk.cli import EXIT_OK, CliError, open_store
from desk.profiles import load_site_profile


def write_output(path: str | None, text: str) -> None:
    if not path or path == "-":
        sys.stdout.write(text)
        return
    target = Path(path)
    try:
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(target)
    except OSError as exc:
        raise CliError(f"{path}: cannot write ({exc.strerror})") from None


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


REGISTER: list[Callable[[argparse._SubParsersAction], None]] = [add_render]
