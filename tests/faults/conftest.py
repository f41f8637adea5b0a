"""Fixtures of the fault tests: each runs real processes against a PostgreSQL cluster of its own.

They run in the PostgreSQL pass of ``make test`` (``make test-postgres``, where DATABASE_URL
is PostgreSQL) and are skipped elsewhere, and where no PostgreSQL server is installed.
Every process a test starts is stopped at its end, whatever the outcome.
"""

import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest

from tests.faults.harness import (
    Cluster,
    Process,
    Sink,
    SMTPServer,
    app_env,
    cannot_run_postgres,
    run_command,
)


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.faults)


def _skip_reason() -> str:
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return ("fault tests run in the PostgreSQL pass only (make test-postgres, or "
                "scripts/test-services.sh run-postgres pytest -m faults)")
    return cannot_run_postgres()


@pytest.fixture(scope="session")
def cluster():
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    own = Cluster()
    try:
        own.create()
        yield own
    finally:
        own.destroy()


@pytest.fixture(scope="session")
def migrated_template(cluster, tmp_path_factory):
    """A migrated database, copied for each test (migrating takes far longer than a copy)."""
    data_dir = tmp_path_factory.mktemp("faults-data")
    url = cluster.create_database("civicbridge_template")
    run_command(["migrate", "--no-input", "-v", "0"], env=app_env(database_url=url, smtp_port=1, data_dir=data_dir))
    return "civicbridge_template"


@pytest.fixture
def database(cluster, migrated_template):
    """A fresh migrated database for one test: (name, url)."""
    name = f"faults_{uuid.uuid4().hex[:12]}"
    url = cluster.create_database(name, template=migrated_template)
    return name, url


@pytest.fixture
def data_dir():
    directory = Path(tempfile.mkdtemp(prefix="civicbridge-faults-data."))
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def processes(request, data_dir):
    """Start civicbridge commands (``start(argv, env)``); all are stopped when the test ends."""
    started: list[Process] = []

    def start(argv: list[str], *, env: dict[str, str], name: str | None = None) -> Process:
        log = data_dir / f"{name or argv[0]}-{len(started)}.log"
        process = Process(argv, env=env, log=log)
        started.append(process)
        return process

    yield start
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for process in started:
        process.stop()
        if failed:
            print(f"--- civicbridge {' '.join(process.argv)} (pid {process.pid}):\n{process.output()}")


@pytest.fixture
def smtp_server():
    """An SMTP server on loopback in this process; ``.sink`` has what it accepted."""
    server = SMTPServer(Sink()).start()
    yield server
    server.stop()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # Lets fixtures see at teardown whether the test failed (to show the processes' logs).
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
