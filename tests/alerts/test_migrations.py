"""An existing deployment migrates with its subscriptions and delivery log intact.

The alerts' rows lived in the funding app's tables; the move is state only and the
generalisation (alerts 0002) renames a column and adds two: migrate a database that
holds rows from before, forwards, and read them through today's models.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("funding", "0006_clean_stored_text"), ("alerts", None)]
AFTER = [("funding", "0007_alerts_move_to_their_app"), ("alerts", "0002_any_alertable_content")]


def test_subscriptions_and_deliveries_survive_the_move_to_the_alerts_app():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE[:1]).apps
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

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from civicbridge.alerts.models import Delivery, Subscription

    moved = Subscription.objects.get(pk=subscription.pk)
    assert (moved.alertable, moved.name, moved.keywords, moved.funder_id, moved.user_id) == (
        "calls", "Water", "water", funder.pk, user.pk)
    delivery = Delivery.objects.get()
    assert (delivery.alertable, delivery.item_id, delivery.subscription_id, delivery.occasion) == (
        "calls", call.pk, subscription.pk, "published")
