"""``runbook scenario``: the AWS Config loop above the fake world and the simulator.

A scenario file (YAML or JSON) holds a world, the Config rules to run (its own, or the world's), a timeline of
events, how long to run and what it expects::

    description: Logging stopped at t=0 is turned back on by automatic remediation.
    world: worlds/logging.yaml        # a world file (relative to the scenario), or the world inline; absent: default
    template: {file: ../build/pattern.yaml, params: {TrailName: main}, account: "123456789012", region: us-east-1}
                                      # optional: the world a CloudFormation template deploys on top of ``world``;
                                      # {pattern: account|organization, ...}: the toolkit's own template, as
                                      # ``runbook template [--organization]`` writes it
    rule: {ConfigRuleName: cloudtrail-enabled, MaximumExecutionFrequency: One_Hour}   # optional (below)
    remediation: {ConfigRuleName: cloudtrail-enabled, TargetType: SSM_DOCUMENT,        # optional (below)
                  TargetId: my-runbook, Automatic: true, Parameters: {...}}
    events:
      - {at: 0, call: {service: cloudtrail, operation: StopLogging, params: {Name: main}}}
      - {at: 600, config: DeleteRemediationExceptions}      # or StartRemediationExecution (manual)
      - {at: 700, config: StartRemediationExecution, rule: multi-region-cloudtrail-enabled}
                                      # ``rule``: which rule a config call is about (required with several rules)
      - {at: 800, call: {service: events, operation: DisableRule, params: {Name: remediation-failed}}}
      - {at: 900, call: {service: cloudtrail, operation: DeleteTrail, params: {Name: main}},
         as: "arn:aws:iam::123456789012:role/ReadOnly",     # who calls (default: the world's Caller)
         expect_error: AccessDeniedException}                # the call must fail with this code
    duration: 7200                    # seconds
    evaluate_after_events: true       # default; false keeps AWS's managed rules' periodic-only timing (§2)
    expect: {final_compliance: COMPLIANT, remediation_exception: false, remediations: [SUCCEEDED],
             trails: {main: {IsLogging: true}},                                # everything below is optional
             rules: {multi-region-cloudtrail-enabled: {final_compliance: COMPLIANT, remediation_exception: false,
                                                       remediations: [SUCCEEDED]}},
             delivery_off_at_most: 600,           # or per trail: {main: 600, audit: 0}
             notified: true, notifications: 5,    # at least one / exactly N published to SNS
             scheduled: [SUCCEEDED, SUCCEEDED]}   # the scheduled automations' statuses

Event calls go to the services the fakes model, and to EventBridge (``events``, owned by moto: its rules are the
loop's schedules and alarms), each operation checked against botocore's model.

Rules. Without ``rule``, the loop runs every Config rule of the world's own account in its Region
(``world.config``: the world file's ``ConfigRules``, or what a template put there), by name, each with the
world's remediation configuration for it, if any. With ``rule``, it runs that rule alone, put into the world (a rule
of the same name replaced), with ``remediation`` if given, else the world's remediation configuration for it. A
``remediation`` given without ``rule`` is put into the world for the world's rule it names. A scenario whose world
holds no rule must give one.

Documents. The remediation's TargetId is a document file beside the scenario, a document the world's Systems
Manager holds in its account and Region (found at each start at its TargetVersion, else its default version then,
so a change of the default version steers later remediations), or a project runbook (``toolkit.scenario.runner``).

The run: each rule's periodic evaluations every MaximumExecutionFrequency from t=0, and one of every rule after each
event (and each scheduled automation) when ``evaluate_after_events``; a NON_COMPLIANT evaluation starts an automatic
remediation of that resource at once (unless one is pending or a RemediationException stops it); each execution
runs through ``toolkit.simulate`` in the scenario's current world, whose ``result.world`` carries on; then the rule is
evaluated again (that evaluation starts no remediation: the next periodic or event evaluation does). Failed
automatic attempts are retried and counted, per rule and resource, as ``toolkit.fakes.config.RemediationHistory``
says. At one instant events come first (in file order), then scheduled automations, then evaluations (rules by
name), then remediations. Times are seconds from the start; executions themselves take no scenario time.

Config passes parameters as lists of text; they reach the runbook read per its declared types, as SSM reads them.

The loop keeps AWS Config's state in the scenario's world, where the fake config API reads and writes it
(``toolkit.fakes.config.state``): the rules and remediation configurations are there, each evaluation,
RemediationException and remediation execution status is recorded there, and the event
``config: DeleteRemediationExceptions`` is the API's DeleteRemediationExceptions (for the rule's resources that have
one, else the account). So an event calling the config API (``call: {service: config, ...}``) acts on the loop's
own state, and the final ``world`` holds it.

EventBridge (``toolkit.scenario.alarms``). The loop reads the EventBridge rules of its account and Region on the
default bus through the world's backend (ListRules, ListTargetsByRule), once at the start and again only when an
EventBridge call has been made since (a world without any is never asked).

- A scheduled rule (``ScheduleExpression: rate(N minutes|hours|days)``, enabled) starts each of its automation
  definition targets (``arn:...:ssm:REGION:ACCOUNT:automation-definition/NAME:VERSION``) one period after the rule
  is first seen (the start, for the world's rules) and every period after: EventBridge assumes the target's RoleArn
  (which must exist and trust events.amazonaws.com with aws:SourceArn the rule's ARN and aws:SourceAccount its
  account), and the automation starts as a session of that role, with the target's Input (a JSON object of lists of
  text) as its parameters; StartAutomationExecution's checks (ssm:StartAutomationExecution, iam:PassRole of the
  AutomationAssumeRole) then apply to that role. A rule disabled, deleted or rescheduled by a call during the
  scenario stops, or starts again one period after. A cron() schedule stops the run with an error naming the rule.
  Other targets of scheduled rules are not invoked.
- Every automation execution the loop runs (remediations and scheduled ones; not their children) sends, as it ends,
  AWS's "EC2 Automation Execution Status-change Notification" event (source aws.ssm; detail ExecutionId,
  Definition, DefinitionVersion, Status, StartTime, EndTime, Time, ExecutedBy; executions take no time, so Start and
  End are the instant and Time 0). Each enabled rule with an EventPattern is asked whether it matches, with
  TestEventPattern through the backend; each SNS topic target of a matching rule gets a Publish of the event (its
  Input, InputPath or InputTransformer applied; ``$`` and ``$.a.b`` paths) as events.amazonaws.com: the topic's
  policy must allow that service SNS:Publish with aws:SourceArn the rule's ARN, else the notification fails with
  AuthorizationError and nothing is published. Other targets of matching rules are not invoked. A start SSM refuses
  (StartAutomationExecution's checks, a missing document) or Config cannot make (no AutomationAssumeRole) is no
  execution and sends nothing.
- Giving up is loud through those events: Config's RemediationException itself sends no event (AWS Config publishes
  none for it), but each failed automatic attempt is a failed execution whose event a rule on Status
  Failed/TimedOut/Cancelled catches, the last one at the instant the exception is recorded. Attempts Config cannot
  start send nothing, so they give up silently.

Delivery (``toolkit.scenario.delivery``). For each trail of the world at the start, and each trail ``expect`` names,
the report gives how long it was not delivering: absent, not logging, or GetTrailStatus (through the world's
backend) reporting a LatestDeliveryError. The loop looks after everything it does, every five minutes in between
(CloudTrail delivers every five minutes, so a delivery error shows at the attempt that meets it) and at the end;
what it sees at one look holds until the next, so a trail stopped and remediated at one instant was off for 0
seconds, in an interval from that instant to itself. ``delivery_off_at_most`` bounds each trail's total (a
number: every trail reported; a mapping: the trails it names).

``play(load_scenario(path))`` gives a ``Report``; its ``data`` (``runbook scenario --format json``) holds ``events``,
``evaluations`` (time, trigger, rule, resource, compliance, annotation), ``remediations`` (time, rule, automatic,
attempt, status SUCCEEDED/FAILED, message, the parameters Config passed, and ``execution``: the simulate JSON, its
``status`` null when SSM refused the start, or null when Config could not start it), ``remediation_exceptions`` (as
DescribeRemediationExceptions shows them, with the time and when deleted), ``remediation_exception`` (Config
recorded one), ``final_compliance``, ``rule`` and ``remediation_configuration`` (the one rule's, null when the loop
runs several), ``rules`` (per rule: ``rule``, ``remediation_configuration``, ``final_compliance``,
``remediation_exception`` and the ``remediations``' statuses), ``scheduled`` (time, rule, target, role, status,
message, parameters, execution), ``notifications`` (time, event (the event's detail-type: an automation's status
change, or a Config rule's compliance change, its first result included), rule, topic, subject (null: EventBridge
sets none),
message, ``error`` null when SNS accepted it), ``delivery`` (per trail: ``off_seconds`` and ``intervals`` of
``from``, ``to``, ``reason``), ``expectations_met`` and ``unmet`` (what differed), and the final ``world``.

With one rule every key means what it always has. With several, ``final_compliance`` is NON_COMPLIANT when a rule's
is, else COMPLIANT when one's is (likewise a rule's over its resources), ``remediation_exception`` is true when any
rule's is, and ``remediations`` lists every rule's in time order; ``expect``'s ``final_compliance``,
``remediation_exception`` and ``remediations`` compare with those, and are required unless ``expect.rules`` is given.

Modules: ``file`` (reading and checking scenario files; ``load_scenario(path, world_maker=...)`` takes the maker of
a ``template``'s world, which the scenario room may not import: ``toolkit.deploy`` is on its floor), ``expect``
(expectations), ``run`` (the loop), ``rules`` (one Config rule in it), ``runner`` (starting automations),
``alarms`` (EventBridge), ``delivery`` (delivery off time).
"""

from __future__ import annotations

from toolkit.scenario.file import Scenario, ScenarioError, WorldMaker, load_scenario
from toolkit.scenario.run import Report, play

__all__ = ["Report", "Scenario", "ScenarioError", "WorldMaker", "load_scenario", "play"]
