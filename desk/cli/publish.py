"""``desk destinations …`` and ``desk publish``: the site's storage from a shell.

So that scripts and CI can publish too. Credentials are asked for once and kept
in the OS keychain (``desk destinations login``); CI sets them in the
environment instead. Every failure is one line naming the destination.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys

from desk.cli.common import EXIT_ERROR, EXIT_OK, CliError, open_store
from desk.model.workflow import ROLES

EXIT_CONFLICT = 4


def _site_defaults() -> tuple:
    from desk.profiles import load_site_profile

    return load_site_profile().destinations


def cmd_dest_add(args: argparse.Namespace) -> int:
    from desk.publish.destinations import DestinationError, add_destination, validate

    settings = {
        "name": args.name,
        "kind": args.kind,
        "endpoint": args.endpoint,
        "bucket": args.bucket or "",
        "prefix": args.prefix or "",
        "region": args.region or "us-east-1",
        "public_url": args.public_url or "",
    }
    try:
        dest = validate(settings)
        add_destination(dest)
    except (DestinationError, OSError) as exc:
        raise CliError(str(exc)) from None
    print(f"added  {dest.name}  {dest.kind}  {dest.endpoint}")
    return EXIT_OK


def cmd_dest_list(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from desk.publish.destinations import DestinationError, load_destinations

    try:
        items = load_destinations(_site_defaults())
    except DestinationError as exc:
        raise CliError(str(exc)) from None
    if args.json:
        print(json.dumps([asdict(d) for d in items], indent=2))
        return EXIT_OK
    if not items:
        print("no destinations yet: add one with `desk destinations add NAME --kind s3 ...`")
    for d in items:
        where = f"{d.bucket}/{d.prefix}" if d.bucket else ""
        print(f"{d.name}  {d.kind}  {d.endpoint}  {where}  {d.public_url}".rstrip())
    return EXIT_OK


def cmd_dest_remove(args: argparse.Namespace) -> int:
    from desk.publish.credentials import forget_credentials
    from desk.publish.destinations import DestinationError, remove_destination

    try:
        remove_destination(args.name)
    except (DestinationError, OSError) as exc:
        raise CliError(str(exc)) from None
    forget_credentials(args.name)
    print(f"removed  {args.name}")
    return EXIT_OK


def _ask(prompt: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt).strip()
    return sys.stdin.readline().strip()


def cmd_dest_login(args: argparse.Namespace) -> int:
    """Ask for the keys (or read them from standard input) and keep them in the keychain."""
    from desk.publish.credentials import Credentials, CredentialsError, store_credentials
    from desk.publish.destinations import DestinationError, find_destination

    try:
        dest = find_destination(args.name, _site_defaults())
    except DestinationError as exc:
        raise CliError(str(exc)) from None
    if dest.kind == "kubo":
        creds = Credentials(token=_ask("Token (empty for none): "))
    else:
        creds = Credentials(access_key=_ask("Access key: "), secret_key=_ask("Secret key: "))
        if not (creds.access_key and creds.secret_key):
            raise CliError("both an access key and a secret key are needed")
    try:
        store_credentials(dest.name, creds)
    except CredentialsError as exc:
        raise CliError(str(exc)) from None
    print(f"stored in the keychain  {dest.name}")
    return EXIT_OK


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{n / 1000:.1f} kB"


def cmd_publish(args: argparse.Namespace) -> int:
    from desk.cli.export import format_finding
    from desk.cli.review import default_name
    from desk.export.bundle import ExportBlockedError, ExportError
    from desk.publish.credentials import CredentialsError
    from desk.publish.destinations import DestinationError, find_destination, load_destinations
    from desk.publish.errors import ConflictError, PublishError
    from desk.publish.runner import Publisher

    try:
        if args.to:
            dests = [find_destination(name, _site_defaults()) for name in args.to]
        else:
            dests = load_destinations(_site_defaults())
    except DestinationError as exc:
        raise CliError(str(exc)) from None
    if not dests:
        raise CliError("no destinations: add one with `desk destinations add NAME --kind s3 ...`")
    code = EXIT_OK
    with open_store(args) as store:
        article_id = store.resolve_id(args.id)
        for dest in dests:
            publisher = Publisher(store, dest, who=args.who or default_name(), role=args.role)
            try:
                out = publisher.publish(article_id, overwrite=args.overwrite, dry_run=args.dry_run)
            except ExportBlockedError as exc:
                print(f"desk: {exc}", file=sys.stderr)
                for finding in exc.findings:
                    print(format_finding(finding), file=sys.stderr)
                return 3
            except ConflictError as exc:
                print(f"desk: {dest.name}: {exc} (--overwrite)", file=sys.stderr)
                code = EXIT_CONFLICT
                continue
            except (PublishError, CredentialsError, ExportError) as exc:
                print(f"desk: {dest.name}: {exc}", file=sys.stderr)
                code = EXIT_ERROR
                continue
            if args.dry_run:
                for key in out.sent:
                    print(f"would send  {dest.name}  {key}")
                for key in out.skipped:
                    print(f"unchanged   {dest.name}  {key}")
                continue
            print(
                f"published  {dest.name}  {out.url}  ipfs://{out.cid}  "
                f"(sent {len(out.sent)} files, {_size(out.bytes_sent)}; "
                f"{len(out.skipped)} unchanged)"
            )
            if out.message:
                print(out.message)
    return code


def add_destinations(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("destinations", help="where articles are published (S3, IPFS pinning)")
    actions = p.add_subparsers(dest="dest_command", metavar="ACTION", required=True)
    a = actions.add_parser("add", help="add or replace a destination")
    a.add_argument("name", metavar="NAME")
    a.add_argument("--kind", required=True, choices=("s3", "s3-car", "kubo"))
    a.add_argument("--endpoint", required=True, metavar="URL")
    a.add_argument("--bucket", metavar="B")
    a.add_argument("--prefix", metavar="P", help="key prefix, e.g. articles/")
    a.add_argument("--region", metavar="R")
    a.add_argument("--public-url", metavar="URL", help="the site's public URL for this bucket")
    a.set_defaults(func=cmd_dest_add)
    ls = actions.add_parser("list", help="list destinations")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=cmd_dest_list)
    rm = actions.add_parser("remove", help="remove a destination and forget its keys")
    rm.add_argument("name", metavar="NAME")
    rm.set_defaults(func=cmd_dest_remove)
    lg = actions.add_parser("login", help="store a destination's keys in the OS keychain")
    lg.add_argument("name", metavar="NAME")
    lg.set_defaults(func=cmd_dest_login)


def add_publish(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("publish", help="upload a draft's bundle to its destinations and pin it")
    p.add_argument("id", metavar="ID|SLUG")
    p.add_argument("--to", action="append", metavar="NAME", help="a destination (repeatable)")
    p.add_argument("--dry-run", action="store_true", help="say what would be sent; send nothing")
    p.add_argument("--overwrite", action="store_true", help="replace someone else's newer version")
    p.add_argument("--as", dest="who", metavar="NAME", help="your name (default: login name)")
    p.add_argument("--role", choices=ROLES, default="writer")
    p.set_defaults(func=cmd_publish)
