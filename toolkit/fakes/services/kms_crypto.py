"""The fake KMS's cryptographic operations: Encrypt, Decrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext.

Nothing here is cryptography: a ciphertext is a deterministic, reversible encoding that round-trips through
Decrypt and behaves as KMS's does where a runbook can tell. It is

    b"FKMS" | version 1 | algorithm index | key id (36 ASCII) | SHA-256 of the encryption context | body | check

where the body is the plaintext masked with a SHA-256 keystream of the key id and the context, and the check is 16
bytes of SHA-256 over everything before it. So Decrypt finds the key in the ciphertext (as KMS does for symmetric
keys), refuses a ciphertext that was changed or is not one of these with InvalidCiphertextException (KMS gives that
error an empty message), and refuses an encryption context other than the one the data was encrypted with, also
InvalidCiphertextException. The same plaintext, key and context always give the same ciphertext (KMS's differ), so
simulations stay byte-stable; a data key is derived from the key, the context, its length and the simulated time.

Key states as the key state table gives them: DisabledException for a disabled key, KMSInvalidStateException for a
key pending deletion. A key whose usage is not ENCRYPT_DECRYPT is refused with InvalidKeyUsageException ("<key ARN>
key usage is <usage> which is not valid for <operation>."); data keys need a symmetric encryption key. Asymmetric
encryption keys encrypt with their RSAES_OAEP_* (or SM2PKE) algorithms, and Decrypt then needs the KeyId and the
same algorithm, as KMS does (the ciphertext of a real asymmetric key does not name its key). ``DryRun`` answers
DryRunOperationException after every check passes.

Across accounts (``kms_keys.CROSS_ACCOUNT``): Encrypt, GenerateDataKey(WithoutPlaintext) and Decrypt with a KeyId
take the key ARN or alias ARN of another account's key, and answer its ARN. A Decrypt without KeyId finds the
ciphertext's key in the caller's account only (a decision: the fake's authorization of such a Decrypt cannot name
the key's ARN, so its key policy would go unasked); to decrypt under another account's key, name it in KeyId.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from toolkit.fakes.backend import FakeBackend, Operation
from toolkit.fakes.errors import AwsError
from toolkit.fakes.kms import Key
from toolkit.fakes.requests import missing, opt_bool, opt_int, opt_str
from toolkit.fakes.services.kms_keys import (
    arn_of,
    encryption_algorithms,
    enum_error,
    for_usage,
    range_error,
    resolve,
    shared,
    shared_key_of,
    usable,
    validation,
)

MAGIC = b"FKMS\x01"
ALGORITHMS = ("SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "SM2PKE")
"""EncryptionAlgorithmSpec's values; a ciphertext holds the index of the one it was made with."""
KEY_ID_LENGTH = 36
DIGEST = 32
CHECK = 16
HEADER = len(MAGIC) + 1 + KEY_ID_LENGTH + DIGEST


def dry_run() -> AwsError:
    return AwsError("DryRunOperationException", "The request would have succeeded, but the DryRun option is set.")


def invalid_ciphertext() -> AwsError:
    return AwsError("InvalidCiphertextException", "")


def encrypt(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    home, key = shared_key_of(backend, params)
    plaintext = _blob(params, "Plaintext", 4096)
    context = _context(params)
    algorithm = _algorithm(params)
    _encrypting(home, key, "Encrypt")
    if algorithm not in encryption_algorithms(key):
        raise AwsError(
            "InvalidKeyUsageException", f"Algorithm {algorithm} is incompatible with key spec {key.key_spec}."
        )
    if opt_bool(params, "DryRun"):
        raise dry_run()
    return {
        "CiphertextBlob": seal(key, plaintext, context, algorithm),
        "KeyId": arn_of(home, key),
        "EncryptionAlgorithm": algorithm,
    }


def decrypt(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    blob = _blob(params, "CiphertextBlob", 6144)
    context = _context(params)
    algorithm = _algorithm(params)
    opened = _parse(blob)
    if opened is None:
        raise invalid_ciphertext()
    key_id, algorithm_used, digest, body = opened
    named = opt_str(params, "KeyId")
    home, key = (backend, resolve(backend, key_id)) if named is None else shared(backend, named)
    if key.key_id != key_id:
        raise AwsError(
            "IncorrectKeyException",
            "The key ID in the request does not identify a KMS key that can perform this operation.",
        )
    _encrypting(home, key, "Decrypt")
    if not key.symmetric and named is None:
        raise invalid_ciphertext()
    if algorithm != algorithm_used or digest != _context_digest(context):
        raise invalid_ciphertext()
    if opt_bool(params, "DryRun"):
        raise dry_run()
    return {
        "KeyId": arn_of(home, key),
        "Plaintext": _mask(body, key.key_id, digest),
        "EncryptionAlgorithm": algorithm_used,
    }


def generate_data_key(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    return _data_key(backend, params, "GenerateDataKey", plaintext=True)


def generate_data_key_without_plaintext(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    return _data_key(backend, params, "GenerateDataKeyWithoutPlaintext", plaintext=False)


def _data_key(backend: FakeBackend, params: dict[str, Any], operation: str, *, plaintext: bool) -> dict[str, Any]:
    home, key = shared_key_of(backend, params)
    context = _context(params)
    size = opt_int(params, "NumberOfBytes")
    spec = opt_str(params, "KeySpec")
    if size is not None and not 1 <= size <= 1024:
        raise range_error(size, "numberOfBytes", 1, 1024)
    if spec is not None and spec not in ("AES_256", "AES_128"):
        raise enum_error(spec, "keySpec", ("AES_256", "AES_128"))
    if (size is None) == (spec is None):
        raise validation("Please specify either number of bytes or key spec.")
    length = size if size is not None else 32 if spec == "AES_256" else 16
    _encrypting(home, key, operation)
    if not key.symmetric:
        raise AwsError(
            "InvalidKeyUsageException",
            f"{arn_of(home, key)} key spec is {key.key_spec} which is not valid for {operation}.",
        )
    if opt_bool(params, "DryRun"):
        raise dry_run()
    seed = f"{key.key_id}:{backend.now().isoformat()}:{length}".encode() + _context_digest(context)
    data_key = _stream(seed, length)
    response: dict[str, Any] = {
        "CiphertextBlob": seal(key, data_key, context, "SYMMETRIC_DEFAULT"),
        "Plaintext": data_key,
        "KeyId": arn_of(home, key),
    }
    if not plaintext:
        del response["Plaintext"]
    return response


def _encrypting(backend: FakeBackend, key: Key, operation: str) -> None:
    usable(backend, key)
    for_usage(backend, key, "ENCRYPT_DECRYPT", operation)


# -- the ciphertext ------------------------------------------------------------------------------------------


def seal(key: Key, plaintext: bytes, context: dict[str, str], algorithm: str) -> bytes:
    """The fake ciphertext of ``plaintext`` under ``key`` (see the module's docstring)."""
    digest = _context_digest(context)
    head = MAGIC + bytes([ALGORITHMS.index(algorithm)]) + key.key_id.encode("ascii") + digest
    sealed = head + _mask(plaintext, key.key_id, digest)
    return sealed + hashlib.sha256(b"check" + sealed).digest()[:CHECK]


def _parse(blob: bytes) -> tuple[str, str, bytes, bytes] | None:
    """(key id, algorithm, context digest, masked body) of a fake ciphertext, or None for anything else."""
    if len(blob) < HEADER + CHECK or not blob.startswith(MAGIC):
        return None
    sealed, check = blob[:-CHECK], blob[-CHECK:]
    if hashlib.sha256(b"check" + sealed).digest()[:CHECK] != check:
        return None
    index = blob[len(MAGIC)]
    if index >= len(ALGORITHMS):
        return None
    start = len(MAGIC) + 1
    try:
        key_id = blob[start : start + KEY_ID_LENGTH].decode("ascii")
    except UnicodeDecodeError:
        return None
    digest = blob[start + KEY_ID_LENGTH : HEADER]
    return key_id, ALGORITHMS[index], digest, sealed[HEADER:]


def _mask(data: bytes, key_id: str, digest: bytes) -> bytes:
    stream = _stream(key_id.encode("ascii") + digest, len(data))
    return bytes(left ^ right for left, right in zip(data, stream, strict=True))


def _stream(seed: bytes, length: int) -> bytes:
    """``length`` bytes of SHA-256 in counter mode over ``seed``."""
    blocks = bytearray()
    counter = 0
    while len(blocks) < length:
        blocks += hashlib.sha256(seed + counter.to_bytes(4, "big")).digest()
        counter += 1
    return bytes(blocks[:length])


def _context_digest(context: dict[str, str]) -> bytes:
    """The encryption context, order-blind (KMS compares it as a set of pairs)."""
    text = "\x00".join(f"{name}\x01{value}" for name, value in sorted(context.items()))
    return hashlib.sha256(text.encode("utf-8")).digest()


# -- request members ------------------------------------------------------------------------------------------


def _blob(params: dict[str, Any], member: str, largest: int) -> bytes:
    """A blob member: bytes, or base64 text (as every caller of a backend gives a blob: a script's boto3 and an
    aws:executeAwsApi step both send text given for a blob as the base64 of its UTF-8)."""
    value = params.get(member)
    if value is None:
        raise missing(member)
    if isinstance(value, str):
        text = value
        try:
            value = base64.b64decode(text, validate=True)
        except ValueError:
            value = text.encode("utf-8")  # not base64: a caller that gave the text itself
    if isinstance(value, bytearray):
        value = bytes(value)
    name = member[0].lower() + member[1:]
    if not isinstance(value, bytes):
        raise validation(
            f"1 validation error detected: Value at '{name}' failed to satisfy constraint: Member must be a blob"
        )
    if not 1 <= len(value) <= largest:
        bound = "greater than or equal to 1" if not value else f"less than or equal to {largest}"
        raise validation(
            f"1 validation error detected: Value at '{name}' failed to satisfy constraint: "
            f"Member must have length {bound}"
        )
    return value


def _context(params: dict[str, Any]) -> dict[str, str]:
    value = params.get("EncryptionContext")
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise validation("EncryptionContext must be a map of strings to strings.")
    return dict(value)


def _algorithm(params: dict[str, Any]) -> str:
    algorithm = opt_str(params, "EncryptionAlgorithm") or "SYMMETRIC_DEFAULT"
    if algorithm not in ALGORITHMS:
        raise enum_error(algorithm, "encryptionAlgorithm", ALGORITHMS)
    return algorithm


OPERATIONS: dict[str, Operation] = {
    "Encrypt": encrypt,
    "Decrypt": decrypt,
    "GenerateDataKey": generate_data_key,
    "GenerateDataKeyWithoutPlaintext": generate_data_key_without_plaintext,
}
