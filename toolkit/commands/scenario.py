"""``runbook scenario [FILE...] [--format text|json]``: reads every scenario first (exit 2, naming the file and
key, when one is invalid; nothing runs then), runs them, prints text or JSON; exit 0 when every scenario ends as
its ``expect`` says, 1 when one does not. No FILE: the project's scenarios folder (``toolkit.project``). JSON: one
scenario's report, or a list of them for several files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.commands.common import EXIT_FAILED, EXIT_OK

if TYPE_CHECKING:
    from collections.abc import Mapping

    from toolkit.commands.common import Commands
    from toolkit.fakes.world import World
    from toolkit.scenario.run import Report


def add_parser(commands: Commands) -> None:
    command = commands.add_parser("scenario", help="run AWS Config scenarios: evaluations, then remediations")
    command.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="a scenario file (YAML or JSON), or a folder (default: the project's scenarios folder: "
        "[tool.runbook] scenarios in pyproject.toml, else scenarios)",
    )
    command.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    command.set_defaults(run=run)


def files_of(paths: list[str]) -> list[Path]:
    """The scenario files named: files as given, folders as the YAML and JSON files directly inside them (their
    subfolders may hold world files)."""
    from toolkit.scenario.file import SUFFIXES, ScenarioError  # lazy: the scenario wing is paid only by this command

    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            inside = sorted(item for item in path.iterdir() if item.suffix in SUFFIXES and item.is_file())
            if not inside:
                raise ScenarioError("the folder holds no scenario files (*.yaml, *.yml, *.json)", file=name)
            found.extend(inside)
        elif not path.is_file():
            raise ScenarioError("no such scenario file", file=name)
        else:
            found.append(path)
    return found


def run(args: argparse.Namespace) -> int:
    """``runbook scenario [FILE...] [--format text|json]``: 0 every scenario ends as it expects, 1 one does not,
    2 a file is invalid (nothing is run then)."""
    import json  # lazy: json costs milliseconds at every command's start; only --format json needs it

    # lazy: the project's settings, the scenario wing, the fakes and the simulator are paid only by this command
    from toolkit.project import find_project, nearby
    from toolkit.scenario.file import load_scenario
    from toolkit.scenario.run import play

    named = args.files or [str(nearby(find_project().scenarios))]
    scenarios = [load_scenario(path, world_maker=world_from_template) for path in files_of(named)]
    reports = [play(scenario) for scenario in scenarios]
    if args.format == "json":
        data = [report.data for report in reports]
        sys.stdout.write(json.dumps(data[0] if len(data) == 1 else data, indent=2) + "\n")
    else:
        sys.stdout.write(text(reports))
    return EXIT_OK if all(report.expectations_met for report in reports) else EXIT_FAILED


def world_from_template(
    template: Path | str, *, params: Mapping[str, str], base: World, account: str | None, region: str | None
) -> World:
    """A scenario's ``template`` world (``toolkit.scenario.file.WorldMaker``): the stack's resources created in
    ``base`` by ``toolkit.deploy.instantiate``; ``template`` is a file or one of the toolkit's own templates."""
    # lazy: the deploy wing is paid only by scenarios that deploy a template
    from toolkit.deploy.instantiate import instantiate
    from toolkit.deploy.organization import organization_template
    from toolkit.deploy.template import template as account_template
    from toolkit.deploy.template_file import read_template

    if isinstance(template, Path):
        data = read_template(template)
    else:
        data = organization_template() if template == "organization" else account_template()
    return instantiate(data, params, base, account=account, region=region)


def text(reports: list[Report]) -> str:
    """Each scenario's timeline (evaluations only when the compliance changes, delivery when a trail stops or
    starts delivering) and its verdict: final compliance, exception, remediations, each trail's seconds off, the
    scheduled automations and notifications when there were any, and what was not as expected."""
    lines = []
    for report in reports:
        data = report.data
        lines.append(f"{data['file']}: {data['description']}" if data["description"] else data["file"])
        lines.extend(f"  {line}" for line in report.log)
        exception = "a remediation exception" if data["remediation_exception"] else "no remediation exception"
        verdict = "as expected" if report.expectations_met else "NOT AS EXPECTED"
        count = len(data["remediations"])
        plural = "" if count == 1 else "s"
        lines.append(f"  {data['final_compliance']}, {exception}, {count} remediation{plural}: {verdict}")
        if data["delivery"]:
            off = ", ".join(f"{name} {trail['off_seconds']} s" for name, trail in data["delivery"].items())
            lines.append(f"  delivery off: {off}")
        if data["scheduled"] or data["notifications"]:
            published = sum(1 for item in data["notifications"] if item["error"] is None)
            lines.append(
                f"  {_count(len(data['scheduled']), 'scheduled automation')}, "
                f"{_count(published, 'notification')} published"
            )
        lines.extend(f"    {item}" for item in data["unmet"])
    failed = sum(1 for report in reports if not report.expectations_met)
    lines.append(f"{len(reports)} scenarios: {len(reports) - failed} as expected, {failed} not")
    return "\n".join(lines) + "\n"


def _count(number: int, thing: str) -> str:
    return f"{number} {thing}{'' if number == 1 else 's'}"
