"""In-toto Statement v1 for govbridge reports: build, sign, parse and verify.

A statement binds the SHA-256 digests of its subjects (the report, the dossier, the evidence
files and, optionally, the model file) to a predicate that says what the report concluded. It
travels inside a DSSE envelope (:mod:`govbridge.attest._dsse`); see docs/attestation.md.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from govbridge.attest._dsse import (
    encode_envelope,
    load_json,
    parse_envelope,
    sign_payload,
    verify_envelope,
)
from govbridge.attest._errors import (
    DigestMismatch,
    MalformedEnvelope,
    NotAttested,
    SigningError,
    UnknownPredicateType,
    VerificationError,
)
from govbridge.attest._keys import key_id
from govbridge.errors import InputError

__all__ = [
    "PREDICATE_TYPE",
    "STATEMENT_TYPE",
    "Statement",
    "Subject",
    "Verified",
    "build_statement",
    "envelope_path_for",
    "parse_statement",
    "sha256_file",
    "sign_report",
    "verify_attestation",
]

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
#: The predicate type of a govbridge report attestation (a URN: it names, it does not resolve).
PREDICATE_TYPE = "urn:govbridge:predicate:report:v1"

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_REQUIRED: dict[str, type | tuple[type, ...]] = {
    "report_schema": str,
    "model": dict,
    "as_of": str,
    "govbridge_version": str,
    "signed_with": str,
    "kb_version": str,
    "kb_edition": str,
    "crosswalk_version": (str, type(None)),
    "protocol_versions": dict,
    "evaluation": (dict, type(None)),
    "materials": dict,
    "verdicts": list,
}


@dataclass(frozen=True)
class Subject:
    """A file the statement attests: its name, its SHA-256 digest and its role."""

    name: str
    sha256: str
    role: str = ""


@dataclass(frozen=True)
class Statement:
    """A parsed in-toto statement with a govbridge report predicate."""

    subjects: tuple[Subject, ...]
    predicate: dict[str, Any]

    def subject(self, name: str) -> Subject | None:
        """The subject with this name, if any."""
        for s in self.subjects:
            if s.name == name:
                return s
        return None


@dataclass(frozen=True)
class Verified:
    """What a successful verification established."""

    statement: Statement
    keyid: str
    checked: tuple[tuple[Subject, str], ...]
    unchecked: tuple[Subject, ...] = field(default_factory=tuple)


def sha256_file(path: str | Path) -> str:
    """The SHA-256 digest of a file in hex, read in chunks (model files can be large).

    Raises:
        InputError: When the file cannot be read.
    """
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror})") from None


def envelope_path_for(report: str | Path) -> Path:
    """The default envelope beside a report: ``r.json`` -> ``r.intoto.json``."""
    path = Path(report)
    stem = path.name[: -len(".json")] if path.name.endswith(".json") else path.name
    return path.with_name(f"{stem}.intoto.json")


def build_statement(subjects: Sequence[Subject], predicate: dict[str, Any]) -> dict[str, Any]:
    """An in-toto Statement v1 as a JSON-ready mapping."""
    return {
        "_type": STATEMENT_TYPE,
        "subject": [{"name": s.name, "digest": {"sha256": s.sha256}} for s in subjects],
        "predicateType": PREDICATE_TYPE,
        "predicate": predicate,
    }


def _predicate(report: Any, report_name: str, subjects: Sequence[Subject]) -> dict[str, Any]:
    from govbridge import __version__

    protocols: dict[str, str] = {}
    tasks: set[str] = set()
    judges: set[str] = set()
    for j in report.jurisdictions:
        for p in j.content.parameters:
            protocols[p.provision] = max(protocols.get(p.provision, p.since), p.since)
        for c in j.content.checks:
            tasks.add(c.task)
            judges.add(c.judge)
    evaluation = None
    if report.inputs.evidence:
        evaluation = {
            "schema": "govbridge/eval-summary/v1",
            "tasks": sorted(tasks),
            "judges": sorted(judges),
        }
    return {
        "report_schema": report.schema_,
        "model": dict(report.model),
        "as_of": report.as_of,
        "govbridge_version": report.govbridge_version,
        "signed_with": f"govbridge {__version__}",
        "kb_version": report.kb_version,
        "kb_edition": report.kb_edition,
        "crosswalk_version": report.crosswalk.version,
        "protocol_versions": dict(sorted(protocols.items())),
        "evaluation": evaluation,
        "materials": {
            "report": report_name,
            "dossier": next((s.name for s in subjects if s.role == "dossier"), None),
            "evidence": [s.name for s in subjects if s.role == "evidence"],
            "model_file": next((s.name for s in subjects if s.role == "model"), None),
        },
        "verdicts": report.verdicts(),
    }


def sign_report(
    report_path: str | Path,
    key: Ed25519PrivateKey,
    *,
    model_file: str | Path | None = None,
    evidence: Sequence[str | Path] = (),
    dossier: str | Path | None = None,
) -> bytes:
    """Sign a ``govbridge/report/v1`` JSON report into a DSSE envelope.

    The subjects are the report, the dossier and the evidence files the report records, any
    further ``evidence`` files (such as Inspect logs) and, when given, the model file.

    Args:
        report_path: The JSON report.
        key: The Ed25519 private key.
        model_file: The model's weights or archive, to bind the report to them.
        evidence: Evidence files; those the report records must match its digests.
        dossier: The dossier file, checked against the digest the report records.

    Returns:
        The envelope's bytes.

    Raises:
        ReportError: When the file is not a govbridge JSON report.
        SigningError: When a file differs from the one the report was built from, or two
            subjects have the same name.
        InputError: When a file cannot be read.
    """
    from govbridge.report import parse_report

    path = Path(report_path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the report ({exc.strerror})") from None
    report = parse_report(data, str(path))
    subjects = [Subject(path.name, hashlib.sha256(data).hexdigest(), "report")]
    recorded = report.inputs.dossier
    if dossier is not None:
        digest = sha256_file(dossier)
        if recorded is not None and digest != recorded.sha256:
            raise SigningError(
                f"--dossier {dossier}: differs from the dossier the report was built from "
                f"({recorded.name}, sha256:{recorded.sha256})"
            )
        subjects.append(Subject(Path(dossier).name, digest, "dossier"))
    elif recorded is not None:
        subjects.append(Subject(recorded.name, recorded.sha256, "dossier"))
    used = {e.name: e.sha256 for e in report.inputs.evidence}
    given: dict[str, str] = {}
    for item in evidence:
        name = Path(item).name
        digest = sha256_file(item)
        if name in used and used[name] != digest:
            raise SigningError(
                f"--evidence {item}: differs from the {name} the report was built from "
                f"(sha256:{used[name]})"
            )
        given[name] = digest
    for name, digest in {**used, **given}.items():
        subjects.append(Subject(name, digest, "evidence"))
    if model_file is not None:
        subjects.append(Subject(Path(model_file).name, sha256_file(model_file), "model"))
    names = [s.name for s in subjects]
    for name in names:
        if names.count(name) > 1:
            raise SigningError(f"two subjects are named {name}: rename one of the files")
    statement = build_statement(subjects, _predicate(report, path.name, subjects))
    payload = json.dumps(statement, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return encode_envelope(sign_payload(payload.encode("utf-8"), key))


def parse_statement(payload: bytes) -> Statement:
    """Parse a signed payload as an in-toto Statement v1 with a govbridge report predicate.

    Raises:
        MalformedEnvelope: When the payload is not a well-formed statement.
        UnknownPredicateType: When its predicate type is not :data:`PREDICATE_TYPE`.
    """
    doc = load_json(payload, "the payload")
    if not isinstance(doc, dict):
        raise MalformedEnvelope("the payload is not a JSON object")
    if doc.get("_type") != STATEMENT_TYPE:
        raise MalformedEnvelope(f"_type is {doc.get('_type')!r}, expected {STATEMENT_TYPE!r}")
    if doc.get("predicateType") != PREDICATE_TYPE:
        raise UnknownPredicateType(doc.get("predicateType"), PREDICATE_TYPE)
    raw_subjects = doc.get("subject")
    if not isinstance(raw_subjects, list) or not raw_subjects:
        raise MalformedEnvelope("subject must be a non-empty list")
    subjects = []
    for i, entry in enumerate(raw_subjects):
        name = entry.get("name") if isinstance(entry, dict) else None
        digest = entry.get("digest") if isinstance(entry, dict) else None
        sha = digest.get("sha256") if isinstance(digest, dict) else None
        if (
            not isinstance(name, str)
            or not name
            or not isinstance(sha, str)
            or not _HEX64.match(sha)
        ):
            raise MalformedEnvelope(f"subject[{i}] needs a name and a sha256 digest")
        subjects.append(Subject(name, sha))
    predicate = doc.get("predicate")
    if not isinstance(predicate, dict):
        raise MalformedEnvelope("predicate must be an object")
    for key, kind in _REQUIRED.items():
        if key not in predicate:
            raise MalformedEnvelope(f"predicate: missing key {key!r}")
        if not isinstance(predicate[key], kind):
            raise MalformedEnvelope(f"predicate.{key} has the wrong type")
    materials = predicate["materials"]
    roles = {materials.get("report"): "report", materials.get("dossier"): "dossier"}
    for name in materials.get("evidence") or []:
        roles[name] = "evidence"
    roles[materials.get("model_file")] = "model"
    subjects = [Subject(s.name, s.sha256, roles.get(s.name, "")) for s in subjects]
    return Statement(tuple(subjects), predicate)


def verify_attestation(
    envelope: bytes,
    public_key: Ed25519PublicKey,
    *,
    files: Sequence[str | Path] = (),
    base_dir: str | Path | None = None,
    require_all: bool = False,
) -> Verified:
    """Verify an envelope: its signature, its statement, and the digests of the files.

    Args:
        envelope: The envelope's bytes.
        public_key: The signer's public key.
        files: Files to check; each must be a subject (matched by file name). Without them,
            the subjects found in ``base_dir`` are checked.
        base_dir: Where to look for subjects when no ``files`` are given.
        require_all: Fail unless every subject was checked.

    Returns:
        The statement, the key id, and which subjects were checked.

    Raises:
        VerificationError: The exact reason (malformed envelope, bad signature, unknown
            predicate type, digest mismatch, a file that is not a subject, an unchecked subject).
        InputError: When a file cannot be read.
    """
    parsed = parse_envelope(envelope)
    payload = verify_envelope(parsed, public_key)
    statement = parse_statement(payload)
    checked: list[tuple[Subject, str]] = []
    if files:
        for item in files:
            name = Path(item).name
            subject = statement.subject(name)
            if subject is None:
                raise NotAttested(str(item), [s.name for s in statement.subjects])
            digest = sha256_file(item)
            if digest != subject.sha256:
                raise DigestMismatch(str(item), subject.sha256, digest)
            checked.append((subject, str(item)))
    elif base_dir is not None:
        for subject in statement.subjects:
            candidate = Path(base_dir) / subject.name
            if not candidate.is_file():
                continue
            digest = sha256_file(candidate)
            if digest != subject.sha256:
                raise DigestMismatch(str(candidate), subject.sha256, digest)
            checked.append((subject, str(candidate)))
    done = {s.name for s, _ in checked}
    unchecked = tuple(s for s in statement.subjects if s.name not in done)
    if require_all and unchecked:
        raise VerificationError(
            "not every subject was checked: " + ", ".join(s.name for s in unchecked)
        )
    return Verified(statement, key_id(public_key), tuple(checked), unchecked)
