"""A script's boto3 sees what botocore would give it for the services the fakes own: a streaming body it can read(),
keys of listings decoded (botocore asks S3 for URL-encoded keys and decodes them after the call), and text given
for a blob member sent as its UTF-8."""

from __future__ import annotations

from toolkit.fakes.world import World
from toolkit.simulate import simulate

SCRIPT = """\
import boto3

def handler(events, context):
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="blob-bucket")
    s3.put_object(Bucket="blob-bucket", Key="a b/c+d.txt", Body="hello world")
    body = s3.get_object(Bucket="blob-bucket", Key="a b/c+d.txt")["Body"]
    listed = s3.list_objects_v2(Bucket="blob-bucket")
    kms = boto3.client("kms")
    sealed = kms.encrypt(KeyId="alias/cloudtrail", Plaintext="secret")["CiphertextBlob"]
    opened = kms.decrypt(CiphertextBlob=sealed)["Plaintext"]
    return {
        "read": body.read().decode(),
        "keys": [item["Key"] for item in listed["Contents"]],
        "opened": opened.decode(),
        "sealed_is_bytes": isinstance(sealed, bytes),
    }
"""

DOC = {
    "schemaVersion": "0.3",
    "mainSteps": [
        {
            "name": "Blobs",
            "action": "aws:executeScript",
            "inputs": {"Runtime": "python3.11", "Handler": "handler", "Script": SCRIPT},
            "outputs": [{"Name": "Seen", "Selector": "$.Payload", "Type": "StringMap"}],
        }
    ],
}


def test_bodies_listings_and_text_blobs_reach_a_script_as_botocore_gives_them() -> None:
    result = simulate(DOC, {}, World.default())
    assert result.status == "Success", result.steps
    assert result.step_outputs["Blobs.Seen"] == {
        "read": "hello world",
        "keys": ["a b/c+d.txt"],
        "opened": "secret",
        "sealed_is_bytes": True,
    }
