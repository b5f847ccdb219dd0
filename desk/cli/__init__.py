"""``desk``: the app's operations without a window.

Every failure a user can cause (unknown id, missing file, bad UTF-8, a broken
document) ends as one line on stderr and a non-zero exit, never a traceback.
``desk`` with no command starts the app.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Callable, Sequence

from desk import __version__
from desk.cli.common import EXIT_ERROR, EXIT_OK, CliError
from desk.cli.drafts import cmd_import, cmd_list, cmd_new, cmd_new_db, cmd_search, cmd_show
from desk.model.article import DocumentError
from desk.paths import resolve_db_path
from desk.profiles import ProfileError
from desk.store.db import StoreError, store_error

Command = Callable[[argparse.Namespace], int]

#: What ``desk --help`` opens with: plain words, as a terminal shows them.
DESCRIPTION = (
    "Desk writes, reviews and exports news articles. Run desk with no command to "
    "open the Desk window; the commands below do the same work without a window."
)


def build_parser(
    extra: Sequence[Callable[[argparse._SubParsersAction], None]] = (),
) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="desk", description=DESCRIPTION)
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

    p = sub.add_parser("new-db", help="create a new draft database (and its folders) at PATH")
    p.add_argument("path", metavar="PATH")
    p.set_defaults(func=cmd_new_db)

    p = sub.add_parser("import", help="import a Markdown file with YAML front matter")
    p.add_argument("file", metavar="FILE.md")
    p.set_defaults(func=cmd_import)

    for add in extra:
        add(sub)
    return parser


def _extra_commands() -> list[Callable[[argparse._SubParsersAction], None]]:
    """Commands from the other layers, registered lazily so `desk list` starts fast."""
    from desk.cli import export

    return export.REGISTER


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
    except sqlite3.Error as exc:  # a fault outside a write transaction (e.g. a read)
        print(f"desk: {store_error(exc, resolve_db_path(args.db))}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


def gui_main(argv: Sequence[str] | None = None) -> int:
    from desk.ui.app import run

    args = build_parser().parse_known_args(list(sys.argv[1:] if argv is None else argv))[0]
    return run(db_path=resolve_db_path(args.db), create_folders=not args.db)


if __name__ == "__main__":
    raise SystemExit(main())
