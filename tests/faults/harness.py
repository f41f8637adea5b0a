"""Real processes for the fault tests: a PostgreSQL cluster of their own, an SMTP server, civicbridge.

The cluster is the tests' own (initdb and pg_ctl from the PostgreSQL server binaries, as
``scripts/test-services.sh`` does it), so that a test may restart it under load. As root
the server programs run as the ``postgres`` user. Everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition: Callable[[], object], *, timeout: float, every: float = 0.2, what: str = "condition"):
    """Poll ``condition`` until it answers something true; answer that, or fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(every)


# --- PostgreSQL ---------------------------------------------------------------------------------

def postgres_bindir() -> Path | None:
    """The newest PostgreSQL server's bin directory (Debian layout, or PG_BINDIR), if any."""
    if os.environ.get("PG_BINDIR"):
        candidates = [Path(os.environ["PG_BINDIR"])]
    else:
        candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda path: int(path.parent.name)
                            if path.parent.name.isdigit() else 0)
    for directory in reversed(candidates):
        if (directory / "initdb").exists() and (directory / "pg_ctl").exists():
            return directory
    return None


def _as_owner(argv: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *argv]
    return argv


def cannot_run_postgres() -> str:
    """Why a cluster of our own cannot be started here, or '' if it can."""
    if postgres_bindir() is None:
        return ("no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin: "
                "run scripts/test-services.sh install")
    if os.geteuid() == 0:
        import pwd

        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root without a 'postgres' user to run the server as"
    return ""


class Cluster:
    """A throwaway PostgreSQL cluster on 127.0.0.1 that a test can restart."""

    def __init__(self):
        self.bindir = postgres_bindir()
        self.directory = Path(tempfile.mkdtemp(prefix="civicbridge-faults-pg."))
        self.data = self.directory / "data"
        self.log = self.directory / "postgres.log"
        self.port = 0
        self.superuser_password = secrets.token_hex(16)
        self.password = secrets.token_hex(12)

    def _run(self, *argv: str, timeout: float = 120) -> None:
        subprocess.run(_as_owner([str(self.bindir / argv[0]), *argv[1:]]), cwd="/", check=True,
                       capture_output=True, timeout=timeout)

    def create(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres")
        password_file = self.directory / "pwfile"
        password_file.write_text(self.superuser_password + "\n")
        password_file.chmod(0o600)
        if os.geteuid() == 0:
            shutil.chown(password_file, "postgres")
        self._run("initdb", f"--pgdata={self.data}", "--username=postgres", f"--pwfile={password_file}",
                  "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")
        password_file.unlink()
        with (self.data / "postgresql.conf").open("a") as conf:
            # No durability needed against power loss here, but commits stay synchronous:
            # a restart must keep every commit a client was told about.
            conf.write("\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\nfsync = off\n"
                       "full_page_writes = off\nmax_connections = 200\n")
        for _attempt in range(10):
            self.port = free_port()
            try:
                self.start()
                break
            except subprocess.CalledProcessError:
                if "could not bind" not in self.log_tail():
                    raise
        else:
            raise RuntimeError("no free port for PostgreSQL")
        self.execute("postgres", f"CREATE ROLE civicbridge LOGIN CREATEDB PASSWORD '{self.password}'")

    def start(self) -> None:
        self._run("pg_ctl", "start", f"--pgdata={self.data}", "--wait", "--timeout=60", "--silent",
                  f"--log={self.log}", "-o", f"-p {self.port}")

    def stop(self) -> None:
        """``pg_ctl stop -m fast``: the server goes away until ``start``."""
        self._run("pg_ctl", "stop", f"--pgdata={self.data}", "--mode=fast", "--wait", "--timeout=60", "--silent")

    def restart(self) -> None:
        """``pg_ctl restart -m fast``: every session is cut, committed work kept."""
        self._run("pg_ctl", "restart", f"--pgdata={self.data}", "--mode=fast", "--wait", "--timeout=60",
                  "--silent", f"--log={self.log}", "-o", f"-p {self.port}")

    def destroy(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(Exception):
                self._run("pg_ctl", "stop", f"--pgdata={self.data}", "--mode=immediate", "--wait", "--timeout=30")
        shutil.rmtree(self.directory, ignore_errors=True)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def url(self, database: str) -> str:
        return f"postgres://civicbridge:{self.password}@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str, *, superuser: bool = False) -> psycopg.Connection:
        user, password = ("postgres", self.superuser_password) if superuser else ("civicbridge", self.password)
        return psycopg.connect(host="127.0.0.1", port=self.port, user=user, password=password, dbname=database,
                               autocommit=True, connect_timeout=10)

    def execute(self, database: str, sql: str) -> None:
        with self.connect(database, superuser=True) as connection:
            connection.execute(sql)

    def query(self, database: str, sql: str, params=()) -> list[tuple]:
        with self.connect(database) as connection:
            return connection.execute(sql, params).fetchall()

    def create_database(self, name: str, *, template: str | None = None) -> str:
        template_clause = f" TEMPLATE {template}" if template else ""
        self.execute("postgres", f"CREATE DATABASE {name} OWNER civicbridge{template_clause}")
        return self.url(name)


# --- SMTP -------------------------------------------------------------------------------------------

@dataclass
class Received:
    to: str
    message_id: str
    subject: str
    at: float


@dataclass
class Sink:
    """An SMTP server's handler: keeps what it accepts; refuses with 451 at RCPT while ``refusing()``."""

    refusing: Callable[[], bool] = lambda: False
    received: list[Received] = field(default_factory=list)
    refusals: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refusing():
            with self.lock:
                self.refusals += 1
            return "451 4.7.1 Greylisted, please try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self.lock:
            for address in envelope.rcpt_tos:
                self.received.append(Received(address, str(message["Message-ID"] or ""),
                                              str(message["Subject"] or ""), time.monotonic()))
        return "250 2.0.0 Accepted"

    def snapshot(self) -> list[Received]:
        with self.lock:
            return list(self.received)


class SMTPServer:
    def __init__(self, sink: Sink):
        self.sink = sink
        self.port = free_port()
        self.controller = Controller(sink, hostname="127.0.0.1", port=self.port, ready_timeout=10)

    def start(self) -> SMTPServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.controller.stop()
        with contextlib.suppress(Exception):
            asyncio.set_event_loop(None)


# --- civicbridge processes -------------------------------------------------------------------------

def app_env(*, database_url: str, smtp_port: int, data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a civicbridge process: what an operator's environment file holds."""
    from django.conf import settings

    env = {
        name: value for name, value in os.environ.items()
        if not name.startswith(("PYTEST", "DJANGO_", "TASKS_", "CIVICBRIDGE_", "EMAIL_", "DATABASE_", "CACHE_"))
    }
    env.update({
        "PYTHONPATH": os.pathsep.join([str(SRC), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "civicbridge.settings",
        "SECRET_KEY": "faults-only-" + "x" * 40,
        "CIVICBRIDGE_DATA_DIR": str(data_dir),
        # The search dictionaries the test run prepared: building them anew takes half a minute.
        "CIVICBRIDGE_LEMMA_CACHE_DIR": str(settings.CIVICBRIDGE_LEMMA_CACHE_DIR),
        "DATABASE_URL": database_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "EMAIL_TIMEOUT": "10",
        "CIVICBRIDGE_SITE_URL": "http://faults.example.org",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        **extra,
    })
    return env


class Process:
    """A civicbridge command in a process of its own, its output in a log file."""

    def __init__(self, argv: list[str], *, env: dict[str, str], log: Path):
        self.argv = argv
        self.log = log
        self._log_file = log.open("ab")
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "civicbridge", *argv], env=env, cwd=ROOT, stdout=self._log_file,
            stderr=subprocess.STDOUT, start_new_session=True,
        )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill9(self) -> None:
        """``kill -9`` of the process (and of its children, e.g. gunicorn's workers)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=10)

    def stop(self, timeout: float = 20) -> int | None:
        """SIGTERM, then SIGKILL after ``timeout`` s; answers the exit code."""
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill9()
        # Children left behind by a killed parent go too.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self._log_file.close()
        return self.popen.returncode

    def output(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def run_command(argv: list[str], *, env: dict[str, str], timeout: float = 300) -> str:
    """Run a civicbridge command to its end; answer its output, fail with it if it fails."""
    done = subprocess.run([sys.executable, "-m", "civicbridge", *argv], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise AssertionError(f"civicbridge {' '.join(argv)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def run_scenario(name: str, *args: object, env: dict[str, str], timeout: float = 300) -> str:
    """Run ``tests.faults.scenarios.<name>`` in the application's environment; answer its last output line."""
    done = subprocess.run([sys.executable, "-m", "tests.faults.scenarios", name, *map(str, args)], env=env,
                          cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise AssertionError(f"scenario {name} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout.strip().splitlines()[-1]
