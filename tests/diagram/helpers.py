"""Documents and traces the graph tests share."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from tests.conftest import CORPUS
from toolkit.diagram.trace import Trace
from toolkit.model.document import Document

DATA = Path(__file__).resolve().parent / "data"
RUNBOOK = "cloudtrail-remediation-action"
RUNBOOK_PARAMS = {
    "CloudTrailName": "main",
    "CloudTrailS3BucketName": "trail-logs-123456789012",
    "CloudTrailKmsKeyId": "alias/cloudtrail",
}
# Corpus documents that show each kind of edge (the corpus has no aws:loop and no And/Not: data/flow.yaml does).
CORPUS_CASES = {
    # aws:branch with an Or choice, steps ending with isEnd
    "encrypt-rds-snapshot": "aws-solutions__automated-security-response-on-aws/"
    "source__remediation_runbooks__EncryptRDSSnapshot.yaml",
    # aws:branch with a Default, a nextStep that skips a step, isEnd
    "redshift-audit-logging": "aws-solutions__automated-security-response-on-aws/"
    "source__remediation_runbooks__EnableRedshiftClusterAuditLogging.yaml",
    # aws:branch without Default (no match goes on by isEnd), nextStep
    "reboot-rds": "adhorn__chaos-ssm-documents/automation__reboot-rds__reboot-rds.yml",
    # onFailure: step:X and onCancel: step:X on every step
    "asg-remove-az": "aws-samples__aws-fault-injection-simulator-workshop/"
    "workshop__content__030_basic_content__040_ssm__050_direct_automation__ssm-asg-remove-az.yaml",
}


@cache
def runbook() -> Document:
    from toolkit.documents import read_runbook

    return read_runbook(RUNBOOK).model()


def data(name: str) -> Document:
    from toolkit.load import load

    return load(DATA / name)


def corpus(case: str) -> Document:
    """A corpus case (tests/data/corpus)."""
    from toolkit.load import load

    return load(CORPUS / CORPUS_CASES[case])


def simulated(document: Document, params: dict[str, object] | None = None) -> str:
    """The JSON ``runbook simulate --format json`` prints for this document, run in-process."""
    from toolkit.simulate import World, simulate

    return simulate(document, params=params or {}, world=World.default()).to_json()


def runbook_trace() -> Trace:
    return Trace.from_json(simulated(runbook(), RUNBOOK_PARAMS))
