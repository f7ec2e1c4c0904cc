"""The fake Systems Manager's document operations, on the state in ``toolkit.fakes.ssm``
(``toolkit.fakes.services.ssm`` puts them in the service's ``OPERATIONS``).

Documents: CreateDocument, GetDocument (DocumentVersion, VersionName, DocumentFormat), DescribeDocument,
UpdateDocument (a new version; DuplicateDocumentContent, DuplicateDocumentVersionName), UpdateDocumentDefaultVersion,
ListDocuments (Filters or DocumentFilterList, pages), ListDocumentVersions, DeleteDocument (all versions, or one
that is not the default). Content is JSON or YAML text (TEXT is kept as it is); its schemaVersion is checked
against the document type. Only the account's own documents exist: AWS-owned ones (``AWS-*``) are not held, so
``Owner: Amazon`` lists nothing.
"""

from __future__ import annotations

import json
from typing import Any

from toolkit.fakes.backend import FakeBackend, Operation
from toolkit.fakes.errors import AwsError
from toolkit.fakes.requests import invalid, opt_int, opt_str, req_str, struct_list
from toolkit.fakes.services.paging import page
from toolkit.fakes.ssm import Document, DocumentVersion
from toolkit.fakes.ssm.documents import DOCUMENT_TYPES, ContentError, document_name_problem, parse_content
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
    size = page_size(params)
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
    shown, token = listing_page(documents, size, params)
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
    size = page_size(params)
    if document is None:
        raise no_document()
    newest_first = sorted(document.versions, key=lambda version: -version.version)
    shown, token = listing_page(newest_first, size, params)
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


def page_size(params: dict[str, Any]) -> int:
    size = opt_int(params, "MaxResults")
    if size is None:
        return MAX_DOCUMENTS_PAGE
    if not 1 <= size <= MAX_DOCUMENTS_PAGE:
        raise invalid("maxResults", f"Member must have value less than or equal to {MAX_DOCUMENTS_PAGE}")
    return size


def listing_page(items: list[Any], size: int, params: dict[str, Any]) -> tuple[list[Any], str | None]:
    return page(items, size, opt_str(params, "NextToken"), invalid="InvalidNextToken", message="The token is invalid.")


OPERATIONS: dict[str, Operation] = {
    "CreateDocument": create_document,
    "GetDocument": get_document,
    "DescribeDocument": describe_document,
    "UpdateDocument": update_document,
    "UpdateDocumentDefaultVersion": update_document_default_version,
    "ListDocuments": list_documents,
    "ListDocumentVersions": list_document_versions,
    "DeleteDocument": delete_document,
}
