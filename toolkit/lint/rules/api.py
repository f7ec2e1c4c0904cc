"""AWS API calls (families 3 and 4): aws:executeAwsApi, aws:assertAwsResourceProperty and
aws:waitForAwsResourceProperty checked against botocore's service models.

Service must be a boto3 client name, Api one of its operations, the other inputs the operation's parameters
(names, required members, the JSON shape of each value, recursively); output selectors and PropertySelector
must name members of the operation's response. One analysis per document (``toolkit.lint.api_check``) feeds
every rule of this module.
"""

from __future__ import annotations

from typing import ClassVar

from toolkit.lint.api_check import Check, Found, analyse
from toolkit.lint.context import LintDocument
from toolkit.lint.rule import Problem, Rule


def _findings(doc: LintDocument) -> list[Found]:
    """The document's one analysis (``api_check.analyse``), made once per document (``LintDocument.memo``)."""
    return doc.memo(_findings, lambda: list(analyse(doc)))


class _ApiRule(Rule):
    """Shared: every rule of this module reports its part of one analysis of the document."""

    finds: ClassVar[Check]

    def check(self, doc: LintDocument) -> list[Problem]:
        return [problem for kind, problem in _findings(doc) if kind is self.finds]


class UnknownService(_ApiRule):
    """``Service`` names no AWS service that boto3 knows.

    SSM creates a boto3 client with this name (the *Client* name of boto3's documentation: ``ec2``, ``elbv2``,
    ``logs``, ``application-autoscaling``, ``securityhub``), so any other name fails when the step runs. boto3's
    own alias ``runtime.sagemaker`` is accepted. A name given as a ``{{ reference }}`` is not checked. Models
    come from the installed botocore: a service newer than it is reported too; update botocore in that case.
    """

    id = "E3101"
    finds = Check.UNKNOWN_SERVICE
    summary = "Service is not an AWS service boto3 knows"


class ServiceSpelling(_ApiRule):
    """``Service`` names a known service with other letter case (``EC2`` for ``ec2``).

    boto3's client names are lower case and boto3 matches them exactly; no documentation or real document shows
    SSM folding the case, so the step may fail. Spell the name as boto3 does.
    """

    id = "W3102"
    finds = Check.SERVICE_SPELLING
    summary = "Service is spelled unlike boto3's client name"


class UnknownOperation(_ApiRule):
    """``Api`` names no operation of the service.

    AWS accepts the operation's name (``DescribeInstances``) and boto3's method name (``describe_instances``);
    anything else fails when the step runs. Check the spelling against the service's API reference.
    """

    id = "E3103"
    finds = Check.UNKNOWN_OPERATION
    summary = "Api is not an operation of the service"


class OperationSpelling(_ApiRule):
    """``Api`` is neither the operation's name nor boto3's method name, but boto3's name conversion maps it
    to one (``describeInstances``).

    It works only if SSM converts names as boto3 does, which is not documented. Write the operation's name
    (``DescribeInstances``) or boto3's method name (``describe_instances``).
    """

    id = "W3104"
    finds = Check.OPERATION_SPELLING
    summary = "Api is spelled unlike the operation's name"


class UnknownParameter(_ApiRule):
    """An input, or a member inside one, is not a parameter of the operation.

    boto3 validates the parameters before calling AWS and rejects unknown names, so the step fails. Names are
    case-sensitive and each service has its own spelling (``DBInstanceIdentifier``, ``logGroupName``). The
    finding points at the key and suggests the closest valid name.
    """

    id = "E3105"
    finds = Check.UNKNOWN_PARAMETER
    summary = "An input is not a parameter of the API operation"


class MissingParameter(_ApiRule):
    """A parameter the operation requires is missing, at the top level or inside a structure.

    boto3 rejects the call before it reaches AWS. Members botocore fills in itself (idempotency tokens,
    Glacier's accountId) are not required. When an unknown key in the same mapping looks like the missing name,
    the finding points at that key; otherwise at ``Api`` (or at the structure missing a member).
    """

    id = "E3106"
    finds = Check.MISSING_PARAMETER
    summary = "A required parameter of the API operation is missing"


class ShapeMismatch(_ApiRule):
    """A value cannot have the JSON shape the parameter needs: a list or a string where a structure is expected,
    a mapping where a string is expected, several members of a tagged union.

    boto3 rejects such values. A whole ``{{ reference }}`` is checked by the declared type of the parameter,
    variable or step output it names (a StringList is a list, a StringMap a mapping); any other value holding a
    reference is not checked. A list item that is a whole reference to a StringList or MapList is spliced into the
    list, as SSM does (``InstanceIds: ["{{ InstanceIds }}"]`` is a list of strings), so its entries are checked
    as the list's elements.
    """

    id = "E3107"
    finds = Check.SHAPE_MISMATCH
    summary = "A parameter value has the wrong JSON shape"


class ScalarMismatch(_ApiRule):
    """A scalar value of another type than the parameter's: a string ``"10"`` for an integer, ``"true"`` for a
    boolean, a number for a string, a null.

    boto3 itself rejects such values; whether SSM converts them first is not documented, so this is a warning.
    (Real documents convert String parameters to integers in a script step before an API call, which suggests
    SSM does not.) Write the value in the parameter's type, or declare the referenced parameter with it.
    """

    id = "W3108"
    finds = Check.SCALAR_MISMATCH
    summary = "A parameter value is a scalar of another type"


class StreamingOperation(_ApiRule):
    """The operation streams its input or output (S3 GetObject, PutObject, ...).

    AWS's documentation says aws:executeAwsApi does not support streaming operations. Use aws:executeScript
    with boto3 instead.
    """

    id = "W3109"
    finds = Check.STREAMING_OPERATION
    summary = "Streaming API operations are not supported"


class SelectorMiss(_ApiRule):
    """An output's ``Selector`` names a member that the operation's response does not have.

    The response is boto3's: the operation's output members and ``ResponseMetadata``. The finding says which
    members exist where the selector goes astray. A member inside a map, a document or a string cannot be
    checked and is accepted. SSM does not fail the step for a selector that matches nothing (real documents
    rely on it): the output is just missing, so later references to it break. Hence a warning.
    """

    id = "W4101"
    finds = Check.SELECTOR_MISS
    summary = "An output selector names a member the API response does not have"


class PropertySelectorMiss(_ApiRule):
    """``PropertySelector`` of aws:assertAwsResourceProperty or aws:waitForAwsResourceProperty names a member
    that the operation's response does not have.

    The selected property is compared with ``DesiredValues``; a selector that matches nothing never equals
    them, so the assertion always fails and the wait always times out. Fix the path with the members the
    finding lists.
    """

    id = "E4102"
    finds = Check.PROPERTY_SELECTOR_MISS
    summary = "PropertySelector names a member the API response does not have"


class OutputTypeMismatch(_ApiRule):
    """An output's declared ``Type`` cannot hold what its selector selects: a StringMap selecting a list, a
    MapList selecting strings, a String selecting a structure.

    SSM converts only some types (a string to StringList, Integer or Boolean; an integer or boolean to String
    or StringList; a one-element list to its element), so other combinations fail or lose the value. Declare the
    Type that matches the response member.
    """

    id = "W4103"
    finds = Check.OUTPUT_TYPE_MISMATCH
    summary = "An output's Type does not fit the selected value"


RULES: tuple[type[Rule], ...] = (
    UnknownService,
    ServiceSpelling,
    UnknownOperation,
    OperationSpelling,
    UnknownParameter,
    MissingParameter,
    ShapeMismatch,
    ScalarMismatch,
    StreamingOperation,
    SelectorMiss,
    PropertySelectorMiss,
    OutputTypeMismatch,
)
