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
from typing import TYPE_CHECKING

from toolkit.errors import LintError, PublishError, ToolkitError

if TYPE_CHECKING:
    from toolkit.publish import Outcome
    from toolkit.term import Palette

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_UNUSABLE = 2
RULE_PREFIX = re.compile(r"\A[EWI][0-9]{0,4}\Z")
COLOR_MODES = ("auto", "always", "never")  # toolkit.term.use_color: auto follows the terminal and NO_COLOR


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_UNUSABLE, f"runbook: {message}\n")


def parser() -> argparse.ArgumentParser:
    root = _Parser(prog="runbook", description="Author, lint, simulate, publish and deploy SSM Automation runbooks.")
    commands = root.add_subparsers(dest="command", required=True, parser_class=_Parser)
    build = commands.add_parser("build", help="build runbooks into YAML and JSON documents")
    build.add_argument("runbooks", nargs="*", metavar="RUNBOOK", help="document name or module path (default: all)")
    build.add_argument("--out", default="build", type=Path, metavar="DIR", help="output folder (default: build)")
    imp = commands.add_parser("import", help="turn an Automation document into a runbook module of typed Python")
    imp.add_argument("documents", nargs="+", type=Path, metavar="DOC", help="a document (YAML or JSON) or a folder")
    imp.add_argument("--out", type=Path, metavar="PATH", help="the module (one DOC) or folder (default: runbooks/)")
    imp.add_argument("--force", action="store_true", help="replace the module and its scripts if they exist")
    lint = commands.add_parser("lint", help="lint Automation documents (files, folders or runbook names)")
    lint.add_argument("paths", nargs="+", metavar="PATH", help="a document file, a folder, or a runbook name")
    lint.add_argument("--format", choices=("text", "json", "sarif"), default="text", help="output format")
    lint.add_argument("--select", action="append", default=[], metavar="IDS", help="only rules with these id prefixes")
    lint.add_argument("--ignore", action="append", default=[], metavar="IDS", help="skip rules with these id prefixes")
    lint.add_argument("--config", type=Path, metavar="FILE", help="pyproject.toml to read (default: nearest)")
    lint.add_argument("--color", choices=COLOR_MODES, default="auto", help="colour and progress (default: auto)")
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
    pub.add_argument("--color", choices=COLOR_MODES, default="auto", help="colour and progress (default: auto)")
    tpl = commands.add_parser("template", help="write the CloudFormation template of the whole pattern")
    tpl.add_argument("--out", type=Path, metavar="FILE", help="write it here (default: print it)")
    tpl.add_argument("--organization", action="store_true", help="the management account's variant (StackSet and SCP)")
    iam = commands.add_parser("iam-policy", help="print a least-privilege IAM policy for a runbook")
    iam.add_argument("document", metavar="DOC", help="a document file or a runbook name")
    iam.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="simulate with this parameter")
    iam.add_argument("--world", type=Path, metavar="FILE", help="simulate in this world (default: the default world)")
    docs = commands.add_parser("docs", help="write a runbook's Markdown page: parameters, outputs, steps, IAM, graph")
    which = docs.add_mutually_exclusive_group(required=True)
    which.add_argument("document", nargs="?", metavar="DOC_OR_RUNBOOK", help="a document file or a runbook name")
    which.add_argument("--all", action="store_true", help="a page for every runbook in runbooks/")
    docs.add_argument("--out", type=Path, metavar="PATH", help="the file (default: print); --all: the folder")
    graph = commands.add_parser("graph", help="draw a document's step graph: Mermaid, DOT, SVG or PNG")
    graph.add_argument("document", metavar="DOC_OR_RUNBOOK", help="a document file or a runbook name")
    graph.add_argument("--format", choices=("mermaid", "dot", "svg", "png"), default="mermaid", help="output format")
    graph.add_argument("--out", type=Path, metavar="FILE", help="write it here (default: print it)")
    graph.add_argument("--trace", metavar="SIMULATE_JSON", help="overlay a run: simulate's JSON (- for stdin)")
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
        if args.command == "import":
            return _import(args)
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
        if args.command == "docs":
            return _docs(args)
        if args.command == "graph":
            return _graph(args)
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


def _import(args: argparse.Namespace) -> int:
    from toolkit.importer.files import import_documents

    for imported in import_documents(args.documents, args.out, force=args.force):
        scripts = f" and {len(imported.scripts)} script(s) in {imported.scripts[0].parent}" if imported.scripts else ""
        print(f"imported {imported.source} -> {imported.module}{scripts}")
        if not imported.checked:
            print(f"  note: a plain Document, as it does not pass the definition checks: {imported.problem}")
    return EXIT_OK


def _lint(args: argparse.Namespace) -> int:
    from toolkit.lint.config import find_config, load_config
    from toolkit.lint.engine import Linter
    from toolkit.lint.formatters import FORMATTERS, text
    from toolkit.term import Progress, can_redraw, use_color

    config_file = args.config if args.config is not None else find_config(Path.cwd())
    if args.config is not None and not args.config.is_file():
        raise LintError(f"{args.config}: no such configuration file")
    config = load_config(config_file).with_options(select=_ids(args.select), ignore=_ids(args.ignore))
    linter = Linter(config)
    shown = args.format == "text" and args.color != "never" and can_redraw(sys.stderr)
    with Progress("linting", sys.stderr, enabled=shown) as progress:
        report = linter.lint(args.paths, progress=progress.update if shown else None)
    if args.format == "text":
        sys.stdout.write(text(report, linter.rules, color=use_color(args.color, sys.stdout)))
    else:
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
    from toolkit.deploy.organization import organization_template_yaml
    from toolkit.deploy.template import template_yaml

    return print_or_write(organization_template_yaml() if args.organization else template_yaml(), args.out)


def print_or_write(content: str | bytes, out: Path | None) -> int:
    """Print ``content`` (bytes as they are), or write it to ``out`` atomically and say so."""
    from toolkit.build import write_atomic

    if out is None:
        if isinstance(content, bytes):
            sys.stdout.buffer.write(content)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(content)
    else:
        write_atomic(out, content)
        print(f"wrote {out}")
    return EXIT_OK


def _docs(args: argparse.Namespace) -> int:
    """One page, printed or written to --out; or with --all, every runbook's page into --out (docs/runbooks)."""
    from toolkit import docs

    if args.all:
        for path in docs.write_all(args.out if args.out is not None else Path(docs.DOCS_DIR)):
            print(f"wrote {path}")
        return EXIT_OK
    from toolkit.build import load_document_or_runbook

    return print_or_write(docs.page(load_document_or_runbook(args.document)), args.out)


def _graph(args: argparse.Namespace) -> int:
    from toolkit.graph.cli import run

    return run(args)


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
    from toolkit.term import Palette, Progress, can_redraw, use_color

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
            print(_outcome_line(outcome, paint, dry_run=args.dry_run))
    for outcome in outcomes:
        if outcome.error is not None:
            print(f"runbook: {publish.describe(outcome)}", file=sys.stderr)
    return EXIT_FAILED if any(outcome.error is not None for outcome in outcomes) else EXIT_OK


_OUTCOME_STYLES = {"created": "green", "updated": "green", "unchanged": "dim", "rolled-back": "yellow", "failed": "red"}


def _outcome_line(outcome: Outcome, paint: Palette, *, dry_run: bool = False) -> str:
    """publish.describe's line for one (document, region), its action word coloured when ``paint`` is on."""
    from toolkit.publish import describe

    line = describe(outcome)
    head = (f"{outcome.account}: " if outcome.account is not None else "") + f"{outcome.region}: {outcome.name}: "
    if line.startswith(head + outcome.action) and outcome.action in _OUTCOME_STYLES:
        word = paint.style(outcome.action, _OUTCOME_STYLES[outcome.action])
        line = head + word + line[len(head) + len(outcome.action) :]
    return line + (" (dry run: nothing written)" if dry_run and outcome.error is None else "")
