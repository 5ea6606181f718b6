"""A throwaway PostgreSQL server for the test session, started from the installed binaries.

Nothing assumes a server is running. PostgreSQL refuses to run as root, and CI runs as root, so
the server runs as an unprivileged system user (`postgres` if present, else one created here),
with its data directory and unix socket in a temporary directory that user owns, listening on a
free port on 127.0.0.1 only, with trust authentication (pg_hba allows only local connections).
It is stopped at the end of the session, and at interpreter exit if the session crashed.

pytest-postgresql is not used because it starts pg_ctl as the current user, which fails as root.
"""

from __future__ import annotations

import atexit
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_BIN_DIRS = (Path("/usr/lib/postgresql/15/bin"),)
#: the system user created when the machine has no `postgres` user and we run as root
FALLBACK_USER = "treatydesk-pg"
SERVER_USER = "postgres"  # the superuser role initdb creates


class HarnessError(RuntimeError):
    """The throwaway server could not be started; the message says what is missing."""


def find_bin_dir() -> Path:
    configured = os.environ.get("TREATYDESK_PG_BIN")
    candidates = [Path(configured)] if configured else list(DEFAULT_BIN_DIRS)
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for candidate in candidates:
        if all((candidate / name).is_file() for name in ("initdb", "pg_ctl", "postgres")):
            return candidate
    raise HarnessError(
        "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found in "
        f"{', '.join(str(c) for c in candidates) or '/usr/lib/postgresql/*/bin'}; install the "
        "Debian package postgresql (or set TREATYDESK_PG_BIN) to run the postgres tests"
    )


def _run_as_user() -> str | None:
    """The user to run the server as: None when we are not root (run as ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", FALLBACK_USER):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
         FALLBACK_USER],
        check=True, capture_output=True,
    )
    return FALLBACK_USER


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class PostgresServer:
    bin_dir: Path
    root: Path
    port: int
    os_user: str | None
    _running: bool = field(default=False)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root / "sock"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SERVER_USER}@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            list(args), user=self.os_user, capture_output=True, text=True, cwd=self.root,
            check=False,
        )
        if result.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise HarnessError(
                f"{' '.join(args)} failed ({result.returncode}):\n{result.stderr}\n{tail}"
            )
        return result

    def start(self) -> None:
        self._run(
            str(self.bin_dir / "initdb"), "-D", str(self.data_dir), "-U", SERVER_USER,
            "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync",
        )
        options = (
            f"-h 127.0.0.1 -p {self.port} -k {self.socket_dir} -F "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        self._run(
            str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-l",
            str(self.root / "server.log"), "-o", options, "-w", "-t", "60", "start",
        )
        self._running = True

    def stop(self) -> None:
        if self._running:
            self._running = False
            subprocess.run(
                [str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-m", "immediate",
                 "-w", "stop"],
                user=self.os_user, capture_output=True, check=False, cwd=self.root,
            )
        shutil.rmtree(self.root, ignore_errors=True)


def start_server() -> PostgresServer:
    bin_dir = find_bin_dir()
    os_user = _run_as_user()
    root = Path(tempfile.mkdtemp(prefix="treatydesk-pg-"))
    (root / "sock").mkdir()
    if os_user is not None:
        entry = pwd.getpwnam(os_user)
        for path in (root, root / "sock"):
            os.chown(path, entry.pw_uid, entry.pw_gid)
    server = PostgresServer(bin_dir=bin_dir, root=root, port=_free_port(), os_user=os_user)
    # registered before starting so that a crash mid-session still stops the server
    atexit.register(server.stop)
    try:
        server.start()
    except HarnessError:
        server.stop()
        raise
    return server
