"""``civicbridge demo`` stops its web server and worker with itself, whichever signal stops it:
none is left running behind (``commands/demo.py``, ``supervise``)."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

# A stand-in for ``demo``: the same supervision of two long-lived children.
SUPERVISOR = """
import sys
from civicbridge.core.management.commands.demo import supervise
child = [sys.executable, "-c", "import time; time.sleep(120)"]
supervise(server_argv=child, worker_argv=child, env=None, stderr=sys.stderr)
"""


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A child that exited but is not yet reaped by anyone is gone all the same.
    status = Path(f"/proc/{pid}/stat")
    return status.exists() and status.read_text().split(") ", 1)[1][0] != "Z"


def _still_running(pids: list[int], *, within: float = 5) -> list[int]:
    """Those of ``pids`` still running once they had ``within`` seconds to stop."""
    deadline = time.monotonic() + within
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return [pid for pid in pids if _alive(pid)]


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads the process tree from /proc")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_the_demo_stops_the_server_and_the_worker(signum):
    demo = subprocess.Popen([sys.executable, "-c", SUPERVISOR], env={**os.environ})
    try:
        deadline = time.monotonic() + 20
        while len(children := _children(demo.pid)) < 2:
            assert time.monotonic() < deadline, "the demo did not start its two children"
            time.sleep(0.1)

        demo.send_signal(signum)

        assert demo.wait(timeout=20) is not None
        assert not _still_running(children)
    finally:
        if demo.poll() is None:
            demo.kill()
        for child in _children(demo.pid):
            os.kill(child, signal.SIGKILL)


# The stand-in again, with a stop signal that comes while the server is being started: after its
# fork, before Popen returns (Popen waits there for the exec, longer on a busy machine).
SIGNALLED_WHILE_STARTING = """
import os, signal, subprocess, sys
from civicbridge.core.management.commands import demo
child = [sys.executable, "-c", "import time; time.sleep(120)"]
real_popen, started = subprocess.Popen, []
def popen(*args, **kwargs):
    process = real_popen(*args, **kwargs)
    started.append(process.pid)
    print(process.pid, flush=True)
    if len(started) == 2:
        os.kill(os.getpid(), signal.SIGINT)
    return process
subprocess.Popen = popen
demo.supervise(server_argv=child, worker_argv=child, env=None, stderr=sys.stderr)
"""


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads the process tree from /proc")
def test_a_signal_while_a_child_is_starting_stops_that_child_too():
    demo = subprocess.Popen([sys.executable, "-c", SIGNALLED_WHILE_STARTING], env={**os.environ},
                            stdout=subprocess.PIPE, text=True)
    children = []
    try:
        out, _err = demo.communicate(timeout=40)
        children = [int(pid) for pid in out.split()]
        assert len(children) == 2
        assert not _still_running(children)
    finally:
        if demo.poll() is None:
            demo.kill()
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
