"""``desk review send|open`` and ``desk history``: review packages and revisions from a shell.

Useful where the app is not at hand (a script on a newsroom server that
collects packages from a shared folder), and as the tests' way in. Every
expected failure, a refused package above all, ends as one line on stderr.
"""

from __future__ import annotations

import argparse
import getpass
import json
from pathlib import Path
from typing import TYPE_CHECKING

from desk.cli.common import EXIT_OK, CliError, open_store, preference
from desk.model.workflow import ROLES

if TYPE_CHECKING:  # the review layer loads on use, so `desk list` stays fast
    from desk.review.package import ImportReport


def default_name() -> str:
    """The name from Preferences, else the login name, so ``--as`` can be left out.

    The window signs comments and packages with the Preferences name; the
    command line must sign as the same person, not as ``root`` or ``jdoe``.
    """
    name = preference("writer_name")
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return "unknown"


def _who(args: argparse.Namespace) -> str:
    name = (args.who or default_name()).strip()
    if not name or "\n" in name:
        raise CliError("--as needs a name on one line")
    return name


def _role(args: argparse.Namespace) -> str:
    """``--role``, else the role chosen in Preferences, else writer."""
    if args.role:
        return args.role
    role = preference("role")
    return role if role in ROLES else "writer"


def cmd_review_send(args: argparse.Namespace) -> int:
    from desk.review.package import PackageError, send_for_review

    out = Path(args.out)
    if out.is_dir():
        raise CliError(f"{out}: is a folder; give a file name such as story.deskreview")
    with open_store(args) as store:
        try:
            path = send_for_review(store, args.id, out, author=_who(args), role=_role(args))
        except PackageError as exc:
            raise CliError(str(exc)) from None
        except OSError as exc:
            raise CliError(f"{out}: cannot write ({exc.strerror or exc})") from None
    print(path)
    return EXIT_OK


def print_report(report: ImportReport) -> None:
    """Columns: ``created|merged ID``, then one line per decision a writer should see."""
    print(f"{'created' if report.created else 'merged'}  {report.article_id}")
    for part in report.taken_from_incoming:
        print(f"taken     {part}")
    for part in report.conflicts:
        print(f"conflict  {part}  (your text kept; theirs is revision {report.incoming_revision})")
    for ident in report.orphaned:
        print(f"orphaned  {ident}")
    print(f"comments  {report.annotations_added} added, {report.annotations_updated} updated")
    print(report.message)


def cmd_review_open(args: argparse.Namespace) -> int:
    from desk.review.package import PackageError, open_review_package

    with open_store(args) as store:
        try:
            report = open_review_package(
                store, Path(args.file), author=_who(args), role=_role(args)
            )
        except PackageError as exc:
            raise CliError(str(exc)) from None
    print_report(report)
    return EXIT_OK


def add_review(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("review", help="send or open a review package (.deskreview)")
    actions = p.add_subparsers(dest="review_command", metavar="ACTION", required=True)

    s = actions.add_parser("send", help="write a review package for a draft")
    s.add_argument("id", metavar="ID|SLUG")
    s.add_argument("--out", metavar="FILE", required=True, help="the .deskreview file to write")
    s.add_argument(
        "--as", dest="who", metavar="NAME", help="your name (default: your name in Preferences)"
    )
    s.add_argument("--role", choices=ROLES, help="default: your role in Preferences")
    s.set_defaults(func=cmd_review_send)

    o = actions.add_parser("open", help="open a review package: create or merge the draft")
    o.add_argument("file", metavar="FILE")
    o.add_argument(
        "--as", dest="who", metavar="NAME", help="your name (default: your name in Preferences)"
    )
    o.add_argument("--role", choices=ROLES, help="default: your role in Preferences")
    o.set_defaults(func=cmd_review_open)


def cmd_history(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        article_id = store.resolve_id(args.id)
        revisions = store.revisions(article_id)
    if args.json:
        items = [
            {
                "id": r.id,
                "created_at": r.created_at.isoformat(),
                "reason": r.reason,
                "author": r.author,
                "version": r.version,
            }
            for r in revisions
        ]
        print(json.dumps(items, ensure_ascii=False, indent=2))
        return EXIT_OK
    for r in revisions:
        reason = " ".join(r.reason.split()) or "-"
        print(f"{r.id}  {r.created_at.isoformat()}  {reason}  {r.author or '-'}")
    return EXIT_OK


def add_history(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("history", help="list a draft's revisions, newest first")
    p.add_argument("id", metavar="ID|SLUG")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_history)
