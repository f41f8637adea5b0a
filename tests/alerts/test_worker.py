"""A real queue and a real worker: tasks enqueued in the database, run by ``db_worker`` in another process.

Needs a database the worker process can open: PostgreSQL (``scripts/test-services.sh
run-postgres``) or a SQLite test database in a file. Django's default SQLite test
database lives in memory, invisible to another process: there the test is skipped.
"""

import email
import email.policy
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone

from civicbridge.alerts import tasks
from civicbridge.alerts.models import Delivery, Subscription
from civicbridge.funding import alerts
from tests.accounts.factories import UserFactory
from tests.alerts.factories import CallFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        credentials = f"{quote(db['USER'] or '', safe='')}:{quote(db['PASSWORD'] or '', safe='')}@"
        return f"postgres://{credentials}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return f"sqlite:///{db['NAME']}"


@pytest.fixture
def real_queue(settings):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("the SQLite test database is in memory, out of a worker process's reach; "
                    "run on PostgreSQL: scripts/test-services.sh run-postgres .venv/bin/pytest tests/alerts")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def run_worker(mail_dir: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        # Three slashes and an absolute path: django-environ reads "filemail:///tmp/x" as "tmp/x".
        "EMAIL_URL": f"filemail:///{mail_dir}",
        "CIVICBRIDGE_SITE_URL": "https://alerts.example.org",
        "DJANGO_SETTINGS_MODULE": "civicbridge.settings",
    }
    env.pop("TASKS_BACKEND", None)
    return subprocess.run(
        [sys.executable, "-m", "civicbridge", "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
        env=env, capture_output=True, text=True, timeout=180, check=False,
    )


def messages_in(mail_dir: Path) -> list[str]:
    """Each message the file mailer wrote, as headers and decoded body."""
    text = "\n".join(path.read_text() for path in sorted(mail_dir.iterdir()))
    parsed = [email.message_from_string(part.strip(), policy=email.policy.default)
              for part in text.split("-" * 79) if "Subject:" in part]
    return [f"To: {message['To']}\nSubject: {message['Subject']}\n\n{message.get_content()}" for message in parsed]


def test_a_worker_process_runs_the_enqueued_notice_once_even_when_the_task_is_enqueued_twice(real_queue, tmp_path):
    from django_tasks_db.models import DBTaskResult

    subscription = SubscriptionFactory(user=UserFactory(email="worker-test@example.org", preferred_language="tr"))
    call = CallFactory(title="Gençlik değişimleri")

    alerts.call_published(call)
    alerts.call_published(call)  # a retry, or a double publish: the same occasion
    tasks.send_digests.enqueue("daily")
    assert DBTaskResult.objects.count() == 3
    assert Delivery.objects.count() == 0  # nothing ran here: the tasks wait in the queue

    finished = run_worker(tmp_path)

    assert finished.returncode == 0, finished.stderr
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}, finished.stderr
    (message,) = messages_in(tmp_path)
    assert "To: worker-test@example.org" in message
    assert "https://alerts.example.org/tr/alerts/unsubscribe/" in message
    delivery = Delivery.objects.get()
    assert (delivery.subscription_id, delivery.mail.status) == (subscription.pk, "sent")


def test_a_worker_process_sends_the_daily_digest(real_queue, tmp_path):
    SubscriptionFactory(user=UserFactory(email="digest-reader@example.org"), frequency=Subscription.Frequency.DAILY)
    CallFactory(title="Rural culture fund", published_at=timezone.now() - timedelta(hours=2))

    tasks.send_digests.enqueue("daily")
    finished = run_worker(tmp_path)

    assert finished.returncode == 0, finished.stderr
    (message,) = messages_in(tmp_path)
    assert "To: digest-reader@example.org" in message and "Rural culture fund" in message
    assert Subscription.objects.get().last_digest_at is not None
