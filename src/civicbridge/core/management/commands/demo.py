import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from .serve import gunicorn_argv


class Command(BaseCommand):
    help = "Migrate, load the demo data once, then run the web server and the task worker."

    def add_arguments(self, parser):
        parser.add_argument("--profile", choices=["opole", "orhangazi"], default="opole")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--no-serve", action="store_true", help="Prepare everything but do not start servers.")

    def handle(self, *args, profile, host, port, workers, no_serve, **options):
        self.stdout.write(f"Data directory: {settings.DATA_DIR}")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write("Preparing the search dictionaries (about 30 s the first time)...")
        call_command("prepare_search", verbosity=0)
        call_command("loaddemo", profile=profile, stdout=self.stdout)
        if no_serve:
            return
        env = {**os.environ, "CIVICBRIDGE_DEMO": "true", "CIVICBRIDGE_SITE_URL": f"http://{host}:{port}"}
        worker = subprocess.Popen([sys.executable, "-m", "civicbridge", "worker"], env=env)
        server = subprocess.Popen(gunicorn_argv(host=host, port=port, workers=workers), env=env)
        self.stdout.write(self.style.SUCCESS(f"civicbridge is running at http://{host}:{port}/ (Ctrl+C stops it)"))
        try:
            server.wait()
        except KeyboardInterrupt:
            pass
        finally:
            for process in (server, worker):
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in (server, worker):
                process.wait(timeout=15)
