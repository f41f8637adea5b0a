import contextlib
import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from civicbridge.core import deployment

from .serve import gunicorn_argv


class Command(BaseCommand):
    help = (
        "Migrate, load the demo data once, then run the web server and the worker "
        "(tasks, periodic jobs such as alert digests, recovery)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--profile", choices=sorted(deployment.PRESETS), default=None,
            help="The deployment to show (default: CIVICBRIDGE_PROFILE, else opole).",
        )
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--no-serve", action="store_true", help="Prepare everything but do not start servers.")

    def handle(self, *args, profile, host, port, workers, no_serve, **options):
        if profile and profile != deployment.current().profile:
            # The profile decides settings (time zone, languages) before they load: the
            # ``civicbridge demo --profile`` command sets it first (civicbridge.__main__).
            raise CommandError(
                f"This process runs the {deployment.current().profile!r} deployment: "
                f"run 'civicbridge demo --profile {profile}' or set CIVICBRIDGE_PROFILE={profile}."
            )
        profile = deployment.current().profile
        self.stdout.write(f"Data directory: {settings.DATA_DIR}")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write("Preparing the search dictionaries (about 30 s the first time)...")
        call_command("prepare_search", verbosity=0)
        call_command("loaddemo", profile=profile, stdout=self.stdout)
        if no_serve:
            return
        env = {**os.environ, "CIVICBRIDGE_DEMO": "true", "CIVICBRIDGE_SITE_URL": f"http://{host}:{port}"}
        self.stdout.write(self.style.SUCCESS(
            f"civicbridge is running at http://{host}:{port}/ with its worker (Ctrl+C stops both)"
        ))
        supervise(
            server_argv=gunicorn_argv(host=host, port=port, workers=workers),
            worker_argv=[sys.executable, "-m", "civicbridge", "worker"],
            env=env, stderr=self.stderr,
        )


class _Stop(Exception):
    """A signal asked the demo to stop."""


def _stop(signum, frame):
    raise _Stop(signum)


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def supervise(*, server_argv, worker_argv, env, stderr) -> None:
    """Run the web server and one worker (tasks, periodic jobs, recovery) until the server
    stops or a signal (Ctrl+C, ``kill``, the terminal closing) asks the demo to stop; then stop
    both, each as it is asked to (SIGTERM: the server finishes its requests, the worker its task).

    The children run in their own process group, so that only this process hears Ctrl+C and
    each child gets exactly one signal: a second one would make the worker drop its task.
    """
    previous = {signum: signal.signal(signum, _stop) for signum in STOP_SIGNALS}
    children = []
    held = []  # stop signals that came while a child was being started

    def start(argv):
        # A stop raised between the child's fork and its entry in ``children`` (Popen waits for
        # the exec) left that child running behind the demo: the signal waits for the entry.
        for signum in STOP_SIGNALS:
            signal.signal(signum, lambda signum, frame: held.append(signum))
        try:
            process = subprocess.Popen(argv, env=env, process_group=0)
            children.append(process)
        finally:
            for signum in STOP_SIGNALS:
                signal.signal(signum, _stop)
        if held:
            raise _Stop(held[0])
        return process

    try:
        worker, worker_started = start(worker_argv), time.monotonic()
        server = start(server_argv)
        while server.poll() is None:
            if worker.poll() is not None:
                if time.monotonic() - worker_started < 10:
                    raise CommandError(f"The worker could not start (exit code {worker.returncode}): see above.")
                # Without it no alert or e-mail would go out: start another, it resumes the tasks.
                stderr.write(f"The worker stopped (exit code {worker.returncode}); starting another.")
                worker, worker_started = start(worker_argv), time.monotonic()
            time.sleep(1)
    except _Stop:
        pass
    finally:
        # Stopping is under way: a second signal must not cut it short and leave children behind.
        for signum in STOP_SIGNALS:
            signal.signal(signum, signal.SIG_IGN)
        for process in children:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        _wait_all(children, timeout=30)
        for process in children:
            if process.poll() is None:
                process.kill()
                process.wait()
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _wait_all(processes, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=max(deadline - time.monotonic(), 0.1))
