"""Ed25519 key pairs in PEM files, through the ``cryptography`` package."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from govbridge.attest._errors import KeyFileError

__all__ = [
    "PRIVATE_KEY_NAME",
    "PUBLIC_KEY_NAME",
    "generate_key_pair",
    "is_encrypted",
    "key_id",
    "load_private_key",
    "load_public_key",
    "write_atomic",
    "write_key_pair",
]

PRIVATE_KEY_NAME = "govbridge.key"
PUBLIC_KEY_NAME = "govbridge.pub"

_ENCRYPTED = b"-----BEGIN ENCRYPTED PRIVATE KEY-----"


def write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write a file through a temporary name and a rename, so it is never half-written.

    The temporary file is created with ``mode`` from the start (a private key is never readable
    by others, even for a moment) and synced to disk before the rename.

    Raises:
        OSError: When the file cannot be written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def generate_key_pair(passphrase: bytes | None = None) -> tuple[bytes, bytes]:
    """A new Ed25519 key pair as PEM: the private key (PKCS #8) and the public key (SPKI).

    Args:
        passphrase: When given, the private key is encrypted with it.

    Returns:
        ``(private_pem, public_pem)``.
    """
    key = Ed25519PrivateKey.generate()
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private, public


def write_key_pair(
    directory: str | Path, passphrase: bytes | None = None, *, force: bool = False
) -> tuple[Path, Path]:
    """Generate a key pair and write ``govbridge.key`` (mode 0600) and ``govbridge.pub``.

    Args:
        directory: The folder; created when missing.
        passphrase: When given, the private key is encrypted with it.
        force: Replace existing key files.

    Returns:
        The paths of the private and the public key.

    Raises:
        KeyFileError: When a key file exists (without ``force``) or cannot be written.
    """
    folder = Path(directory)
    private_path = folder / PRIVATE_KEY_NAME
    public_path = folder / PUBLIC_KEY_NAME
    if not force:
        for path in (private_path, public_path):
            if path.exists():
                raise KeyFileError(f"{path} exists; choose another --out or pass --force")
    private, public = generate_key_pair(passphrase)
    try:
        write_atomic(private_path, private, 0o600)
        write_atomic(public_path, public, 0o644)
    except OSError as exc:
        raise KeyFileError(f"{folder}: cannot write the key files ({exc.strerror})") from None
    return private_path, public_path


def _read(path: str | Path, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise KeyFileError(f"{path}: cannot read the {what} ({exc.strerror})") from None


def is_encrypted(path: str | Path) -> bool:
    """Whether a private-key file is encrypted with a passphrase.

    Raises:
        KeyFileError: When the file cannot be read.
    """
    return _ENCRYPTED in _read(path, "private key")


def load_private_key(path: str | Path, passphrase: bytes | None = None) -> Ed25519PrivateKey:
    """Read an Ed25519 private key from a PEM file.

    Raises:
        KeyFileError: When the file cannot be read, is not an Ed25519 private key, or the
            passphrase is missing or wrong.
    """
    data = _read(path, "private key")
    encrypted = _ENCRYPTED in data
    if encrypted and not passphrase:
        raise KeyFileError(f"{path}: the private key is encrypted; give its passphrase")
    try:
        key = serialization.load_pem_private_key(data, passphrase if encrypted else None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        problem = "wrong passphrase" if encrypted else "not a PEM private key"
        raise KeyFileError(f"{path}: {problem}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path}: not an Ed25519 private key ({type(key).__name__})")
    return key


def load_public_key(path: str | Path) -> Ed25519PublicKey:
    """Read an Ed25519 public key from a PEM file.

    Raises:
        KeyFileError: When the file cannot be read or is not an Ed25519 public key.
    """
    data = _read(path, "public key")
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise KeyFileError(f"{path}: not a PEM public key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFileError(f"{path}: not an Ed25519 public key ({type(key).__name__})")
    return key


def key_id(public_key: Ed25519PublicKey) -> str:
    """The key id: the SHA-256 of the public key's DER SubjectPublicKeyInfo, in hex."""
    der = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(der).hexdigest()
