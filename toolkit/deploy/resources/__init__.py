"""The resource types a stack can create in a simulated world, each created as CloudFormation's handler for it
creates it: one module per service, each with its ``HANDLERS``; ``HANDLERS`` here maps every supported type to
its handler (``base.Resource`` in, ``Physical`` out). A type not listed cannot be instantiated."""

from __future__ import annotations

from typing import Final

from toolkit.deploy.resources import config, events, iam, kms, organizations, s3, sns, ssm, stackset
from toolkit.deploy.resources.base import Handler

HANDLERS: Final[dict[str, Handler]] = {
    **s3.HANDLERS,
    **kms.HANDLERS,
    **iam.HANDLERS,
    **ssm.HANDLERS,
    **config.HANDLERS,
    **sns.HANDLERS,
    **events.HANDLERS,
    **organizations.HANDLERS,
    **stackset.HANDLERS,
}
