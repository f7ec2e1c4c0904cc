"""The rendered templates as golden files (``make golden`` rewrites them; look at the diff): the single-account
template and the organization's, each with the documents' contents replaced by a placeholder, so that they change
with the templates and the runbook's calls (its role's policy), not with the runbooks' text or with whether the
delivery check runbook has landed yet."""

from __future__ import annotations

from collections.abc import Callable

from toolkit.deploy.names import DELIVERY_CHECK_NAME, DOCUMENT_NAME
from toolkit.deploy.organization import organization_template
from toolkit.deploy.template import template
from toolkit.render import to_yaml_text

PLACEHOLDERS = {
    DOCUMENT_NAME: {"description": f"(the runbook {DOCUMENT_NAME}, as built)"},
    DELIVERY_CHECK_NAME: {"description": f"(the runbook {DELIVERY_CHECK_NAME}, as built, when the project has it)"},
}


def test_the_single_account_template(golden: Callable[[str, str], None]) -> None:
    golden("deploy/cloudtrail-remediation-stack.yaml", to_yaml_text(template(documents=PLACEHOLDERS)))


def test_the_organization_template(golden: Callable[[str, str], None]) -> None:
    golden("deploy/cloudtrail-remediation-org.yaml", to_yaml_text(organization_template(PLACEHOLDERS)))
