"""The fake Systems Manager's document and automation operations, on the state in ``toolkit.fakes.ssm``
(``toolkit.fakes.services.ssm`` puts them in the service's ``OPERATIONS``).

Documents: CreateDocument, GetDocument (DocumentVersion, VersionName, DocumentFormat), DescribeDocument,
UpdateDocument (a new version; DuplicateDocumentContent, DuplicateDocumentVersionName), UpdateDocumentDefaultVersion,
ListDocuments (Filters or DocumentFilterList, pages), ListDocumentVersions, DeleteDocument (all versions, or one
that is not the default). Content is JSON or YAML text (TEXT is kept as it is); its schemaVersion is checked
against the document type. Only the account's own documents exist: AWS-owned ones (``AWS-*``) are not held, so
``Owner: Amazon`` lists nothing.

Automation: StartAutomationExecution records a Pending execution with a deterministic id (the document and version
must exist, be an Automation document, and the parameters must be declared and the required ones given);
GetAutomationExecution and DescribeAutomationExecutions read what is recorded. Running an execution is the
simulator's (``toolkit.fakes.ssm.executions``). Rate control and multi-account or multi-Region targets fail loudly.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from toolkit.fakes.backend import FakeBackend, Operation
from toolkit.fakes.errors import AwsError
from toolkit.fakes.requests import invalid, opt_int, opt_str, req_str, struct_list
from toolkit.fakes.services.paging import page
from toolkit.fakes.ssm import AutomationExecution, Document, DocumentVersion
from toolkit.fakes.ssm.documents import DOCUMENT_TYPES, ContentError, document_name_problem, parse_content
from toolkit.fakes.ssm.executions import next_execution_id, record_execution
from toolkit.fakes.ssm.parameters import tag_list
from toolkit.ssm.limits import MAX_DOCUMENT_VERSIONS, MAX_DOCUMENTS_PAGE
from toolkit.ssm.names import VERSION_NAME
from toolkit.ssm.types import DOCUMENT_FORMATS

PLATFORM_TYPES = ["Windows", "Linux", "MacOS"]
"""What DescribeDocument reports for an Automation document's platforms (it runs in the cloud, for any)."""


def no_document() -> AwsError:
    return AwsError("InvalidDocument", "The specified document does not exist.")


def no_version() -> AwsError:
    return AwsError("InvalidDocumentVersion", "The document version is not valid or does not exist.")


def not_modeled(what: str) -> AwsError:
    return AwsError("NotModeledByFakeWorld", f"the fake AWS world does not model {what}", status=501)


def document_named(backend: FakeBackend, text: str) -> Document | None:
    """The document ``text`` names in this region: its name, or its ARN in this account and region."""
    name = text
    if text.startswith("arn:"):
        parts = text.split(":", 5)
        if len(parts) != 6 or (parts[1], parts[3], parts[4]) != (backend.partition, backend.region, backend.account):
            return None
        name = parts[5].removeprefix("document/")
    return backend.world.ssm.documents.get((backend.region, name))


def _content(content: str, document_format: str, document_type: str) -> dict[str, Any] | None:
    try:
        return parse_content(content, document_format, document_type)
    except ContentError as err:
        raise AwsError(err.code, err.reason) from err


def _format(params: dict[str, Any], default: str = "JSON") -> str:
    document_format = opt_str(params, "DocumentFormat") or default
    if document_format not in DOCUMENT_FORMATS:
        raise invalid("documentFormat", f"Member must satisfy enum value set: [{', '.join(DOCUMENT_FORMATS)}]")
    return document_format


def _version_name(params: dict[str, Any]) -> str | None:
    name = opt_str(params, "VersionName")
    if name is not None and not VERSION_NAME.fullmatch(name):
        raise invalid("versionName", f"Member must satisfy regular expression pattern: {VERSION_NAME.pattern}")
    return name


def _unmodelled_inputs(params: dict[str, Any], *members: str) -> None:
    for member in members:
        if params.get(member):
            raise not_modeled(f"documents with {member}")


def describe(backend: FakeBackend, document: Document, version: DocumentVersion) -> dict[str, Any]:
    """A version as DocumentDescription."""
    data = parse_content(version.content, version.format, document.document_type) or {}
    shape: dict[str, Any] = {
        "Hash": version.hash,
        "HashType": "Sha256",
        "Name": document.name,
    }
    if document.display_name is not None:
        shape["DisplayName"] = document.display_name
    if version.version_name is not None:
        shape["VersionName"] = version.version_name
    shape.update(
        {
            "Owner": backend.account,
            "CreatedDate": version.created,
            "Status": "Active",
            "DocumentVersion": str(version.version),
        }
    )
    if isinstance(data.get("description"), str):
        shape["Description"] = data["description"]
    parameters = _parameters(data.get("parameters"))
    if parameters:
        shape["Parameters"] = parameters
    shape.update(
        {
            "PlatformTypes": list(PLATFORM_TYPES),
            "DocumentType": document.document_type,
            "SchemaVersion": str(data.get("schemaVersion", "")),
            "LatestVersion": str(document.latest.version),
            "DefaultVersion": str(document.default_version),
            "DocumentFormat": version.format,
        }
    )
    if document.target_type is not None:
        shape["TargetType"] = document.target_type
    shape["Tags"] = tag_list(document.tags)
    return shape


def _parameters(declared: object) -> list[dict[str, Any]]:
    if not isinstance(declared, dict):
        return []
    listed = []
    for name, spec in declared.items():
        spec = spec if isinstance(spec, dict) else {}
        entry: dict[str, Any] = {"Name": name, "Type": str(spec.get("type", "String"))}
        if isinstance(spec.get("description"), str):
            entry["Description"] = spec["description"]
        if "default" in spec:
            default = spec["default"]
            entry["DefaultValue"] = default if isinstance(default, str) else json.dumps(default)
        listed.append(entry)
    return listed


# -- documents ---------------------------------------------------------------------------------------------------


def create_document(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    content = req_str(params, "Content")
    name = req_str(params, "Name")
    _unmodelled_inputs(params, "Attachments", "Requires")
    document_type = opt_str(params, "DocumentType") or "Command"
    if document_type not in DOCUMENT_TYPES:
        raise invalid("documentType", f"Member must satisfy enum value set: [{', '.join(DOCUMENT_TYPES)}]")
    document_format = _format(params)
    version_name = _version_name(params)
    problem = document_name_problem(name)
    if problem is not None:
        raise AwsError("ValidationException", problem)
    if (backend.region, name) in backend.world.ssm.documents:
        raise AwsError("DocumentAlreadyExists", "The specified document already exists.")
    _content(content, document_format, document_type)
    version = DocumentVersion(1, content, document_format, backend.now(), version_name)
    tags = {str(tag.get("Key")): str(tag.get("Value")) for tag in struct_list(params, "Tags") or []}
    document = Document(
        name=name,
        region=backend.region,
        document_type=document_type,
        versions=(version,),
        target_type=opt_str(params, "TargetType"),
        display_name=opt_str(params, "DisplayName"),
        tags=tags,
    )
    backend.world.ssm.documents[(backend.region, name)] = document
    return {"DocumentDescription": describe(backend, document, version)}


def _found(backend: FakeBackend, params: dict[str, Any]) -> tuple[Document, DocumentVersion]:
    document = document_named(backend, req_str(params, "Name"))
    if document is None:
        raise no_document()
    version = document.find(opt_str(params, "DocumentVersion"), opt_str(params, "VersionName"))
    if version is None:
        raise no_version()
    return document, version


def describe_document(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    document, version = _found(backend, params)
    return {"Document": describe(backend, document, version)}


def get_document(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    document, version = _found(backend, params)
    wanted = _format(params)  # JSON unless asked otherwise, whatever the version's own format
    content = version.content
    if wanted != version.format:
        if "TEXT" in (wanted, version.format):
            raise AwsError("ValidationException", f"A {version.format} document can't be returned as {wanted}.")
        data = parse_content(version.content, version.format, document.document_type) or {}
        if wanted == "JSON":
            content = json.dumps(data)
        else:
            from toolkit.render import to_yaml_text  # lazy: only a conversion to YAML loads the renderer

            content = to_yaml_text(data)
    shape: dict[str, Any] = {"Name": document.name, "CreatedDate": version.created}
    if document.display_name is not None:
        shape["DisplayName"] = document.display_name
    if version.version_name is not None:
        shape["VersionName"] = version.version_name
    shape.update(
        {
            "DocumentVersion": str(version.version),
            "Status": "Active",
            "Content": content,
            "DocumentType": document.document_type,
            "DocumentFormat": wanted,
        }
    )
    return shape


def update_document(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    content = req_str(params, "Content")
    document = document_named(backend, req_str(params, "Name"))
    _unmodelled_inputs(params, "Attachments")
    document_format = _format(params)
    version_name = _version_name(params)
    if document is None:
        raise no_document()
    requested = opt_str(params, "DocumentVersion") or "$LATEST"
    if requested not in ("$LATEST", str(document.latest.version)):
        raise no_version()
    if version_name is not None and document.named(version_name) is not None:
        raise AwsError("DuplicateDocumentVersionName", "The specified version name is a duplicate.")
    if any(version.content == content for version in document.versions):
        raise AwsError(
            "DuplicateDocumentContent",
            "The content of the association document matches another document. Change the content of the document "
            "and try again.",
        )
    if len(document.versions) >= MAX_DOCUMENT_VERSIONS:
        raise AwsError(
            "DocumentVersionLimitExceeded",
            f"The document has too many versions (at most {MAX_DOCUMENT_VERSIONS}). Delete one or more document "
            "versions and try again.",
        )
    _content(content, document_format, document.document_type)
    version = DocumentVersion(document.latest.version + 1, content, document_format, backend.now(), version_name)
    changed = document.clone()
    changed.versions = (*document.versions, version)
    if opt_str(params, "TargetType") is not None:
        changed.target_type = opt_str(params, "TargetType")
    if opt_str(params, "DisplayName") is not None:
        changed.display_name = opt_str(params, "DisplayName")
    backend.world.ssm.documents[(backend.region, document.name)] = changed
    return {"DocumentDescription": describe(backend, changed, version)}


def update_document_default_version(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    document = document_named(backend, req_str(params, "Name"))
    requested = req_str(params, "DocumentVersion")
    if document is None:
        raise no_document()
    version = document.find(requested, None) if requested.isdigit() else None
    if version is None:
        raise no_version()
    changed = document.clone()
    changed.default_version = version.version
    backend.world.ssm.documents[(backend.region, document.name)] = changed
    description = {"Name": document.name, "DefaultVersion": str(version.version)}
    if version.version_name is not None:
        description["DefaultVersionName"] = version.version_name
    return {"Description": description}


def delete_document(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    document = document_named(backend, req_str(params, "Name"))
    number, name = opt_str(params, "DocumentVersion"), opt_str(params, "VersionName")
    if document is None:
        raise no_document()
    table = backend.world.ssm.documents
    if number is None and name is None:
        del table[(backend.region, document.name)]
        return {}
    version = document.find(number, name)
    if version is None:
        raise no_document()
    if version.version == document.default_version:
        raise AwsError("InvalidDocumentOperation", "Default version of the document can't be deleted.")
    changed = document.clone()
    changed.versions = tuple(other for other in document.versions if other is not version)
    table[(backend.region, document.name)] = changed
    return {}


def list_documents(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    size = _size(params)
    tests = [
        (str(item.get("key")), [str(item.get("value"))]) for item in struct_list(params, "DocumentFilterList") or []
    ]
    tests += [
        (str(item.get("Key")), [str(v) for v in item.get("Values") or []])
        for item in struct_list(params, "Filters") or []
    ]
    documents = [
        document
        for key, document in sorted(backend.world.ssm.documents.items())
        if key[0] == backend.region and all(_document_matches(document, name, values) for name, values in tests)
    ]
    shown, token = _page(documents, size, params)
    response: dict[str, Any] = {"DocumentIdentifiers": [_identifier(backend, document) for document in shown]}
    if token is not None:
        response["NextToken"] = token
    return response


def _document_matches(document: Document, key: str, values: list[str]) -> bool:
    default = document.version(document.default_version) or document.latest
    if key == "Name":
        return any(document.name.startswith(value) for value in values)
    if key == "SearchKeyword":
        return any(value.lower() in document.name.lower() for value in values)
    if key == "Owner":
        return any(value in ("Self", "Private", "All") for value in values)
    if key == "DocumentType":
        return document.document_type in values
    if key == "PlatformTypes":
        return any(value in PLATFORM_TYPES for value in values)
    if key == "TargetType":
        return document.target_type in values
    if key.startswith("tag:"):
        tag = document.tags.get(key[4:])
        return tag is not None and (not values or tag in values)
    if key in ("DocumentFormat",):
        return default.format in values
    raise AwsError("InvalidFilterKey", f"The specified filter key {key} is not valid.")


def _identifier(backend: FakeBackend, document: Document) -> dict[str, Any]:
    version = document.version(document.default_version) or document.latest
    data = parse_content(version.content, version.format, document.document_type) or {}
    shape: dict[str, Any] = {"Name": document.name, "CreatedDate": document.versions[0].created}
    if document.display_name is not None:
        shape["DisplayName"] = document.display_name
    shape["Owner"] = backend.account
    if version.version_name is not None:
        shape["VersionName"] = version.version_name
    shape.update(
        {
            "PlatformTypes": list(PLATFORM_TYPES),
            "DocumentVersion": str(version.version),
            "DocumentType": document.document_type,
            "SchemaVersion": str(data.get("schemaVersion", "")),
            "DocumentFormat": version.format,
        }
    )
    if document.target_type is not None:
        shape["TargetType"] = document.target_type
    shape["Tags"] = tag_list(document.tags)
    return shape


def list_document_versions(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    document = document_named(backend, req_str(params, "Name"))
    size = _size(params)
    if document is None:
        raise no_document()
    newest_first = sorted(document.versions, key=lambda version: -version.version)
    shown, token = _page(newest_first, size, params)
    listed = []
    for version in shown:
        info: dict[str, Any] = {"Name": document.name}
        if document.display_name is not None:
            info["DisplayName"] = document.display_name
        info["DocumentVersion"] = str(version.version)
        if version.version_name is not None:
            info["VersionName"] = version.version_name
        info.update(
            {
                "CreatedDate": version.created,
                "IsDefaultVersion": version.version == document.default_version,
                "DocumentFormat": version.format,
                "Status": "Active",
            }
        )
        listed.append(info)
    response: dict[str, Any] = {"DocumentVersions": listed}
    if token is not None:
        response["NextToken"] = token
    return response


def _size(params: dict[str, Any]) -> int:
    size = opt_int(params, "MaxResults")
    if size is None:
        return MAX_DOCUMENTS_PAGE
    if not 1 <= size <= MAX_DOCUMENTS_PAGE:
        raise invalid("maxResults", f"Member must have value less than or equal to {MAX_DOCUMENTS_PAGE}")
    return size


def _page(items: list[Any], size: int, params: dict[str, Any]) -> tuple[list[Any], str | None]:
    return page(items, size, opt_str(params, "NextToken"), invalid="InvalidNextToken", message="The token is invalid.")


# -- automation executions ---------------------------------------------------------------------------------------


def start_automation_execution(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    name = req_str(params, "DocumentName")
    for member in ("Targets", "TargetMaps", "TargetLocations", "TargetLocationsURL", "TargetParameterName"):
        if params.get(member):
            raise not_modeled(f"automation executions with {member} (rate control, other accounts or Regions)")
    if params.get("AlarmConfiguration"):
        raise not_modeled("automation executions with AlarmConfiguration")
    given = _execution_parameters(params)
    mode = opt_str(params, "Mode") or "Auto"
    if mode not in ("Auto", "Interactive"):
        raise invalid("mode", "Member must satisfy enum value set: [Auto, Interactive]")
    document = document_named(backend, name)
    if document is None or document.document_type != "Automation":
        raise AwsError(
            "AutomationDefinitionNotFoundException", f"An Automation runbook with the name {name} couldn't be found."
        )
    requested = opt_str(params, "DocumentVersion")
    version = document.find(requested, None)
    if version is None:
        raise AwsError(
            "AutomationDefinitionVersionNotFoundException",
            f"An Automation runbook with the name {name} and version {requested} couldn't be found.",
        )
    _check_parameters(document, version, given)
    executions = backend.world.ssm.executions
    token = opt_str(params, "ClientToken")
    if token is not None:
        for earlier in executions.values():
            if earlier.client_token == token and earlier.region == backend.region:
                same = (earlier.document_name, dict(earlier.parameters)) == (document.name, given)
                if not same:
                    raise AwsError(
                        "IdempotentParameterMismatch",
                        "Error when an idempotent request used the same client token with different parameters.",
                    )
                return {"AutomationExecutionId": earlier.execution_id}
    execution = AutomationExecution(
        execution_id=next_execution_id(executions, backend.account, backend.region),
        region=backend.region,
        document_name=document.name,
        document_version=str(version.version),
        started=backend.now(),
        executed_by=f"arn:{backend.partition}:iam::{backend.account}:root",
        parameters=given,
        mode=mode,
        client_token=token,
    )
    record_execution(executions, execution)
    return {"AutomationExecutionId": execution.execution_id}


def _execution_parameters(params: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    given = params.get("Parameters") or {}
    if not isinstance(given, dict) or not all(
        isinstance(values, list | tuple) and all(isinstance(value, str) for value in values)
        for values in given.values()
    ):
        raise invalid("parameters", "Member must map each name to a list of strings")
    return {str(name): tuple(values) for name, values in given.items()}


def _check_parameters(document: Document, version: DocumentVersion, given: dict[str, tuple[str, ...]]) -> None:
    data = parse_content(version.content, version.format, document.document_type) or {}
    declared = data.get("parameters")
    if not isinstance(declared, dict):
        declared = {}
    for name in given:
        if name not in declared:
            raise AwsError(
                "InvalidAutomationExecutionParametersException",
                f"Parameter {name} is not defined in the document {document.name}.",
            )
    for name, spec in declared.items():
        if name not in given and not (isinstance(spec, dict) and "default" in spec):
            raise AwsError(
                "InvalidAutomationExecutionParametersException", f"Missing required parameter: {name} in user inputs."
            )


def _execution_shape(execution: AutomationExecution, *, full: bool) -> dict[str, Any]:
    shape: dict[str, Any] = {
        "AutomationExecutionId": execution.execution_id,
        "DocumentName": execution.document_name,
        "DocumentVersion": execution.document_version,
        "ExecutionStartTime": execution.started,
    }
    if execution.ended is not None:
        shape["ExecutionEndTime"] = execution.ended
    shape["AutomationExecutionStatus"] = execution.status
    if full:
        shape["StepExecutions"] = []
        shape["StepExecutionsTruncated"] = False
        shape["Parameters"] = {name: list(values) for name, values in execution.parameters.items()}
    shape["Outputs"] = {name: list(values) for name, values in execution.outputs.items()}
    if execution.failure_message is not None:
        shape["FailureMessage"] = execution.failure_message
    shape["Mode"] = execution.mode
    if execution.parent_id is not None:
        shape["ParentAutomationExecutionId"] = execution.parent_id
    shape["ExecutedBy"] = execution.executed_by
    if not full:
        shape["AutomationType"] = "Local"
    shape["ResolvedTargets"] = {"ParameterValues": [], "Truncated": False}
    return shape


def get_automation_execution(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    execution_id = req_str(params, "AutomationExecutionId")
    execution = backend.world.ssm.executions.get(execution_id)
    if execution is None or execution.region != backend.region:
        raise AwsError(
            "AutomationExecutionNotFoundException", f"Automation execution {execution_id} could not be found."
        )
    return {"AutomationExecution": _execution_shape(execution, full=True)}


ExecutionTest = Callable[[AutomationExecution, list[str]], bool]


def _starts_with(execution: AutomationExecution, values: list[str]) -> bool:
    return any(execution.document_name.startswith(value) for value in values)


def _status(execution: AutomationExecution, values: list[str]) -> bool:
    return execution.status in values


def _execution_id(execution: AutomationExecution, values: list[str]) -> bool:
    return execution.execution_id in values


def _parent(execution: AutomationExecution, values: list[str]) -> bool:
    return execution.parent_id in values


def _local(execution: AutomationExecution, values: list[str]) -> bool:
    return "Local" in values


def _before(execution: AutomationExecution, values: list[str]) -> bool:
    return all(execution.started < _time(value) for value in values)


def _after(execution: AutomationExecution, values: list[str]) -> bool:
    return all(execution.started > _time(value) for value in values)


def _never(execution: AutomationExecution, values: list[str]) -> bool:
    return False  # no execution of the fake world is a change request or has a current action


EXECUTION_FILTERS: dict[str, ExecutionTest] = {
    "DocumentNamePrefix": _starts_with,
    "ExecutionStatus": _status,
    "ExecutionId": _execution_id,
    "ParentExecutionId": _parent,
    "AutomationType": _local,
    "StartTimeBefore": _before,
    "StartTimeAfter": _after,
    "AutomationSubtype": _never,
    "CurrentAction": _never,
}


def _time(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as err:
        raise AwsError("InvalidFilterValue", f"The filter value {text} is not a valid time.") from err
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def describe_automation_executions(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    size = _size(params)
    tests = []
    for item in struct_list(params, "Filters") or []:
        key, values = item.get("Key"), item.get("Values")
        if key not in EXECUTION_FILTERS:
            if key in ("TagKey", "TargetResourceGroup", "OpsItemId"):
                raise not_modeled(f"DescribeAutomationExecutions filters on {key}")
            raise AwsError("InvalidFilterKey", f"The specified filter key {key} is not valid.")
        if not values or not isinstance(values, list):
            raise AwsError("InvalidFilterValue", f"The filter {key} needs values.")
        tests.append((EXECUTION_FILTERS[str(key)], [str(value) for value in values]))
    executions = sorted(
        (e for e in backend.world.ssm.executions.values() if e.region == backend.region),
        key=lambda e: (-e.started.timestamp(), e.execution_id),
    )
    chosen = [e for e in executions if all(test(e, values) for test, values in tests)]
    shown, token = _page(chosen, size, params)
    response: dict[str, Any] = {
        "AutomationExecutionMetadataList": [_execution_shape(execution, full=False) for execution in shown]
    }
    if token is not None:
        response["NextToken"] = token
    return response


OPERATIONS: dict[str, Operation] = {
    "CreateDocument": create_document,
    "GetDocument": get_document,
    "DescribeDocument": describe_document,
    "UpdateDocument": update_document,
    "UpdateDocumentDefaultVersion": update_document_default_version,
    "ListDocuments": list_documents,
    "ListDocumentVersions": list_document_versions,
    "DeleteDocument": delete_document,
    "StartAutomationExecution": start_automation_execution,
    "GetAutomationExecution": get_automation_execution,
    "DescribeAutomationExecutions": describe_automation_executions,
}
