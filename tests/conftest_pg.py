"""A throwaway PostgreSQL server for the storage tests: Debian's ``postgresql`` binaries.

The session fixture ``pg_server`` finds ``initdb`` and ``pg_ctl`` (``GOVBRIDGE_PG_BINDIR``, else
``/usr/lib/postgresql/<newest>/bin``, else ``pg_config --bindir``, else ``PATH``). When they are
missing and the tests run as root on Debian, it installs the ``postgresql`` package with
apt-get. It then creates a cluster in a fresh temporary folder, starts it on 127.0.0.1 and a
free port (Unix sockets in the same folder), and stops it and removes the folder at the end.

PostgreSQL refuses to run as root: as root, the cluster belongs to the ``postgres`` system user
that the Debian package creates, and ``initdb``, ``pg_ctl`` and the server run as that user.

The tests that need it skip, with the reason, only when the binaries cannot be found or
installed; CI installs them first (see docs/storage.md).

Use it from a test module with ``from conftest_pg import pg_server, pg_url  # noqa: F401``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

__all__ = ["PgServer", "pg_server", "pg_url"]


@dataclass(frozen=True)
class PgServer:
    """A running cluster: connect as ``user`` without a password on 127.0.0.1:``port``."""

    port: int
    user: str
    folder: Path

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"


def _bindir() -> Path | None:
    explicit = os.environ.get("GOVBRIDGE_PG_BINDIR")
    if explicit:
        return Path(explicit)
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if versions:
        return versions[-1].parent
    if shutil.which("pg_config"):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        candidate = Path(out.stdout.strip())
        if (candidate / "initdb").exists():
            return candidate
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _install() -> str:
    """Install Debian's postgresql package; return why not when that is impossible."""
    if not shutil.which("apt-get"):
        return "no apt-get on this machine: install PostgreSQL's server (initdb, pg_ctl)"
    if os.geteuid() != 0:
        return "not root: run `sudo apt-get install -y postgresql` (docs/storage.md)"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    command = ["apt-get", "install", "-y", "-q", "--no-install-recommends", "postgresql"]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    if result.returncode != 0:  # a stale package list: update once and retry
        subprocess.run(["apt-get", "update", "-q"], capture_output=True, env=env, timeout=600)
        result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    if result.returncode != 0:
        return "apt-get install postgresql failed: " + result.stderr.strip()[-300:]
    return ""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A PostgreSQL server for the whole test session."""
    bindir = _bindir()
    if bindir is None:
        why = _install()
        bindir = _bindir()
        if bindir is None:
            pytest.skip(f"PostgreSQL server binaries cannot be installed: {why}")
    run_as: dict[str, str] = {}
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no `postgres` user to run the server as")
        run_as = {"user": "postgres", "group": "postgres"}
    folder = Path(tempfile.mkdtemp(prefix="govbridge-pg-"))
    data = folder / "data"
    if run_as:
        shutil.chown(folder, "postgres", "postgres")
    port = _free_port()
    user = "govbridge"
    env = {**os.environ, "LC_ALL": "C", "TZ": "UTC"}
    started = False
    try:
        subprocess.run(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                user,
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync",
            ],
            check=True,
            capture_output=True,
            env=env,
            cwd=folder,
            **run_as,
        )
        options = (
            f"-h 127.0.0.1 -p {port} -k {folder} -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off"
        )
        subprocess.run(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(folder / "log"),
                "-w",
            ]
            + ["-t", "60", "start"],
            check=True,
            capture_output=True,
            env=env,
            cwd=folder,
            **run_as,
        )
        started = True
        yield PgServer(port=port, user=user, folder=folder)
    except subprocess.CalledProcessError as exc:
        log = folder / "log"
        detail = log.read_text(errors="replace")[-500:] if log.exists() else ""
        raise RuntimeError(
            f"PostgreSQL did not start: {exc.stderr!r} {detail}"
        ) from exc  # a real failure, not a skip: the binaries are there
    finally:
        if started:
            subprocess.run(
                [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                capture_output=True,
                env=env,
                cwd=folder,
                **run_as,
            )
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """A URL to a new, empty schema on the session's server; dropped after the test.

    A schema (through ``search_path``) is much faster to create than a database.
    """
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = f"host=127.0.0.1 port={pg_server.port} user={pg_server.user} dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{name}"')
    yield pg_server.url() + f"?options=-csearch_path%3D{name}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
