"""Actions that drive other services: CloudFormation, Lambda, Step Functions, Run Command, webhooks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from toolkit.lazy_dataclass import lazy_dataclass
from toolkit.model.step import Step, action_input
from toolkit.model.values import Kind, Ref, Value
from toolkit.ssm.actions import BUILTIN_OUTPUTS

StrList = Sequence[str | Ref] | Ref
Text = str | Ref
MapList = Sequence[Value] | Ref
Map = Mapping[str, Value] | Ref


@lazy_dataclass
class CreateStack(Step):
    """aws:createStack: create a CloudFormation stack and wait for it."""

    ACTION = "aws:createStack"
    BUILTIN_OUTPUTS = BUILTIN_OUTPUTS[ACTION]

    stack_name: Text = action_input("StackName", Kind.STRING, required=True)
    capabilities: StrList | None = action_input("Capabilities", Kind.STRING_LIST)
    client_request_token: Text | None = action_input("ClientRequestToken", Kind.STRING)
    disable_rollback: bool | Ref | None = action_input("DisableRollback", Kind.BOOLEAN)
    notification_arns: StrList | None = action_input("NotificationARNs", Kind.STRING_LIST)
    on_stack_failure: Text | None = action_input("OnFailure", Kind.STRING)
    parameters: MapList | None = action_input("Parameters", Kind.MAP_LIST)
    resource_types: StrList | None = action_input("ResourceTypes", Kind.STRING_LIST)
    role_arn: Text | None = action_input("RoleARN", Kind.STRING)
    stack_policy_body: Text | None = action_input("StackPolicyBody", Kind.STRING)
    stack_policy_url: Text | None = action_input("StackPolicyURL", Kind.STRING)
    tags: MapList | None = action_input("Tags", Kind.MAP_LIST)
    template_body: Text | None = action_input("TemplateBody", Kind.STRING)
    template_url: Text | None = action_input("TemplateURL", Kind.STRING)
    timeout_in_minutes: int | Ref | None = action_input("TimeoutInMinutes", Kind.INTEGER)


@lazy_dataclass
class DeleteStack(Step):
    """aws:deleteStack: delete a CloudFormation stack and wait for it."""

    ACTION = "aws:deleteStack"

    stack_name: Text = action_input("StackName", Kind.STRING, required=True)
    client_request_token: Text | None = action_input("ClientRequestToken", Kind.STRING)
    role_arn: Text | None = action_input("RoleARN", Kind.STRING)
    retain_resources: StrList | None = action_input("RetainResources", Kind.STRING_LIST)


@lazy_dataclass
class InvokeLambdaFunction(Step):
    """aws:invokeLambdaFunction: invoke a Lambda function."""

    ACTION = "aws:invokeLambdaFunction"
    BUILTIN_OUTPUTS = BUILTIN_OUTPUTS[ACTION]

    function_name: Text = action_input("FunctionName", Kind.STRING, required=True)
    qualifier: Text | None = action_input("Qualifier", Kind.STRING)
    invocation_type: Text | None = action_input("InvocationType", Kind.STRING)
    log_type: Text | None = action_input("LogType", Kind.STRING)
    client_context: Text | None = action_input("ClientContext", Kind.STRING)
    payload: Text | None = action_input("Payload", Kind.STRING)
    input_payload: Map | None = action_input("InputPayload", Kind.STRING_MAP)


@lazy_dataclass
class ExecuteStateMachine(Step):
    """aws:executeStateMachine: start a Step Functions execution and wait for it."""

    ACTION = "aws:executeStateMachine"

    state_machine_arn: Text = action_input("stateMachineArn", Kind.STRING, required=True)
    execution_name: Text | None = action_input("name", Kind.STRING)
    input: Text | None = action_input("input", Kind.STRING)


@lazy_dataclass
class InvokeWebhook(Step):
    """aws:invokeWebhook: call an Automation webhook integration."""

    ACTION = "aws:invokeWebhook"
    BUILTIN_OUTPUTS = BUILTIN_OUTPUTS[ACTION]

    integration_name: Text = action_input("IntegrationName", Kind.STRING, required=True)
    body: Text | None = action_input("Body", Kind.STRING)


@lazy_dataclass
class RunCommand(Step):
    """aws:runCommand: run a Command document on managed instances."""

    ACTION = "aws:runCommand"
    BUILTIN_OUTPUTS = BUILTIN_OUTPUTS[ACTION]

    document_name: Text = action_input("DocumentName", Kind.STRING, required=True)
    instance_ids: StrList | None = action_input("InstanceIds", Kind.STRING_LIST)
    targets: MapList | None = action_input("Targets", Kind.MAP_LIST)
    parameters: Map | None = action_input("Parameters", Kind.STRING_MAP)
    cloud_watch_output_config: Map | None = action_input("CloudWatchOutputConfig", Kind.STRING_MAP)
    comment: Text | None = action_input("Comment", Kind.STRING)
    document_hash: Text | None = action_input("DocumentHash", Kind.STRING)
    document_hash_type: Text | None = action_input("DocumentHashType", Kind.STRING)
    document_version: Text | None = action_input("DocumentVersion", Kind.STRING)
    max_concurrency: Text | None = action_input("MaxConcurrency", Kind.STRING)
    max_errors: Text | None = action_input("MaxErrors", Kind.STRING)
    notification_config: Map | None = action_input("NotificationConfig", Kind.STRING_MAP)
    output_s3_bucket_name: Text | None = action_input("OutputS3BucketName", Kind.STRING)
    output_s3_key_prefix: Text | None = action_input("OutputS3KeyPrefix", Kind.STRING)
    service_role_arn: Text | None = action_input("ServiceRoleArn", Kind.STRING)
    command_timeout_seconds: int | Ref | None = action_input("TimeoutSeconds", Kind.INTEGER)
