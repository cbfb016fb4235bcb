"""``govbridge keys`` and ``govbridge attest``: Ed25519 keys, and signed report attestations."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from govbridge.cli._common import fail_cleanly

__all__ = ["app", "keys_app"]

keys_app = typer.Typer(help="Create the Ed25519 keys that sign attestations.", no_args_is_help=True)
app = typer.Typer(
    help="Sign a JSON report into an in-toto attestation (DSSE, Ed25519), or verify one.",
    no_args_is_help=True,
)


def _passphrase_from_env(name: str | None) -> bytes | None:
    from govbridge.errors import UsageError

    if name is None:
        return None
    value = os.environ.get(name)
    if not value:
        raise UsageError(f"--passphrase-env {name}: the environment variable is not set or empty")
    return value.encode("utf-8")


@keys_app.command("generate")
def generate(
    out: Path = typer.Option(
        Path("."), "--out", "-o", help="The folder for govbridge.key and govbridge.pub."
    ),
    encrypt: bool = typer.Option(
        False, "--encrypt", help="Encrypt the private key with a passphrase typed at a prompt."
    ),
    passphrase_env: str | None = typer.Option(
        None,
        "--passphrase-env",
        metavar="VAR",
        help="Encrypt the private key with the passphrase in this environment variable.",
    ),
    force: bool = typer.Option(False, "--force", help="Replace existing key files."),
) -> None:
    """Create an Ed25519 key pair: DIR/govbridge.key (PEM, mode 0600) and DIR/govbridge.pub."""
    with fail_cleanly():
        from govbridge.attest import key_id, load_public_key, write_key_pair

        passphrase = _passphrase_from_env(passphrase_env)
        if encrypt and passphrase is None:
            text = typer.prompt("Passphrase", hide_input=True, confirmation_prompt=True)
            passphrase = text.encode("utf-8")
        private, public = write_key_pair(out, passphrase, force=force)
        typer.echo(f"wrote {private} (private, mode 0600{', encrypted' if passphrase else ''})")
        typer.echo(f"wrote {public} (public)")
        typer.echo(f"key id {key_id(load_public_key(public))}")


@app.command("sign")
def sign(
    report: Path = typer.Argument(..., help="A JSON report (govbridge report --format json)."),
    key: Path = typer.Option(..., "--key", "-k", help="The Ed25519 private key (PEM)."),
    model_file: Path | None = typer.Option(
        None, "--model-file", help="The model's weights or archive, to bind by digest."
    ),
    evidence: list[Path] | None = typer.Option(
        None, "--evidence", "-e", help="An evidence file or log to bind by digest; repeatable."
    ),
    dossier: Path | None = typer.Option(
        None, "--dossier", help="The dossier file, checked against the report's record."
    ),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="The envelope [default: REPORT.intoto.json beside the report]."
    ),
    passphrase_env: str | None = typer.Option(
        None,
        "--passphrase-env",
        metavar="VAR",
        help="Read the private key's passphrase from this environment variable.",
    ),
) -> None:
    """Sign REPORT into an in-toto Statement v1 in a DSSE envelope (*.intoto.json).

    The subjects are the SHA-256 digests of the report, the dossier, every evidence file and,
    when given, the model file; the predicate records the date, the govbridge, knowledge-base
    and protocol versions and the verdicts (docs/attestation.md).
    """
    with fail_cleanly():
        from govbridge.attest import (
            envelope_path_for,
            is_encrypted,
            key_id,
            load_private_key,
            sign_report,
            write_atomic,
        )
        from govbridge.errors import UsageError

        passphrase = _passphrase_from_env(passphrase_env)
        if passphrase is None and is_encrypted(key):
            if not sys.stdin.isatty():
                raise UsageError(f"{key}: the key is encrypted; give --passphrase-env VAR")
            passphrase = typer.prompt("Passphrase", hide_input=True).encode("utf-8")
        private = load_private_key(key, passphrase)
        envelope = sign_report(
            report, private, model_file=model_file, evidence=evidence or [], dossier=dossier
        )
        target = out or envelope_path_for(report)
        try:
            write_atomic(target, envelope)
        except OSError as exc:
            raise UsageError(f"--out {target}: cannot write the file ({exc.strerror})") from None
        typer.echo(f"wrote {target} (signed by key {key_id(private.public_key())})")


@app.command("verify")
def verify(
    envelope: Path = typer.Argument(..., help="The envelope (*.intoto.json)."),
    pub: Path = typer.Option(..., "--pub", help="The signer's Ed25519 public key (PEM)."),
    files: list[Path] | None = typer.Option(
        None,
        "--files",
        help="A file to check against its subject's digest; repeatable [default: the subjects "
        "found beside the envelope].",
    ),
    require_all: bool = typer.Option(
        False, "--all", help="Fail unless every subject was found and checked."
    ),
) -> None:
    """Verify ENVELOPE: the signature, the statement, and the digest of every file checked.

    Exits 0 and prints what was attested when everything checks out; otherwise exits 1 with
    the exact reason: malformed envelope, bad signature, unknown predicate type, or digest
    mismatch for a named file.
    """
    from govbridge.attest import VerificationError

    with fail_cleanly():
        from govbridge.attest import load_public_key, verify_attestation
        from govbridge.errors import UsageError

        key = load_public_key(pub)
        try:
            data = envelope.read_bytes()
        except OSError as exc:
            raise UsageError(f"{envelope}: cannot read the envelope ({exc.strerror})") from None
        try:
            verified = verify_attestation(
                data,
                key,
                files=files or [],
                base_dir=envelope.parent,
                require_all=require_all,
            )
        except VerificationError as exc:
            typer.echo(f"verification failed: {exc}", err=True)
            raise typer.Exit(1) from None
        _print(verified)


def _print(verified: object) -> None:
    from govbridge.attest import Verified

    assert isinstance(verified, Verified)
    p = verified.statement.predicate
    model = p["model"]
    typer.echo(f"OK: signature by key {verified.keyid}")
    typer.echo(
        f"model {model.get('name')}; as of {p['as_of']}; report by govbridge "
        f"{p['govbridge_version']}; signed with {p['signed_with']}"
    )
    typer.echo(f"knowledge base {p['kb_edition']} ({p['kb_version']})")
    if p["protocol_versions"]:
        shown = ", ".join(f"{k} (from {v})" for k, v in p["protocol_versions"].items())
        typer.echo(f"protocols: {shown}")
    counts: dict[str, int] = {}
    for v in p["verdicts"]:
        counts[str(v.get("verdict"))] = counts.get(str(v.get("verdict")), 0) + 1
    shown = ", ".join(f"{k} {n}" for k, n in sorted(counts.items())) or "none"
    typer.echo(f"verdicts: {shown}")
    for v in p["verdicts"]:
        if v.get("verdict") in ("met", "not_met"):
            typer.echo(f"  {v.get('verdict')}: {v.get('obligation')} ({v.get('jurisdiction')})")
    for subject, path in verified.checked:
        typer.echo(f"checked {subject.role or 'subject'} {subject.name}: sha256 matches ({path})")
    for subject in verified.unchecked:
        typer.echo(
            f"not checked {subject.role or 'subject'} {subject.name}: not found beside the "
            "envelope (pass it with --files)"
        )
