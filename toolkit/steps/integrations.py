"""Actions that drive other services: CloudFormation, Lambda, Step Functions, Run Command, webhooks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from toolkit.model.step import Step, inp
from toolkit.model.values import Kind, Ref, Value
from toolkit.ssm.actions import BUILTIN_OUTPUTS

StrList = Sequence[str | Ref] | Ref
Text = str | Ref
MapList = Sequence[Value] | Ref
Map = Mapping[str, Value] | Ref


@dataclass(frozen=True, kw_only=True)
class CreateStack(Step):
    """aws:createStack: create a CloudFormation stack and wait for it."""

    ACTION = "aws:createStack"
    BUILTIN_OUTPUTS = BUILTIN_OUTPUTS[ACTION]

    stack_name: Text = inp("StackName", Kind.STRING, required=True)
    capabilities: StrList | None = inp("Capabilities", Kind.STRING_LIST)
    client_request_token: Text | None = inp("ClientRequestToken", Kind.STRING)
    disable_rollback: bool | Ref | None = inp("DisableRollback", Kind.BOOLEAN)
    notification_arns: StrList | None = inp("NotificationARNs", Kind.STRING_LIST)
    on_stack_failure: Text | None = inp("OnFailure", Kind.STRING)
    parameters: MapList | None = inp("Parameters", Kind.MAP_LIST)
    resource_types: StrList | None = inp("ResourceTypes", Kind.STRING_LIST)
    role_arn: Text | None = inp("RoleARN", Kind.STRING)
    stack_policy_body: Text | None = inp("StackPolicyBody", Kind.STRING)
    stack_policy_url: Text | None = inp("StackPolicyURL", Kind.STRING)
    tags: MapList | None = inp("Tags", Kind.MAP_LIST)
    template_body: Text | None = inp("TemplateBody", Kind.STRING)
    template_url: Text | None = inp("TemplateURL", Kind.STRING)
    timeout_in_minutes: int | Ref | None = inp("TimeoutInMinutes", Kind.INTEGER)


@dataclass(frozen=True, kw_only=True)
class DeleteStack(Step):
    """aws:deleteStack: delete a CloudFormation stack and wait for it."""

    ACTION = "aws:deleteStack"

    stack_name: Text = inp("StackName", Kind.STRING, required=True)
    client_request_token: Text | None = inp("ClientRequestToken", Kind.STRING)
    role_arn: Text | None = inp("RoleARN", Kind.STRING)
    retain_resources: StrList | None = inp("RetainResources", Kind.STRING_LIST)


@dataclass(frozen=True, kw_only=True)
class InvokeLambdaFunction(Step):
    """aws:invokeLambdaFunction: invoke a Lambda function."""

    ACTION = "aws:invokeLambdaFunction"
    BUILTIN_OUTPUTS = BUILTIN_OUTPUTS[ACTION]

    function_name: Text = inp("FunctionName", Kind.STRING, required=True)
    qualifier: Text | None = inp("Qualifier", Kind.STRING)
    invocation_type: Text | None = inp("InvocationType", Kind.STRING)
    log_type: Text | None = inp("LogType", Kind.STRING)
    client_context: Text | None = inp("ClientContext", Kind.STRING)
    payload: Text | None = inp("Payload", Kind.STRING)
    input_payload: Map | None = inp("InputPayload", Kind.STRING_MAP)


@dataclass(frozen=True, kw_only=True)
class ExecuteStateMachine(Step):
    """aws:executeStateMachine: start a Step Functions execution and wait for it."""

    ACTION = "aws:executeStateMachine"

    state_machine_arn: Text = inp("stateMachineArn", Kind.STRING, required=True)
    execution_name: Text | None = inp("name", Kind.STRING)
    input: Text | None = inp("input", Kind.STRING)


@dataclass(frozen=True, kw_only=True)
class InvokeWebhook(Step):
    """aws:invokeWebhook: call an Automation webhook integration."""

    ACTION = "aws:invokeWebhook"
    BUILTIN_OUTPUTS = BUILTIN_OUTPUTS[ACTION]

    integration_name: Text = inp("IntegrationName", Kind.STRING, required=True)
    body: Text | None = inp("Body", Kind.STRING)


@dataclass(frozen=True, kw_only=True)
class RunCommand(Step):
    """aws:runCommand: run a Command document on managed instances."""

    ACTION = "aws:runCommand"
    BUILTIN_OUTPUTS = BUILTIN_OUTPUTS[ACTION]

    document_name: Text = inp("DocumentName", Kind.STRING, required=True)
    instance_ids: StrList | None = inp("InstanceIds", Kind.STRING_LIST)
    targets: MapList | None = inp("Targets", Kind.MAP_LIST)
    parameters: Map | None = inp("Parameters", Kind.STRING_MAP)
    cloud_watch_output_config: Map | None = inp("CloudWatchOutputConfig", Kind.STRING_MAP)
    comment: Text | None = inp("Comment", Kind.STRING)
    document_hash: Text | None = inp("DocumentHash", Kind.STRING)
    document_hash_type: Text | None = inp("DocumentHashType", Kind.STRING)
    document_version: Text | None = inp("DocumentVersion", Kind.STRING)
    max_concurrency: Text | None = inp("MaxConcurrency", Kind.STRING)
    max_errors: Text | None = inp("MaxErrors", Kind.STRING)
    notification_config: Map | None = inp("NotificationConfig", Kind.STRING_MAP)
    output_s3_bucket_name: Text | None = inp("OutputS3BucketName", Kind.STRING)
    output_s3_key_prefix: Text | None = inp("OutputS3KeyPrefix", Kind.STRING)
    service_role_arn: Text | None = inp("ServiceRoleArn", Kind.STRING)
    command_timeout_seconds: int | Ref | None = inp("TimeoutSeconds", Kind.INTEGER)
