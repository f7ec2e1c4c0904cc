"""Control flow (family 2): step names, jump targets, reachability, endless loops."""

from __future__ import annotations

from collections.abc import Iterator

from toolkit.lint.context import LintDocument, StepSite
from toolkit.lint.rule import Problem, Rule


class DuplicateStepName(Rule):
    """Two steps share a name.

    Step names are unique across the whole document, loop bodies included: references (``{{ Step.Output }}``)
    and jumps name steps, so AWS rejects a document in which two steps share one. Rename one of them.
    """

    id = "E2001"
    summary = "Two steps share a name"

    def check(self, doc: LintDocument) -> Iterator[Problem]:
        first: dict[str, StepSite] = {}
        for site in doc.steps:
            if site.name is None:
                continue
            if site.name in first:
                line = doc.source.positions.value((*first[site.name].path, "name"))[0]
                yield Problem((*site.path, "name"), f"step name {site.name} is already used by the step at line {line}")
            else:
                first[site.name] = site


class MissingJumpTarget(Rule):
    """A jump names a step that does not exist in the same step list.

    ``nextStep``, ``onFailure: step:X``, ``onCancel: step:X``, and an aws:branch step's ``NextStep`` and
    ``Default`` must name a step of the same step list: a step in mainSteps cannot jump into a loop's body, and a
    step in a loop's body cannot jump out of it. AWS rejects the document. Fix the name, or add the step.
    """

    id = "E2002"
    summary = "A jump names a step that does not exist in its step list"

    def check(self, doc: LintDocument) -> Iterator[Problem]:
        for steps in doc.step_lists.values():
            for step, jump in steps.problems():
                if jump.name is None:
                    continue  # a spelling AWS does not accept: the schema rule reports it
                elsewhere = doc.steps_by_name.get(jump.name)
                where = " (it is in another step list: jumps stay within a loop body or mainSteps)"
                detail = where if elsewhere is not None else ""
                yield Problem(
                    (*step.path, *jump.field), f"{step.label} jumps to {jump.name}, which is not a step{detail}"
                )


class UnreachableStep(Rule):
    """No path of the execution leads to this step.

    SSM starts at the first step and moves on by ``nextStep``, ``isEnd``, list order, branch choices,
    ``onFailure`` and ``onCancel``. A step none of these reaches never runs: it is dead code, often a typo in a
    jump or an ``isEnd`` set one step too early. Remove it or make a path lead to it.
    """

    id = "W2003"
    summary = "A step can never run"

    def check(self, doc: LintDocument) -> Iterator[Problem]:
        for scope in doc.scopes:
            sites = doc.scope_steps(scope)
            if not sites:
                continue
            graph = doc.flow(scope)
            reached = graph.reachable_from(0) | {0}
            for index, site in enumerate(sites):
                if index not in reached:
                    yield Problem((*site.path, "name") if site.name else site.path, f"{site.label} can never run")


class EndlessLoop(Rule):
    """Steps form a loop that only a failure can leave.

    When every way on from a group of steps leads back into the group (``nextStep`` jumps, branch choices,
    ``onFailure: step:X``), the execution repeats them until a step fails, is cancelled or the execution times out.
    Give the loop an exit: an aws:branch choice or Default that leads out, ``isEnd``, or use aws:loop with
    ``MaxIterations``.
    """

    id = "E2004"
    summary = "A loop with no way out"

    def check(self, doc: LintDocument) -> Iterator[Problem]:
        for scope in doc.scopes:
            sites = doc.scope_steps(scope)
            for group in doc.flow(scope).cycles_without_exit():
                names = ", ".join(sites[index].name or str(index + 1) for index in group)
                first = sites[group[0]]
                yield Problem(
                    (*first.path, "name") if first.name else first.path,
                    f"steps {names} loop with no way out but failure",
                )


class EndWithNextStep(Rule):
    """A step sets both ``isEnd: true`` and ``nextStep``.

    After a step succeeds SSM runs its ``nextStep`` when one is set, so ``isEnd`` has no effect: one of the two is
    a mistake. Decision: a warning, since AWS accepts the document; remove the one you did not mean.
    """

    id = "W2005"
    summary = "isEnd together with nextStep"

    def check(self, doc: LintDocument) -> Iterator[Problem]:
        for site in doc.steps:
            if site.data.get("isEnd") is True and isinstance(site.data.get("nextStep"), str):
                yield Problem((*site.path, "isEnd"), f"{site.label} sets isEnd and nextStep; nextStep wins", True)


RULES: tuple[type[Rule], ...] = (
    DuplicateStepName,
    MissingJumpTarget,
    UnreachableStep,
    EndlessLoop,
    EndWithNextStep,
)
