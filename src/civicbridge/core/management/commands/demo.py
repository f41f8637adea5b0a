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
        # One worker runs everything in the background: tasks, periodic jobs, recovery.
        worker, worker_started = self._start_worker(env), time.monotonic()
        server = subprocess.Popen(gunicorn_argv(host=host, port=port, workers=workers), env=env)
        self.stdout.write(self.style.SUCCESS(
            f"civicbridge is running at http://{host}:{port}/ with its worker (Ctrl+C stops both)"
        ))
        try:
            while server.poll() is None:
                if worker.poll() is not None:
                    if time.monotonic() - worker_started < 10:
                        raise CommandError(f"The worker could not start (exit code {worker.returncode}): see above.")
                    # Without it no alert or e-mail would go out: start another, it resumes the tasks.
                    self.stderr.write(f"The worker stopped (exit code {worker.returncode}); starting another.")
                    worker, worker_started = self._start_worker(env), time.monotonic()
                time.sleep(1)
        except KeyboardInterrupt:
            # Ctrl+C reached the whole process group: let the worker finish its task, as it is asked to.
            _wait_all((server, worker), timeout=20)
        finally:
            for process in (server, worker):
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in (server, worker):
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()

    def _start_worker(self, env) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "civicbridge", "worker"], env=env)


def _wait_all(processes, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=max(deadline - time.monotonic(), 0.1))
