"""An existing deployment migrates with its subscriptions and delivery log intact.

The alerts' rows lived in the funding app's tables; the move is state only and the
generalisation (alerts 0002) renames a column and adds two: migrate a database that
holds rows from before, forwards, and read them through today's models.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.module_loading import import_string

# serialized_rollback: the flush after it leaves the content types to the next such test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("funding", "0006_clean_stored_text"), ("alerts", None)]
# The queue's tables as they were then (their migrations are not under test).
BEFORE_QUEUE = ("django_tasks_database", "0021_conditional_partial_index_ordering")
AFTER = [("funding", "0007_alerts_move_to_their_app"), ("alerts", "0003_queued_alert_tasks_at_their_new_path")]


def test_subscriptions_and_deliveries_survive_the_move_to_the_alerts_app():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state([*BEFORE[:1], BEFORE_QUEUE]).apps
    user = old.get_model("accounts", "User").objects.create(username="moved", email="moved@example.org")
    funder = old.get_model("funding", "Funder").objects.create(name="F", slug="f-moved", kind="eu")
    programme = old.get_model("funding", "Programme").objects.create(funder=funder, name="P")
    call = old.get_model("funding", "Call").objects.create(
        identifier="MOVED-1", title="Moved", programme=programme, deadline_model="permanent",
        published_at=timezone.now(),
    )
    subscription = old.get_model("funding", "Subscription").objects.create(
        user=user, name="Water", keywords="water", funder=funder, frequency="daily",
    )
    old.get_model("funding", "Delivery").objects.create(
        recipient=user, subscription=subscription, call=call, kind="instant", occasion="published",
    )
    queued = old.get_model("django_tasks_database", "DBTaskResult").objects.create(
        task_path="civicbridge.funding.tasks.notify_subscribers", args_kwargs={"args": [call.pk, "published"],
                                                                              "kwargs": {}},
        backend_name="default", run_after=timezone.now(), status="READY",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from django_tasks_db.models import DBTaskResult

    from civicbridge.alerts import tasks
    from civicbridge.alerts.models import Delivery, Subscription

    moved = Subscription.objects.get(pk=subscription.pk)
    assert (moved.alertable, moved.name, moved.keywords, moved.funder_id, moved.user_id) == (
        "calls", "Water", "water", funder.pk, user.pk)
    delivery = Delivery.objects.get()
    assert (delivery.alertable, delivery.item_id, delivery.subscription_id, delivery.occasion) == (
        "calls", call.pk, subscription.pk, "published")
    # The notice queued before the upgrade runs after it, at the task's new path.
    waiting = DBTaskResult.objects.get(pk=queued.pk)
    assert waiting.task_path == "civicbridge.alerts.tasks.notify_subscribers"
    assert import_string(waiting.task_path) is tasks.notify_subscribers
    assert waiting.args_kwargs["args"] == ["calls", call.pk, "published"]
