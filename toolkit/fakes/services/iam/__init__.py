"""The fake IAM's operations (``OPERATIONS``) on the state in ``toolkit.fakes.iam`` and ``toolkit.fakes.iam_policies``:
roles (``roles``), users and groups (``users``), inline policies (``inline``), managed policies and their
attachments (``managed``) and versions (``versions``), and instance profiles (``profiles``). Every other IAM
operation raises ``NotModeled``.

Errors carry IAM's codes and HTTP statuses as botocore's model gives them: ``NoSuchEntity`` 404,
``EntityAlreadyExists``, ``DeleteConflict`` and ``LimitExceeded`` 409, ``MalformedPolicyDocument``, ``InvalidInput``
and ``ValidationError`` 400 (IAM's own name for a request that breaks the model's constraints, worded as IAM words
it: "1 validation error detected: Value 'a b' at 'roleName' failed to satisfy constraint: ...").

Policy documents come back as mappings. On the wire IAM sends every policy document (GetRole's trust policy,
GetRolePolicy's PolicyDocument, GetPolicyVersion's Document...) as URL-encoded JSON text (RFC 3986); botocore
decodes every member of IAM's ``policyDocumentType`` into a dict (``botocore.handlers.json_decode_policies``, an
``after-call.iam`` handler), so boto3 code never sees the encoded text. Both kinds of runbook step use boto3 on AWS:
scripts, and aws:executeAwsApi ("We regularly update the Boto3 version used by this action",
https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-action-executeAwsApi.html), so a selector
such as ``$.Role.AssumeRolePolicyDocument.Statement[0].Principal.Service`` and a script's
``response["PolicyDocument"]["Statement"]`` both read a mapping. The fakes answer so: the simulator's script clients
run no after-call handlers, and the moto fallback's boto3 client has already run them.

Names are IAM's: unique whatever their case, found whatever their case. Ids are derived from names (AROA, AIDA,
AGPA, ANPA, AIPA and 17 characters), so simulations stay byte-stable; IAM would give a re-created entity a new id.
"""

from __future__ import annotations

from toolkit.fakes.backend import Operation
from toolkit.fakes.services.iam import inline, managed, profiles, roles, users, versions

OPERATIONS: dict[str, Operation] = {
    **roles.OPERATIONS,
    **users.OPERATIONS,
    **inline.OPERATIONS,
    **managed.OPERATIONS,
    **versions.OPERATIONS,
    **profiles.OPERATIONS,
}
