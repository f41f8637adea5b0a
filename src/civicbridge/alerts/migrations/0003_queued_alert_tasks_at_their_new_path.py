"""Alert tasks queued before the upgrade run after it.

A task waiting in the database queue names its function by path: those queued while
the alerts lived in funding (``civicbridge.funding.tasks.*``) would not be found now.
They are pointed at ``civicbridge.alerts.tasks``; a notice's arguments gain the content
("calls") that the task now takes first.
"""

from django.db import migrations

OLD, NEW = "civicbridge.funding.tasks.", "civicbridge.alerts.tasks."


def repoint(apps, schema_editor):
    queued = apps.get_model("django_tasks_database", "DBTaskResult").objects.filter(
        task_path__startswith=OLD, finished_at__isnull=True,
    )
    for task in queued.iterator():
        name = task.task_path.removeprefix(OLD)
        task.task_path = NEW + name
        if name == "notify_subscribers":
            task.args_kwargs = {**task.args_kwargs, "args": ["calls", *task.args_kwargs.get("args", [])]}
        task.save(update_fields=["task_path", "args_kwargs"])


class Migration(migrations.Migration):

    dependencies = [
        ("alerts", "0002_any_alertable_content"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(repoint, migrations.RunPython.noop)]
