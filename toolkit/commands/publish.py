"""``runbook publish DOC... --region R``: idempotent versions in every region, in parallel; exit 1 when one fails."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Final

from toolkit.commands.common import COLOR_MODES, EXIT_FAILED, EXIT_OK
from toolkit.errors import PublishError

if TYPE_CHECKING:
    from toolkit.commands.common import Commands
    from toolkit.publish import Outcome
    from toolkit.term import Palette


def add_parser(commands: Commands) -> None:
    command = commands.add_parser("publish", help="publish documents to Systems Manager, every region in parallel")
    command.add_argument(
        "documents",
        nargs="+",
        metavar="DOC",
        help="a document file (YAML or JSON, sent as it is), a runbook module (.py) or a runbook name (sent as YAML)",
    )
    command.add_argument("--region", action="append", default=[], help="a region (repeat; default: the profile's)")
    command.add_argument("--profile", help="the AWS profile (default: the standard credential chain)")
    command.add_argument(
        "--endpoint-url",
        action="append",
        default=[],
        metavar="[REGION=]URL",
        help="the SSM endpoint URL (such as http://127.0.0.1:5000) for every region, or REGION=URL for that "
        "region only; repeatable",
    )
    command.add_argument("--name", help="the document name (default: the runbook's name or the file's stem)")
    command.add_argument("--version-name", metavar="V", help="the new version's name")
    command.add_argument("--tag", action="append", default=[], metavar="KEY=VALUE", help="a tag to add or update")
    command.add_argument("--share-with", action="append", metavar="ACCOUNT", help="share with exactly these accounts")
    command.add_argument("--no-set-default", action="store_true", help="do not make a new version the default")
    command.add_argument(
        "--dry-run", action="store_true", help="print the diff and the action per region; write nothing"
    )
    command.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    command.add_argument("--assume-role-arn", action="append", default=[], metavar="ARN", help="publish as this role")
    command.add_argument("--color", choices=COLOR_MODES, default="auto", help="colour and progress (default: auto)")
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # lazy: json and dataclasses cost milliseconds at every command's start; only publish needs them here
    import dataclasses
    import json

    # lazy: boto3 and the publisher are paid only by this command
    from toolkit import publish
    from toolkit.term import Palette, Progress, can_redraw, use_color

    if args.name is not None and len(args.documents) > 1:
        raise PublishError("--name names one document; several were given")
    endpoints = publish.parse_endpoints(args.endpoint_url)
    options = publish.PublishOptions(
        version_name=args.version_name,
        tags=publish.parse_tags(args.tag),
        share_with=tuple(args.share_with) if args.share_with is not None else None,
        set_default=not args.no_set_default,
        dry_run=args.dry_run,
    )
    publish.check_options(options)
    documents = [publish.load_document(spec, args.name) for spec in args.documents]
    regions = list(dict.fromkeys(args.region)) or [publish.default_region(args.profile) or ""]
    if regions == [""]:
        raise PublishError("no region: pass --region or configure one (AWS_REGION or the profile)")
    roles = {role: publish.role_account(role) for role in args.assume_role_arn}
    shown = args.format == "text" and args.color != "never" and can_redraw(sys.stderr)
    total = len(documents) * len(regions) * max(len(roles), 1)
    outcomes = []
    with Progress("publishing", sys.stderr, enabled=shown, total=total) as progress:
        for role in list(roles) or [None]:
            account = roles.get(role) if role is not None else None

            def advance(line: str, prefix: str = f"{account}: " if account is not None else "") -> None:
                progress.advance(prefix + line)

            try:
                clients = publish.session_clients(regions, profile=args.profile, endpoints=endpoints, role_arn=role)
            except publish.RoleError as err:  # AssumeRole refused or unreachable: every region of that account failed
                failed = publish.failed_everywhere(documents, regions, err)
                for outcome in failed:
                    advance(publish.describe(outcome))
            else:
                failed = publish.publish(documents, clients, options, progress=advance if shown else None)
            outcomes += [dataclasses.replace(outcome, account=account) for outcome in failed]
    if args.format == "json":
        print(json.dumps([outcome.to_dict() for outcome in outcomes], indent=2))
    else:
        paint = Palette(use_color(args.color, sys.stdout))
        for outcome in outcomes:
            sys.stdout.write(outcome.diff)
            print(outcome_line(outcome, paint, dry_run=args.dry_run))
    for outcome in outcomes:
        if outcome.error is not None:
            print(f"runbook: {publish.describe(outcome)}", file=sys.stderr)
    return EXIT_FAILED if any(outcome.error is not None for outcome in outcomes) else EXIT_OK


OUTCOME_STYLES: Final = {
    "created": "green",
    "updated": "green",
    "unchanged": "dim",
    "rolled-back": "yellow",
    "failed": "red",
}


def outcome_line(outcome: Outcome, paint: Palette, *, dry_run: bool = False) -> str:
    """publish.describe's line for one (document, region), its action word coloured when ``paint`` is on."""
    from toolkit.publish import describe  # lazy: as in run

    line = describe(outcome)
    head = (f"{outcome.account}: " if outcome.account is not None else "") + f"{outcome.region}: {outcome.name}: "
    if line.startswith(head + outcome.action) and outcome.action in OUTCOME_STYLES:
        word = paint.style(outcome.action, OUTCOME_STYLES[outcome.action])
        line = head + word + line[len(head) + len(outcome.action) :]
    return line + (" (dry run: nothing written)" if dry_run and outcome.error is None else "")
