"""The ``runbook`` command: argument parsing and exit codes only.

Exit codes: 0 success, 1 the command ran and found a failure, 2 it could not run (bad arguments or input),
with one line on stderr naming the file, key or parameter at fault.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from toolkit.errors import LintError, PublishError, ToolkitError

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_UNUSABLE = 2
RULE_PREFIX = re.compile(r"\A[EWI][0-9]{0,4}\Z")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_UNUSABLE, f"runbook: {message}\n")


def parser() -> argparse.ArgumentParser:
    root = _Parser(prog="runbook", description="Author, lint, simulate, publish and deploy SSM Automation runbooks.")
    commands = root.add_subparsers(dest="command", required=True, parser_class=_Parser)
    build = commands.add_parser("build", help="build runbooks into YAML and JSON documents")
    build.add_argument("runbooks", nargs="*", metavar="RUNBOOK", help="document name or module path (default: all)")
    build.add_argument("--out", default="build", type=Path, metavar="DIR", help="output folder (default: build)")
    lint = commands.add_parser("lint", help="lint Automation documents (files, folders or runbook names)")
    lint.add_argument("paths", nargs="+", metavar="PATH", help="a document file, a folder, or a runbook name")
    lint.add_argument("--format", choices=("text", "json", "sarif"), default="text", help="output format")
    lint.add_argument("--select", action="append", default=[], metavar="IDS", help="only rules with these id prefixes")
    lint.add_argument("--ignore", action="append", default=[], metavar="IDS", help="skip rules with these id prefixes")
    lint.add_argument("--config", type=Path, metavar="FILE", help="pyproject.toml to read (default: nearest)")
    sim = commands.add_parser("simulate", help="run a document locally in a fake AWS world")
    sim.add_argument("document", metavar="DOC", help="a document file or a runbook name")
    sim.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="a parameter, as text")
    sim.add_argument("--params", type=Path, metavar="FILE", help="a JSON object of typed parameter values")
    sim.add_argument("--world", type=Path, metavar="FILE", help="the world to run in (default: the default world)")
    sim.add_argument("--world-out", type=Path, metavar="FILE", help="write the world after the run here")
    sim.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    sim.add_argument("--reject", action="store_true", help="reject aws:approve steps (default: approve)")
    sim.add_argument("--no-resume", action="store_true", help="never resume aws:pause steps (default: resume)")
    sim.add_argument("--cancel-at", metavar="STEP", help="cancel the execution when STEP is about to run")
    sim.add_argument("--moto", action="store_true", help="answer calls the fake world does not model with moto")
    scenario = commands.add_parser("scenario", help="run AWS Config scenarios: evaluations, then remediations")
    scenario.add_argument("files", nargs="+", metavar="FILE", help="a scenario file (YAML or JSON), or a folder")
    scenario.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    pub = commands.add_parser("publish", help="publish documents to Systems Manager, every region in parallel")
    pub.add_argument("documents", nargs="+", metavar="DOC", help="a document file (YAML or JSON) or a runbook name")
    pub.add_argument("--region", action="append", default=[], help="a region (repeat; default: the profile's)")
    pub.add_argument("--profile", help="the AWS profile (default: the standard credential chain)")
    pub.add_argument("--endpoint-url", action="append", default=[], metavar="[REGION=]URL", help="endpoint to use")
    pub.add_argument("--name", help="the document name (default: the runbook's name or the file's stem)")
    pub.add_argument("--version-name", metavar="V", help="the new version's name")
    pub.add_argument("--tag", action="append", default=[], metavar="KEY=VALUE", help="a tag to add or update")
    pub.add_argument("--share-with", action="append", metavar="ACCOUNT", help="share with exactly these accounts")
    pub.add_argument("--no-set-default", action="store_true", help="do not make a new version the default")
    pub.add_argument("--dry-run", action="store_true", help="print the diff and the action per region; write nothing")
    pub.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    pub.add_argument("--assume-role-arn", action="append", default=[], metavar="ARN", help="publish as this role")
    tpl = commands.add_parser("template", help="write the CloudFormation template of the whole pattern")
    tpl.add_argument("--out", type=Path, metavar="FILE", help="write it here (default: print it)")
    tpl.add_argument("--organization", action="store_true", help="the management account's variant (StackSet and SCP)")
    iam = commands.add_parser("iam-policy", help="print a least-privilege IAM policy for a runbook")
    iam.add_argument("document", metavar="DOC", help="a document file or a runbook name")
    iam.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="simulate with this parameter")
    iam.add_argument("--world", type=Path, metavar="FILE", help="simulate in this world (default: the default world)")
    return root


def main(argv: Sequence[str] | None = None) -> int:
    # A command runs for a fraction of a second and allocates many small objects with no reference cycles: at
    # the default threshold (700 allocations) the cycle collector runs thousands of times for nothing, a tenth
    # of a whole-corpus lint. Collections still happen, just less often.
    gc.set_threshold(100_000, 50, 100)
    args = parser().parse_args(argv)
    try:
        if args.command == "build":
            return _build(args)
        if args.command == "lint":
            return _lint(args)
        if args.command == "simulate":
            return _simulate(args)
        if args.command == "scenario":
            return _scenario(args)
        if args.command == "publish":
            return _publish(args)
        if args.command == "template":
            return _template(args)
        if args.command == "iam-policy":
            return _iam_policy(args)
    except ToolkitError as err:
        print(f"runbook: {err}", file=sys.stderr)
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        return 130
    raise AssertionError(f"unhandled command {args.command}")


def _build(args: argparse.Namespace) -> int:
    from toolkit.build import build_all

    for built in build_all(list(args.runbooks), args.out):
        print(f"built {built.name}: {built.yaml} {built.json}")
    return EXIT_OK


def _lint(args: argparse.Namespace) -> int:
    from toolkit.lint.config import find_config, load_config
    from toolkit.lint.engine import Linter
    from toolkit.lint.formatters import FORMATTERS

    config_file = args.config if args.config is not None else find_config(Path.cwd())
    if args.config is not None and not args.config.is_file():
        raise LintError(f"{args.config}: no such configuration file")
    config = load_config(config_file).with_options(select=_ids(args.select), ignore=_ids(args.ignore))
    linter = Linter(config)
    report = linter.lint(args.paths)
    sys.stdout.write(FORMATTERS[args.format](report, linter.rules))
    return EXIT_FAILED if report.errors() else EXIT_OK


def _ids(values: Sequence[str]) -> list[str]:
    """Rule id prefixes from repeated or comma-separated options; each must look like a rule id's start."""
    ids = [part.strip() for value in values for part in value.split(",") if part.strip()]
    for rule_id in ids:
        if not RULE_PREFIX.match(rule_id):
            raise LintError(f"{rule_id!r} is not a rule id or prefix (such as E, W5, E2001)")
    return ids


def _simulate(args: argparse.Namespace) -> int:
    from toolkit.simulate.cli import run

    return run(args)


def _scenario(args: argparse.Namespace) -> int:
    from toolkit.scenario.cli import run

    return run(args)


def _template(args: argparse.Namespace) -> int:
    from toolkit.build import write_atomic
    from toolkit.deploy.organization import organization_template_yaml
    from toolkit.deploy.template import template_yaml

    text = organization_template_yaml() if args.organization else template_yaml()
    if args.out is None:
        sys.stdout.write(text)
    else:
        write_atomic(args.out, text)
        print(f"wrote {args.out}")
    return EXIT_OK


def _iam_policy(args: argparse.Namespace) -> int:
    """The policy of DOC's API steps, plus the calls of one simulated run when --param or --world is given."""
    import json

    from toolkit.deploy.iam import read_document, runbook_policy
    from toolkit.fakes.world import World
    from toolkit.simulate.params import from_text
    from toolkit.simulate.run import plan_of

    document = read_document(args.document)
    runs = []
    if args.param or args.world is not None:
        world = World.load(args.world) if args.world is not None else World.default()
        runs.append((world, from_text(plan_of(document).parameters, args.param)))
    print(json.dumps(runbook_policy(document, runs), indent=2))
    return EXIT_OK


def _publish(args: argparse.Namespace) -> int:
    import json

    from toolkit import publish

    if args.name is not None and len(args.documents) > 1:
        raise PublishError("--name names one document; several were given")
    endpoints: dict[str | None, str] = {}
    for value in args.endpoint_url:
        region, sep, url = value.partition("=")
        endpoints.update({region: url} if sep and "://" not in region else {None: value})
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

    def progress(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    outcomes = []
    for role in list(roles) or [None]:
        account = roles.get(role) if role is not None else None
        try:
            clients = publish.session_clients(regions, profile=args.profile, endpoints=endpoints, role_arn=role)
        except publish.RoleError as err:  # AssumeRole refused or unreachable: every region of that account failed
            failed = publish.failed_everywhere(documents, regions, err)
        else:
            failed = publish.publish(documents, clients, options, progress=progress if sys.stderr.isatty() else None)
        outcomes += [dataclasses.replace(outcome, account=account) for outcome in failed]
    if args.format == "json":
        print(json.dumps([outcome.to_dict() for outcome in outcomes], indent=2))
    else:
        for outcome in outcomes:
            sys.stdout.write(outcome.diff)
            dry = " (dry run: nothing written)" if args.dry_run and outcome.error is None else ""
            print(publish.describe(outcome) + dry)
    for outcome in outcomes:
        if outcome.error is not None:
            print(f"runbook: {publish.describe(outcome)}", file=sys.stderr)
    return EXIT_FAILED if any(outcome.error is not None for outcome in outcomes) else EXIT_OK
