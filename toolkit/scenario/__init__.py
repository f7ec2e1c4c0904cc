"""``runbook scenario``: the AWS Config loop above the fake world and the simulator.

A scenario file (YAML or JSON) holds a world, a Config rule, a remediation configuration, a timeline of events, how
long to run and what it expects::

    description: Logging stopped at t=0 is turned back on by automatic remediation.
    world: worlds/logging.yaml        # a world file (relative to the scenario), or the world inline; absent: default
    rule: {ConfigRuleName: cloudtrail-enabled, MaximumExecutionFrequency: One_Hour}   # InputParameters optional
    remediation: {ConfigRuleName: cloudtrail-enabled, TargetType: SSM_DOCUMENT,
                  TargetId: my-runbook, Automatic: true, Parameters: {...}}
    events:
      - {at: 0, call: {service: cloudtrail, operation: StopLogging, params: {Name: main}}}
      - {at: 600, config: DeleteRemediationExceptions}      # or StartRemediationExecution (manual)
      - {at: 900, call: {service: cloudtrail, operation: DeleteTrail, params: {Name: main}},
         as: "arn:aws:iam::123456789012:role/ReadOnly",     # who calls (default: the world's Caller)
         expect_error: AccessDeniedException}                # the call must fail with this code
    duration: 7200                    # seconds
    evaluate_after_events: true       # default; false keeps AWS's managed rules' periodic-only timing (§2)
    expect: {final_compliance: COMPLIANT, remediation_exception: false, remediations: [SUCCEEDED],
             trails: {main: {IsLogging: true}}}           # remediations and trails are optional

The remediation's TargetId is a project runbook name or a document file (relative to the scenario). The run:
periodic evaluations every MaximumExecutionFrequency from t=0, and one after each event when
``evaluate_after_events``; a NON_COMPLIANT evaluation starts an automatic remediation at once (unless one is
pending or a RemediationException stops it); each execution runs through ``toolkit.simulate`` in the scenario's
current world, whose ``result.world`` carries on; then the rule is evaluated again (that evaluation starts no
remediation: the next periodic or event evaluation does). Failed automatic attempts are retried and counted as
``toolkit.fakes.config.RemediationHistory`` says. At one instant events come first (in file order), then
evaluations, then remediations. Times are seconds from the start; executions themselves take no scenario time.

Config passes parameters as lists of text; they reach the runbook read per its declared types, as SSM reads them.

The loop keeps AWS Config's state in the scenario's world, where the fake config API reads and writes it
(``toolkit.fakes.config.state``): the rule and the remediation configuration are put there at the start, each
evaluation, RemediationException and remediation execution status is recorded there, and the event
``config: DeleteRemediationExceptions`` is the API's DeleteRemediationExceptions. So an event calling the config API
(``call: {service: config, ...}``) acts on the loop's own state, and the final ``world`` holds it.

``play(load_scenario(path))`` gives a ``Report``; its ``data`` (``runbook scenario --format json``) holds ``events``,
``evaluations`` (time, trigger, rule, resource, compliance, annotation), ``remediations`` (time, automatic, attempt,
status SUCCEEDED/FAILED, message, the parameters Config passed, and ``execution``: the simulate JSON, or null when
Config could not start it), ``remediation_exceptions`` (as DescribeRemediationExceptions shows them, with the time
and when deleted), ``remediation_exception`` (Config recorded one), ``final_compliance`` (the last evaluation's),
``expectations_met`` and ``unmet`` (what differed), and the final ``world``. Modules: ``file`` (reading and checking
scenario files), ``run`` (the loop), ``cli`` (the command).
"""

from __future__ import annotations

from toolkit.scenario.file import Scenario, ScenarioError, load_scenario
from toolkit.scenario.run import Report, play

__all__ = ["Report", "Scenario", "ScenarioError", "load_scenario", "play"]
