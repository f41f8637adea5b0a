"""``dumpdata``, without the tables the database keeps by its triggers (the row counts, the
registry's tallies, the pairs of thematic areas): models marked ``kept_by_the_database``.

Loading a dump writes the rows those tables are made of, and the triggers make them anew.
Loaded from the dump as well, they were counted twice: moving an installation from SQLite to
PostgreSQL (docs/operators.md §5.5) left the registry's count at 4,000 for 2,000
organizations. A kept table named on the command line is still dumped.
"""

from django.apps import apps
from django.core.management.commands import dumpdata


def kept_model_labels() -> list[str]:
    """``app_label.model_name`` of each model the database keeps by its triggers."""
    return [model._meta.label_lower for model in apps.get_models() if getattr(model, "kept_by_the_database", False)]


class Command(dumpdata.Command):
    help = dumpdata.Command.help + " Leaves out the tables the database keeps, unless named."

    def handle(self, *app_labels, **options):
        named = {label.lower() for label in app_labels}
        kept = [label for label in kept_model_labels() if label not in named]
        options["exclude"] = [*(options.get("exclude") or []), *kept]
        return super().handle(*app_labels, **options)
