"""DSSE envelopes (Dead Simple Signing Envelope, v1) signed with Ed25519.

An envelope is a JSON object::

    {"payloadType": "application/vnd.in-toto+json",
     "payload": "<base64 of the statement>",
     "signatures": [{"keyid": "<sha256 of the public key>", "sig": "<base64 signature>"}]}

The signature covers the pre-authentication encoding (PAE) of the payload type and the payload,
never the JSON text, so the payload type cannot be swapped. The parser is strict: it accepts
exactly these keys, standard base64 in canonical form, UTF-8 JSON without duplicate keys, and
only the exact bytes :func:`encode_envelope` writes (compact JSON and one final newline), so that
a changed byte anywhere in a govbridge envelope makes verification fail.

>>> pae("a", b"xyz")
b'DSSEv1 1 a 3 xyz'
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from govbridge.attest._errors import BadSignature, MalformedEnvelope
from govbridge.attest._keys import key_id

__all__ = [
    "MAX_ENVELOPE_BYTES",
    "PAYLOAD_TYPE",
    "Envelope",
    "Signature",
    "encode_envelope",
    "load_json",
    "pae",
    "parse_envelope",
    "sign_payload",
    "verify_envelope",
]

PAYLOAD_TYPE = "application/vnd.in-toto+json"
MAX_ENVELOPE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Signature:
    """One signature of an envelope."""

    keyid: str
    sig: bytes


@dataclass(frozen=True)
class Envelope:
    """A parsed DSSE envelope."""

    payload_type: str
    payload: bytes
    signatures: tuple[Signature, ...]


def pae(payload_type: str, payload: bytes) -> bytes:
    """The DSSE v1 pre-authentication encoding of a payload."""
    kind = payload_type.encode("utf-8")
    return b"DSSEv1 %d %s %d %s" % (len(kind), kind, len(payload), payload)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object, where: str) -> bytes:
    if not isinstance(text, str):
        raise MalformedEnvelope(f"{where} must be a base64 string")
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise MalformedEnvelope(f"{where} is not valid base64") from None
    if _b64(data) != text:
        raise MalformedEnvelope(f"{where} is not canonical base64")
    return data


def sign_payload(
    payload: bytes, key: Ed25519PrivateKey, payload_type: str = PAYLOAD_TYPE
) -> Envelope:
    """Sign a payload into a DSSE envelope with one Ed25519 signature."""
    sig = key.sign(pae(payload_type, payload))
    return Envelope(payload_type, payload, (Signature(key_id(key.public_key()), sig),))


def encode_envelope(envelope: Envelope) -> bytes:
    """The envelope as compact JSON and a final newline (the form :func:`parse_envelope` reads)."""
    doc = {
        "payloadType": envelope.payload_type,
        "payload": _b64(envelope.payload),
        "signatures": [{"keyid": s.keyid, "sig": _b64(s.sig)} for s in envelope.signatures],
    }
    return (json.dumps(doc, separators=(",", ":"), ensure_ascii=True) + "\n").encode("ascii")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise MalformedEnvelope(f"duplicate key {key!r}")
        out[key] = value
    return out


def _reject_constant(text: str) -> Any:
    raise MalformedEnvelope(f"{text} is not valid JSON")


def load_json(data: bytes, what: str) -> Any:
    """Strict JSON: UTF-8, no duplicate keys, no NaN or Infinity.

    Raises:
        MalformedEnvelope: When the bytes are not such JSON.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedEnvelope(f"{what} is not UTF-8 (byte {exc.start})") from None
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise MalformedEnvelope(
            f"{what} is not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:
        raise MalformedEnvelope(f"{what} nests too deeply") from None


def parse_envelope(data: bytes) -> Envelope:
    """Parse the bytes of a DSSE envelope strictly.

    Raises:
        MalformedEnvelope: When the bytes are not a well-formed envelope.
    """
    if not data.strip():
        raise MalformedEnvelope("the file is empty")
    if len(data) > MAX_ENVELOPE_BYTES:
        raise MalformedEnvelope(f"larger than {MAX_ENVELOPE_BYTES} bytes")
    doc = load_json(data, "the envelope")
    if not isinstance(doc, dict):
        raise MalformedEnvelope("expected a JSON object with payloadType, payload and signatures")
    expected = {"payloadType", "payload", "signatures"}
    missing = sorted(expected - doc.keys())
    unknown = sorted(doc.keys() - expected)
    if missing:
        raise MalformedEnvelope(f"missing key {missing[0]!r}")
    if unknown:
        raise MalformedEnvelope(f"unknown key {unknown[0]!r}")
    payload_type = doc["payloadType"]
    if not isinstance(payload_type, str):
        raise MalformedEnvelope("payloadType must be a string")
    if payload_type != PAYLOAD_TYPE:
        raise MalformedEnvelope(f"payloadType is {payload_type!r}, expected {PAYLOAD_TYPE!r}")
    payload = _unb64(doc["payload"], "payload")
    sigs = doc["signatures"]
    if not isinstance(sigs, list) or not sigs:
        raise MalformedEnvelope("signatures must be a non-empty list")
    signatures = []
    for i, entry in enumerate(sigs):
        where = f"signatures[{i}]"
        if not isinstance(entry, dict):
            raise MalformedEnvelope(f"{where} must be an object with keyid and sig")
        extra = sorted(entry.keys() - {"keyid", "sig"})
        if extra:
            raise MalformedEnvelope(f"{where}: unknown key {extra[0]!r}")
        if "sig" not in entry:
            raise MalformedEnvelope(f"{where}: missing key 'sig'")
        keyid = entry.get("keyid", "")
        if not isinstance(keyid, str):
            raise MalformedEnvelope(f"{where}.keyid must be a string")
        signatures.append(Signature(keyid, _unb64(entry["sig"], f"{where}.sig")))
    envelope = Envelope(payload_type, payload, tuple(signatures))
    if encode_envelope(envelope) != data:
        raise MalformedEnvelope(
            "not in the canonical form govbridge writes (compact JSON, keys in order, one final "
            "newline): the file was changed after signing"
        )
    return envelope


def verify_envelope(envelope: Envelope, public_key: Ed25519PublicKey) -> bytes:
    """Check that a signature by the key covers the envelope; return the payload.

    A signature counts only when its ``keyid`` is the key's id (or empty, as DSSE allows).

    Raises:
        BadSignature: When no signature by the key verifies.
    """
    wanted = key_id(public_key)
    message = pae(envelope.payload_type, envelope.payload)
    candidates = [s for s in envelope.signatures if s.keyid in (wanted, "")]
    if not candidates:
        found = ", ".join(s.keyid or "(none)" for s in envelope.signatures)
        raise BadSignature(f"no signature by the given key (key id {wanted}; envelope has {found})")
    for signature in candidates:
        try:
            public_key.verify(signature.sig, message)
        except InvalidSignature:
            continue
        return envelope.payload
    raise BadSignature("the signature does not match the payload and the given key")
