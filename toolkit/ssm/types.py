"""SSM's value types: the kinds of action inputs, parameters, variables and outputs.

Source: https://docs.aws.amazon.com/systems-manager/latest/userguide/documents-syntax-data-elements-parameters.html
(parameter and output types).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Final

from toolkit.ssm.references import WHOLE_REFERENCE


class Reference:
    """Base of a typed ``{{ ... }}`` reference (the model's ``Ref``): it stands for a value of any kind, since SSM
    gives a whole-reference value the type of what it names."""

    __slots__ = ()


class Kind(enum.Enum):
    """SSM's value types, used for action inputs, parameters, variables and outputs."""

    STRING = "String"
    INTEGER = "Integer"
    BOOLEAN = "Boolean"
    STRING_LIST = "StringList"
    STRING_MAP = "StringMap"
    MAP_LIST = "MapList"
    LIST = "List"
    ANY = "Any"

    def fits(self, value: object) -> bool:
        """Whether ``value`` has this kind, a whole reference standing for any kind."""
        if isinstance(value, Reference):
            return True
        if self is Kind.ANY:
            return True
        if self is Kind.STRING:
            return isinstance(value, str)
        if isinstance(value, str) and WHOLE_REFERENCE.match(value):
            return True
        if self is Kind.INTEGER:
            return isinstance(value, int) and not isinstance(value, bool)
        if self is Kind.BOOLEAN:
            return isinstance(value, bool)
        if self is Kind.STRING_MAP:
            return isinstance(value, Mapping)
        if not isinstance(value, (list, tuple)):
            return False
        if self is Kind.STRING_LIST:
            return all(isinstance(item, (str, Reference)) for item in value)
        if self is Kind.MAP_LIST:
            return all(
                isinstance(item, (Mapping, Reference)) or (isinstance(item, str) and WHOLE_REFERENCE.match(item))
                for item in value
            )
        return True  # LIST


# A document parameter's type and displayType
# (https://docs.aws.amazon.com/systems-manager/latest/userguide/documents-syntax-data-elements-parameters.html).
class ParameterType(enum.Enum):
    STRING = "String"
    STRING_LIST = "StringList"
    INTEGER = "Integer"
    BOOLEAN = "Boolean"
    MAP_LIST = "MapList"
    STRING_MAP = "StringMap"
    EC2_INSTANCE_ID = "AWS::EC2::Instance::Id"
    S3_BUCKET_NAME = "AWS::S3::Bucket::Name"
    IAM_ROLE_ARN = "AWS::IAM::Role::Arn"
    EC2_INSTANCE_ID_LIST = "List<AWS::EC2::Instance::Id>"
    S3_BUCKET_NAME_LIST = "List<AWS::S3::Bucket::Name>"
    IAM_ROLE_ARN_LIST = "List<AWS::IAM::Role::Arn>"

    @property
    def is_list(self) -> bool:
        return self in _LIST_TYPES

    @property
    def is_text(self) -> bool:
        """Whether values are single strings (String and the single AWS resource types)."""
        return self in _TEXT_TYPES


_LIST_TYPES: Final = frozenset(
    {
        ParameterType.STRING_LIST,
        ParameterType.EC2_INSTANCE_ID_LIST,
        ParameterType.S3_BUCKET_NAME_LIST,
        ParameterType.IAM_ROLE_ARN_LIST,
    }
)
_TEXT_TYPES: Final = frozenset(
    {
        ParameterType.STRING,
        ParameterType.EC2_INSTANCE_ID,
        ParameterType.S3_BUCKET_NAME,
        ParameterType.IAM_ROLE_ARN,
    }
)
DISPLAY_TYPES: Final = ("textfield", "textarea")


def value_fits(kind: ParameterType, value: object) -> bool:
    """Whether a value has the parameter type (as StartAutomationExecution reads typed values)."""
    if kind.is_text:
        return isinstance(value, str)
    if kind.is_list:
        return isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value)
    if kind is ParameterType.INTEGER:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is ParameterType.BOOLEAN:
        return isinstance(value, bool)
    if kind is ParameterType.STRING_MAP:
        return isinstance(value, Mapping) and all(isinstance(key, str) for key in value)
    # MAP_LIST
    return isinstance(value, (list, tuple)) and all(isinstance(item, Mapping) for item in value)


# A step output's Type: String, Integer, Boolean, StringList, StringMap or MapList
# (https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-actions.html, "outputs").
OUTPUT_KINDS: Final = frozenset(
    {Kind.STRING, Kind.INTEGER, Kind.BOOLEAN, Kind.STRING_LIST, Kind.STRING_MAP, Kind.MAP_LIST}
)


# -- Parameter Store and documents (the API's values) -------------------------------------------------------------
# Parameter types, tiers and data types
# (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html: Type, Tier, DataType).
# A SecureString without KeyId is encrypted with the account's AWS managed key alias/aws/ssm (same page, KeyId).
PARAMETER_STORE_TYPES: Final = ("String", "StringList", "SecureString")
PARAMETER_TIERS: Final = ("Standard", "Advanced", "Intelligent-Tiering")
PARAMETER_DATA_TYPES: Final = ("text", "aws:ec2:image", "aws:ssm:integration")
DEFAULT_PARAMETER_KEY: Final = "alias/aws/ssm"

# Document formats and the schema versions each document type takes
# (https://docs.aws.amazon.com/systems-manager/latest/userguide/documents-schemas-features.html).
DOCUMENT_FORMATS: Final = ("JSON", "YAML", "TEXT")
DOCUMENT_SCHEMA_VERSIONS: Final[Mapping[str, tuple[str, ...]]] = {
    "Automation": ("0.3",),
    "Command": ("1.2", "2.0", "2.2"),
    "Policy": ("2.0",),
    "Session": ("1.0",),
}
