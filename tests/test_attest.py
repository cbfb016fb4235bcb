"""Attestations: keys, DSSE envelopes, in-toto statements, sign and verify, and the CLI."""

from __future__ import annotations

import base64
import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from govbridge.attest import (
    PREDICATE_TYPE,
    BadSignature,
    DigestMismatch,
    KeyFileError,
    MalformedEnvelope,
    NotAttested,
    SigningError,
    UnknownPredicateType,
    VerificationError,
    encode_envelope,
    envelope_path_for,
    load_private_key,
    load_public_key,
    parse_envelope,
    sign_payload,
    sign_report,
    verify_attestation,
    write_key_pair,
)
from govbridge.cli import app

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests/fixtures/report"


def _signed_folder(folder: Path, dossier: Path) -> Path:
    """A folder with a dossier, an evidence file, a JSON report, a model file, keys, envelope."""
    shutil.copy(dossier, folder / dossier.name)
    shutil.copy(FIXTURES / "eval-summary.json", folder / "eval-summary.json")
    runner = CliRunner()
    result = runner.invoke(
        app,
        [
            "report",
            str(folder / dossier.name),
            "--as-of",
            "2026-11-27",
            "-e",
            str(folder / "eval-summary.json"),
            "-f",
            "json",
            "-o",
            str(folder / "report.json"),
        ],
    )
    assert result.exit_code == 0, result.output
    (folder / "model.bin").write_bytes(os.urandom(3000))
    write_key_pair(folder / "keys")
    envelope = sign_report(
        folder / "report.json",
        load_private_key(folder / "keys/govbridge.key"),
        model_file=folder / "model.bin",
    )
    (folder / "report.intoto.json").write_bytes(envelope)
    return folder


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A signed report of a frontier model offered in the US, China and the EU."""
    return _signed_folder(tmp_path_factory.mktemp("signed"), FIXTURES / "frontier-cn.yaml")


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A signed report with a small envelope (few triggered obligations), for byte flipping."""
    return _signed_folder(tmp_path_factory.mktemp("small"), ROOT / "examples/llama-3.1-405b.yaml")


def _copy(signed: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy"
    shutil.copytree(signed, target)
    return target


def _verify(folder: Path, **kwargs: object) -> object:
    return verify_attestation(
        (folder / "report.intoto.json").read_bytes(),
        load_public_key(folder / "keys/govbridge.pub"),
        base_dir=folder,
        **kwargs,  # type: ignore[arg-type]
    )


# -- keys -----------------------------------------------------------------------------------


def test_keys_are_pem_and_private_key_is_0600(tmp_path: Path) -> None:
    private, public = write_key_pair(tmp_path / "k")
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert private.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert public.read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
    with pytest.raises(KeyFileError, match="exists"):
        write_key_pair(tmp_path / "k")
    write_key_pair(tmp_path / "k", force=True)


def test_encrypted_key_needs_its_passphrase(tmp_path: Path) -> None:
    private, _ = write_key_pair(tmp_path, b"correct horse")
    assert b"ENCRYPTED" in private.read_bytes()
    assert isinstance(load_private_key(private, b"correct horse"), Ed25519PrivateKey)
    with pytest.raises(KeyFileError, match="wrong passphrase"):
        load_private_key(private, b"wrong")
    with pytest.raises(KeyFileError, match="encrypted"):
        load_private_key(private)


@pytest.mark.parametrize("content", [b"", b"garbage", b"-----BEGIN PUBLIC KEY-----\nAA\n"])
def test_bad_key_files(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.pem"
    path.write_bytes(content)
    with pytest.raises(KeyFileError):
        load_public_key(path)
    with pytest.raises(KeyFileError):
        load_private_key(path)


# -- sign and verify ------------------------------------------------------------------------


def test_round_trip_checks_every_subject(signed: Path) -> None:
    verified = _verify(signed, require_all=True)
    statement = verified.statement  # type: ignore[attr-defined]
    roles = {s.role: s.name for s in statement.subjects}
    assert roles == {
        "report": "report.json",
        "dossier": "frontier-cn.yaml",
        "evidence": "eval-summary.json",
        "model": "model.bin",
    }
    p = statement.predicate
    assert p["as_of"] == "2026-11-27"
    assert p["protocol_versions"] == {"cn.gbt_45654_2025.protocol": "2025-11-01"}
    assert p["evaluation"]["schema"] == "govbridge/eval-summary/v1"
    met = {v["obligation"] for v in p["verdicts"] if v["verdict"] == "met"}
    assert "cn.gbt_45654_2025.protocol.generated_content_test" in met
    report = json.loads((signed / "report.json").read_text())
    assert p["kb_version"] == report["kb_version"]


def test_payload_is_an_in_toto_statement(signed: Path) -> None:
    envelope = json.loads((signed / "report.intoto.json").read_text())
    assert envelope["payloadType"] == "application/vnd.in-toto+json"
    statement = json.loads(base64.b64decode(envelope["payload"]))
    assert statement["_type"] == "https://in-toto.io/Statement/v1"
    assert statement["predicateType"] == PREDICATE_TYPE
    assert all(len(s["digest"]["sha256"]) == 64 for s in statement["subject"])


def test_flipping_any_byte_of_the_envelope_fails(small: Path) -> None:
    data = (small / "report.intoto.json").read_bytes()
    key = load_public_key(small / "keys/govbridge.pub")
    verify_attestation(data, key)
    for i in range(len(data)):
        changed = bytearray(data)
        changed[i] ^= 0x01 if i % 2 else 0x20
        with pytest.raises(VerificationError):
            verify_attestation(bytes(changed), key)


def test_flipping_bytes_of_the_report_fails(signed: Path, tmp_path: Path) -> None:
    folder = _copy(signed, tmp_path)
    report = folder / "report.json"
    original = report.read_bytes()
    positions = sorted({0, len(original) - 1, *range(0, len(original), len(original) // 97)})
    for i in positions:
        changed = bytearray(original)
        changed[i] ^= 0x01
        report.write_bytes(bytes(changed))
        with pytest.raises(DigestMismatch, match="report.json"):
            _verify(folder)
    report.write_bytes(original)
    _verify(folder, require_all=True)


def test_flipping_bytes_of_an_evidence_file_fails(small: Path, tmp_path: Path) -> None:
    folder = _copy(small, tmp_path)
    evidence = folder / "eval-summary.json"
    original = evidence.read_bytes()
    # every byte of the head, then a stride to the last byte (writing files is the slow part)
    positions = sorted({*range(256), *range(256, len(original), 17), len(original) - 1})
    for i in positions:
        changed = bytearray(original)
        changed[i] ^= 0x04
        evidence.write_bytes(bytes(changed))
        with pytest.raises(DigestMismatch, match="eval-summary.json"):
            _verify(folder, files=[evidence])


def test_a_wrong_key_fails(signed: Path, tmp_path: Path) -> None:
    _, other = write_key_pair(tmp_path / "other")
    with pytest.raises(BadSignature, match="no signature by the given key"):
        verify_attestation((signed / "report.intoto.json").read_bytes(), load_public_key(other))


def test_a_forged_keyid_still_fails(signed: Path, tmp_path: Path) -> None:
    """Claiming the verifier's key id does not help a signature by another key."""
    from govbridge.attest import key_id

    _, other = write_key_pair(tmp_path / "other")
    envelope = json.loads((signed / "report.intoto.json").read_text())
    envelope["signatures"][0]["keyid"] = key_id(load_public_key(other))
    data = (json.dumps(envelope, separators=(",", ":")) + "\n").encode()
    with pytest.raises(BadSignature, match="does not match"):
        verify_attestation(data, load_public_key(other))


def test_unknown_predicate_type(tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    statement = {
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [{"name": "x", "digest": {"sha256": "0" * 64}}],
        "predicateType": "https://slsa.dev/provenance/v1",
        "predicate": {},
    }
    envelope = encode_envelope(sign_payload(json.dumps(statement).encode(), key))
    with pytest.raises(UnknownPredicateType, match="slsa.dev"):
        verify_attestation(envelope, key.public_key())


def test_incomplete_predicate_is_malformed() -> None:
    key = Ed25519PrivateKey.generate()
    statement = {
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [{"name": "x", "digest": {"sha256": "0" * 64}}],
        "predicateType": PREDICATE_TYPE,
        "predicate": {"as_of": "2026-01-01"},
    }
    envelope = encode_envelope(sign_payload(json.dumps(statement).encode(), key))
    with pytest.raises(MalformedEnvelope, match="predicate: missing key"):
        verify_attestation(envelope, key.public_key())


def test_a_file_that_is_not_a_subject(signed: Path, tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    with pytest.raises(NotAttested, match="notes.txt"):
        _verify(signed, files=[other])


def test_signing_refuses_evidence_that_differs_from_the_report(
    signed: Path, tmp_path: Path
) -> None:
    changed = tmp_path / "eval-summary.json"
    changed.write_text((signed / "eval-summary.json").read_text() + " ")
    key = load_private_key(signed / "keys/govbridge.key")
    with pytest.raises(SigningError, match="differs"):
        sign_report(signed / "report.json", key, evidence=[changed])
    with pytest.raises(SigningError, match="differs"):
        sign_report(signed / "report.json", key, dossier=changed)


def test_default_envelope_path() -> None:
    assert envelope_path_for("out/report.json") == Path("out/report.intoto.json")
    assert envelope_path_for("report") == Path("report.intoto.json")


# -- the parser, fuzzed ----------------------------------------------------------------------


@given(st.binary(max_size=2000))
@settings(max_examples=300, deadline=None)
def test_parser_never_crashes_on_bytes(data: bytes) -> None:
    try:
        parse_envelope(data)
    except MalformedEnvelope:
        pass


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["payloadType", "payload", "signatures", "keyid", "sig", "x"]),
            children,
            max_size=4,
        )
    ),
    max_leaves=20,
)


@given(_json)
@settings(max_examples=300, deadline=None)
def test_parser_never_crashes_on_json(value: object) -> None:
    try:
        parse_envelope(json.dumps(value).encode())
    except MalformedEnvelope:
        pass


@given(data=st.data())
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_mutated_envelopes_never_verify_and_never_crash(data: st.DataObject) -> None:
    key = Ed25519PrivateKey.generate()
    statement = {
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [{"name": "r.json", "digest": {"sha256": "a" * 64}}],
        "predicateType": PREDICATE_TYPE,
        "predicate": {},
    }
    envelope = bytearray(encode_envelope(sign_payload(json.dumps(statement).encode(), key)))
    kind = data.draw(st.sampled_from(["flip", "truncate", "insert", "delete"]))
    if kind == "truncate":
        envelope = envelope[: data.draw(st.integers(0, len(envelope) - 1))]
    else:
        i = data.draw(st.integers(0, len(envelope) - 1))
        if kind == "flip":
            envelope[i] ^= data.draw(st.integers(1, 255))
        elif kind == "insert":
            envelope.insert(i, data.draw(st.integers(0, 255)))
        else:
            del envelope[i]
    with pytest.raises(VerificationError):
        verify_attestation(bytes(envelope), key.public_key())


# -- the CLI --------------------------------------------------------------------------------


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_cli_keys_sign_verify(runner: CliRunner, signed: Path, tmp_path: Path) -> None:
    folder = _copy(signed, tmp_path)
    keys = runner.invoke(app, ["keys", "generate", "--out", str(folder / "new")])
    assert keys.exit_code == 0, keys.output
    assert stat.S_IMODE((folder / "new/govbridge.key").stat().st_mode) == 0o600
    sign = runner.invoke(
        app,
        ["attest", "sign", str(folder / "report.json"), "--key", str(folder / "new/govbridge.key")],
    )
    assert sign.exit_code == 0, sign.output
    assert (folder / "report.intoto.json").is_file()
    verify = runner.invoke(
        app,
        [
            "attest",
            "verify",
            str(folder / "report.intoto.json"),
            "--pub",
            str(folder / "new/govbridge.pub"),
        ],
    )
    assert verify.exit_code == 0, verify.output
    assert verify.output.startswith("OK: signature by key")
    assert "as of 2026-11-27" in verify.output
    assert "checked report report.json: sha256 matches" in verify.output


def test_cli_encrypted_key_from_environment(
    runner: CliRunner, signed: Path, tmp_path: Path
) -> None:
    env = {"GB_PASS": "s3cret"}
    out = tmp_path / "enc"
    result = runner.invoke(
        app, ["keys", "generate", "-o", str(out), "--passphrase-env", "GB_PASS"], env=env
    )
    assert result.exit_code == 0 and "encrypted" in result.output
    args = ["attest", "sign", str(signed / "report.json"), "--key", str(out / "govbridge.key")]
    missing = runner.invoke(app, [*args, "--out", str(tmp_path / "e.json")])
    assert missing.exit_code == 2 and "--passphrase-env" in missing.output
    ok = runner.invoke(
        app, [*args, "--out", str(tmp_path / "e.json"), "--passphrase-env", "GB_PASS"], env=env
    )
    assert ok.exit_code == 0, ok.output


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "malformed envelope: the file is empty"),
        (b"\x00\x01garbage\xff", "malformed envelope"),
        (b'{"payloadType":"application/vnd.in-toto+json"}', "malformed envelope: missing key"),
    ],
)
def test_cli_garbage_is_a_clean_error(
    runner: CliRunner, signed: Path, tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "bad.intoto.json"
    path.write_bytes(content)
    result = runner.invoke(
        app, ["attest", "verify", str(path), "--pub", str(signed / "keys/govbridge.pub")]
    )
    assert result.exit_code == 1
    assert reason in result.output
    assert "Traceback" not in result.output and result.output.count("\n") == 1


def test_cli_truncated_envelope(runner: CliRunner, signed: Path, tmp_path: Path) -> None:
    data = (signed / "report.intoto.json").read_bytes()
    for cut in (1, len(data) // 3, len(data) - 2):
        path = tmp_path / "cut.json"
        path.write_bytes(data[:cut])
        result = runner.invoke(
            app, ["attest", "verify", str(path), "--pub", str(signed / "keys/govbridge.pub")]
        )
        assert result.exit_code == 1 and "malformed envelope" in result.output
        assert "Traceback" not in result.output


def test_cli_digest_mismatch_names_the_file(
    runner: CliRunner, signed: Path, tmp_path: Path
) -> None:
    folder = _copy(signed, tmp_path)
    (folder / "model.bin").write_bytes(b"another model")
    result = runner.invoke(
        app,
        [
            "attest",
            "verify",
            str(folder / "report.intoto.json"),
            "--pub",
            str(folder / "keys/govbridge.pub"),
            "--files",
            str(folder / "model.bin"),
        ],
    )
    assert result.exit_code == 1
    assert f"digest mismatch for {folder / 'model.bin'}" in result.output


def test_cli_wrong_key_and_bad_pub(runner: CliRunner, signed: Path, tmp_path: Path) -> None:
    _, other = write_key_pair(tmp_path / "other")
    envelope = str(signed / "report.intoto.json")
    wrong = runner.invoke(app, ["attest", "verify", envelope, "--pub", str(other)])
    assert wrong.exit_code == 1 and "bad signature" in wrong.output
    missing = runner.invoke(app, ["attest", "verify", envelope, "--pub", str(tmp_path / "nope")])
    assert missing.exit_code == 2 and missing.output.startswith("error: ")


def test_cli_sign_refuses_a_non_report(runner: CliRunner, signed: Path) -> None:
    result = runner.invoke(
        app,
        [
            "attest",
            "sign",
            str(FIXTURES / "eval-summary.json"),
            "--key",
            str(signed / "keys/govbridge.key"),
        ],
    )
    assert result.exit_code == 2
    assert "govbridge/report/v1" in result.output and "Traceback" not in result.output


def test_demo_ends_with_a_signed_verified_report(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = runner.invoke(
        app, ["demo", "--as-of", "2026-11-27", "--out-dir", str(out), "--skip-eval"]
    )
    assert result.exit_code == 0, result.output
    report = out / "report.html"
    assert result.output.rstrip().endswith(f"report: {report.resolve()}")
    assert "verified: signature by key" in result.output
    assert (out / "report.intoto.json").is_file() and (out / "report.zh.html").is_file()
    verified = verify_attestation(
        (out / "report.intoto.json").read_bytes(),
        load_public_key(out / "keys/govbridge.pub"),
        base_dir=out,
        require_all=True,
    )
    assert {s.role for s in verified.statement.subjects} == {"report", "dossier"}
