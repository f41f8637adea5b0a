"""``civicbridge worker``: everything a deployment runs in the background, in one process.

- the task worker (django-tasks-db's ``Worker``) under a known worker id;
- its heartbeat, every ``CIVICBRIDGE_WORKER_HEARTBEAT_SECONDS`` (default 5);
- recovery: tasks RUNNING under a worker silent for ``CIVICBRIDGE_WORKER_LEASE_SECONDS``
  (default 60) go back to the queue, and the log says so;
- the periodic jobs (``core.periodic``): digests, deadline reminders, the mail retry sweep.
  Each run is enqueued once whatever the number of workers.

Run as many as the load needs, on as many machines. SIGTERM (or Ctrl+C) stops it after
the task in hand; a second one stops it at once (the task is then resumed by another
worker once the lease has passed).
"""

import logging
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import InterfaceError, OperationalError, connections

from civicbridge.core.periodic import ScheduleError, check_jobs, periodic_jobs
from civicbridge.core.workers import Supervisor, beat, forget, new_worker_id, requeue_own_tasks

logger = logging.getLogger("civicbridge.core.workers")
# Waits between two tries to reach a database that went away (restart, failover).
RECONNECT_DELAYS = (1, 2, 5, 10, 30)


def configure_logging(stdout, verbosity: int) -> None:
    level = logging.WARNING if verbosity == 0 else logging.INFO if verbosity == 1 else logging.DEBUG
    for name in ("django_tasks_db", "django.tasks", "civicbridge.core.workers", "civicbridge.core.periodic"):
        logger = logging.getLogger(name)
        logger.setLevel(level)
        if not logger.handlers:
            handler = logging.StreamHandler(stdout)
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
            logger.addHandler(handler)
            logger.propagate = False


class Command(BaseCommand):
    help = (
        "Run the background worker: queued tasks, the periodic jobs (digests, reminders, mail retries) "
        "and the recovery of tasks left by dead workers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--queue", default="default", help="Queues to run, comma-separated ('*': all).")
        parser.add_argument("--interval", type=float, default=1.0,
                            help="Seconds between two looks at an empty queue (default 1).")
        parser.add_argument("--worker-id", default="", help="Unique id of this worker (default: host-pid-random).")
        parser.add_argument("--no-schedule", action="store_true",
                            help="Do not enqueue the periodic jobs (another worker does).")

    def handle(self, *args, queue, interval, worker_id, no_schedule, verbosity, **options):
        from django_tasks_db.management.commands.db_worker import Worker

        configure_logging(self.stdout, verbosity)
        worker_id = worker_id or new_worker_id()
        if len(worker_id) > 64:
            raise CommandError("--worker-id: at most 64 characters")
        try:
            jobs = [] if no_schedule else periodic_jobs()
            check_jobs(jobs)
        except ScheduleError as error:
            raise CommandError(f"The periodic jobs cannot run: {error}") from error

        # Before the first claim: a task this worker claims always has a heartbeat behind it.
        beat(worker_id)
        supervisor = Supervisor(worker_id=worker_id, jobs=jobs)
        worker = Worker(
            queue_names=queue.split(","), interval=interval, batch=False, backend_name="default",
            startup_delay=True, max_tasks=None, worker_id=worker_id, excluded_queue_names=[],
        )
        self.stdout.write(
            f"worker {worker_id}: queues {queue}; "
            + (f"periodic jobs: {', '.join(job.name for job in jobs)}; " if jobs else "no periodic jobs; ")
            + f"tasks of workers silent for {settings.CIVICBRIDGE_WORKER_LEASE_SECONDS:g} s are resumed"
        )
        self.stdout.flush()
        supervisor.start()
        try:
            worker.configure_signals()
            self._run(worker, worker_id)
        except SystemExit as stop:
            # The signal handler exits from wherever the loop was; leave through the cleanup below.
            code = stop.code
        else:
            code = 0
        finally:
            worker.reset_signals()
            supervisor.stop()
            supervisor.join(timeout=30)
            try:
                forget(worker_id)
            except Exception:  # the database may be what is going away
                logger.exception("Could not remove the heartbeat")
        self.stdout.write(f"worker {worker_id}: stopped")
        if code:
            sys.exit(code)

    def _run(self, worker, worker_id: str) -> None:
        """Run the task loop; outlive a database that goes away, as the web server does."""
        failures = 0
        while True:
            try:
                worker.run()
                return
            except (OperationalError, InterfaceError) as error:
                if not worker.running:
                    return
                delay = RECONNECT_DELAYS[min(failures, len(RECONNECT_DELAYS) - 1)]
                failures += 1
                logger.warning("Worker %s: the database is unavailable (%s); trying again in %s s",
                               worker_id, str(error).strip().splitlines()[0] if str(error).strip() else error, delay)
                for connection in connections.all(initialized_only=True):
                    connection.close()
                time.sleep(delay)
                try:
                    requeue_own_tasks(worker_id)
                    failures = 0
                except (OperationalError, InterfaceError):
                    for connection in connections.all(initialized_only=True):
                        connection.close()
