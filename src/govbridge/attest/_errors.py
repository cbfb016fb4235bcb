"""The errors of attestations.

::

    GovbridgeError
    ├── InputError
    │   └── KeyFileError            a key file that cannot be read, written or decrypted
    └── AttestationError
        ├── SigningError            a report that cannot be signed as asked
        └── VerificationError       an envelope that does not verify (exit status 1)
            ├── MalformedEnvelope   not a DSSE envelope with an in-toto statement
            ├── BadSignature        no signature by the given key verifies
            ├── UnknownPredicateType  a statement that is not a govbridge report attestation
            ├── DigestMismatch      a file whose SHA-256 differs from its subject's
            └── NotAttested         a file that is not a subject of the statement
"""

from __future__ import annotations

from govbridge.errors import GovbridgeError, InputError

__all__ = [
    "AttestationError",
    "BadSignature",
    "DigestMismatch",
    "KeyFileError",
    "MalformedEnvelope",
    "NotAttested",
    "SigningError",
    "UnknownPredicateType",
    "VerificationError",
]


class KeyFileError(InputError):
    """A key file that cannot be read, written or decrypted."""


class AttestationError(GovbridgeError):
    """A problem with an attestation."""


class SigningError(AttestationError):
    """A report that cannot be signed as asked (for example, evidence that differs from it)."""


class VerificationError(AttestationError):
    """An attestation that does not verify; the message is the exact reason."""


class MalformedEnvelope(VerificationError):
    """Bytes that are not a DSSE envelope holding an in-toto Statement v1."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(f"malformed envelope: {detail}")


class BadSignature(VerificationError):
    """No signature of the envelope verifies with the given public key."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(f"bad signature: {detail}")


class UnknownPredicateType(VerificationError):
    """A statement whose predicate type is not the govbridge report attestation."""

    def __init__(self, found: object, expected: str) -> None:
        self.found = found
        self.expected = expected
        super().__init__(f"unknown predicate type {found!r} (expected {expected!r})")


class DigestMismatch(VerificationError):
    """A file whose SHA-256 digest differs from the one attested for it."""

    def __init__(self, file: str, expected: str, found: str) -> None:
        self.file = file
        self.expected = expected
        self.found = found
        super().__init__(
            f"digest mismatch for {file}: attested sha256:{expected}, file has sha256:{found}"
        )


class NotAttested(VerificationError):
    """A file that is not a subject of the statement."""

    def __init__(self, file: str, subjects: list[str]) -> None:
        self.file = file
        super().__init__(
            f"{file} is not a subject of this attestation (subjects: {', '.join(subjects)})"
        )
