"""What the apps' API serializers share: every app's model serializer is ``ModelSerializer``."""

import copy

from rest_framework import serializers


class FieldsBuiltOnce:
    """A serializer whose fields are worked out from its model and ``Meta`` once per class, and
    copied for each serializer made, as Django's forms keep their ``base_fields``.

    DRF works them out again for every serializer it makes (each model field looked up, its
    kind, arguments and validators chosen): 1.1 to 1.5 ms of every API list and detail, twice
    what copying them takes. The fields depend on the class alone (no serializer here chooses
    them by its request or instance); a copy is a new field of each, bound to one serializer.
    Every app's model serializer has it through ``ModelSerializer`` below.
    """

    def get_fields(self):
        cls = type(self)
        built = cls.__dict__.get("_fields_built_once")
        if built is None:
            built = super().get_fields()
            cls._shared_by_copies = _only_read(built)
            cls._fields_built_once = built  # never bound: only its copies are
        return copy.deepcopy(built, dict(cls._shared_by_copies))


# A field's arguments that its copies share rather than copy. DRF copies a field by making it
# again from its arguments, each deep-copied but its validators: a related field's queryset
# (a whole query), a choice field's choices. A field only reads them: it looks its queryset up
# afresh at each use (``RelatedField.get_queryset``: ``queryset.all()``) and makes its own
# lookups of its choices and error messages. Sharing them more than halved the copying of a
# call's fields (1.16 -> 0.52 ms, in process).
_READ_ONLY_ARGUMENTS = ("queryset", "choices", "error_messages", "style")


def _only_read(fields: dict) -> dict:
    """A ``copy.deepcopy`` memo that keeps the read-only arguments of ``fields`` (and of the
    fields they are made with: a list's child) as they are."""
    shared, todo = {}, list(fields.values())
    while todo:
        field = todo.pop()
        for name, value in getattr(field, "_kwargs", {}).items():
            if name in _READ_ONLY_ARGUMENTS:
                shared[id(value)] = value
            elif isinstance(value, serializers.Field):
                todo.append(value)
    return shared


class ModelSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    """DRF's model serializer with its fields worked out once per class (``FieldsBuiltOnce``):
    the one every app's model serializers derive from (a test walks them all)."""
