"""Signed attestations of reports: in-toto Statement v1 in a DSSE envelope, signed with Ed25519.

An attestation binds a ``govbridge/report/v1`` JSON report to the dossier, the evidence files
and, optionally, the model file (by SHA-256), and records what the report concluded, so that a
party in another jurisdiction can check it with the signer's public key (docs/attestation.md).
All cryptography is the ``cryptography`` package's.

>>> from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
>>> key = Ed25519PrivateKey.generate()
>>> env = parse_envelope(encode_envelope(sign_payload(b"{}", key)))
>>> verify_envelope(env, key.public_key())
b'{}'
"""

from govbridge.attest._dsse import (
    PAYLOAD_TYPE,
    Envelope,
    Signature,
    encode_envelope,
    pae,
    parse_envelope,
    sign_payload,
    verify_envelope,
)
from govbridge.attest._errors import (
    AttestationError,
    BadSignature,
    DigestMismatch,
    KeyFileError,
    MalformedEnvelope,
    NotAttested,
    SigningError,
    UnknownPredicateType,
    VerificationError,
)
from govbridge.attest._keys import (
    PRIVATE_KEY_NAME,
    PUBLIC_KEY_NAME,
    generate_key_pair,
    is_encrypted,
    key_id,
    load_private_key,
    load_public_key,
    write_atomic,
    write_key_pair,
)
from govbridge.attest._statement import (
    PREDICATE_TYPE,
    STATEMENT_TYPE,
    Statement,
    Subject,
    Verified,
    build_statement,
    envelope_path_for,
    parse_statement,
    sha256_file,
    sign_report,
    verify_attestation,
)

__all__ = [
    "PAYLOAD_TYPE",
    "PREDICATE_TYPE",
    "PRIVATE_KEY_NAME",
    "PUBLIC_KEY_NAME",
    "STATEMENT_TYPE",
    "AttestationError",
    "BadSignature",
    "DigestMismatch",
    "Envelope",
    "KeyFileError",
    "MalformedEnvelope",
    "NotAttested",
    "Signature",
    "SigningError",
    "Statement",
    "Subject",
    "UnknownPredicateType",
    "VerificationError",
    "Verified",
    "build_statement",
    "encode_envelope",
    "envelope_path_for",
    "generate_key_pair",
    "is_encrypted",
    "key_id",
    "load_private_key",
    "load_public_key",
    "pae",
    "parse_envelope",
    "parse_statement",
    "sha256_file",
    "sign_payload",
    "sign_report",
    "verify_attestation",
    "verify_envelope",
    "write_atomic",
    "write_key_pair",
]
