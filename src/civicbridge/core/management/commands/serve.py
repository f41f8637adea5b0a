import os
import sys

from django.core.management.base import BaseCommand


def default_workers() -> int:
    return 2 * (os.cpu_count() or 1) + 1


class Command(BaseCommand):
    help = "Serve civicbridge with the production WSGI server (gunicorn)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("CIVICBRIDGE_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("CIVICBRIDGE_WORKERS", default_workers()))
        )

    def handle(self, *args, host, port, workers, **options):
        os.execv(sys.executable, gunicorn_argv(host=host, port=port, workers=workers))


def gunicorn_argv(*, host: str, port: int, workers: int) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "civicbridge.wsgi:application",
        "--config", "python:civicbridge.core.gunicorn",
        "--bind", f"{host}:{port}",
        "--workers", str(workers),
        "--access-logfile", "-",
        "--graceful-timeout", "10",
        "--timeout", "60",
    ]
