import pytest


@pytest.fixture(autouse=True)
def _immediate_tasks_and_site_url(settings):
    # Tasks run where they are enqueued; test_worker.py runs a real queue and worker instead.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.CIVICBRIDGE_SITE_URL = "https://alerts.example.org"


@pytest.fixture
def areas(db):
    from civicbridge.core.models import ThematicArea

    return list(ThematicArea.objects.order_by("id")[:3])
