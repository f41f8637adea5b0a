"""core.serializers.FieldsBuiltOnce: an API serializer's fields worked out once per class, the
same fields DRF works out, and each serializer with fields of its own. Every app's model
serializer has it (``core.serializers.ModelSerializer``): the apps' serializers are found, not
listed, so that a new app's are checked too."""

import importlib.util

import pytest
from django.apps import apps
from rest_framework import serializers

from civicbridge.core.serializers import FieldsBuiltOnce, ModelSerializer
from civicbridge.funding.api import CallSerializer

# A related field's description shows its queryset, which reads the database.
pytestmark = pytest.mark.django_db


def _subclasses(cls) -> set:
    found = set(cls.__subclasses__())
    return found.union(*(_subclasses(sub) for sub in found)) if found else found


def project_model_serializers() -> list:
    """Every model serializer of the project's apps (each app's serializers are in its ``api``)."""
    for app in apps.get_app_configs():
        if app.name.startswith("civicbridge.") and importlib.util.find_spec(f"{app.name}.api") is not None:
            importlib.import_module(f"{app.name}.api")
    found = {cls for cls in _subclasses(serializers.ModelSerializer) if cls.__module__.startswith("civicbridge.")}
    return sorted(found - {ModelSerializer}, key=lambda cls: (cls.__module__, cls.__name__))


SERIALIZERS = project_model_serializers()


def test_the_apps_serializers_are_found():
    names = {cls.__name__ for cls in SERIALIZERS}
    assert {"CallSerializer", "OrganizationSerializer", "SubscriptionSerializer", "StandardSerializer"} <= names
    assert len(SERIALIZERS) >= 30


def _described(fields) -> dict:
    # A field's repr names its kind and every argument it was made with (DRF's field_repr).
    return {name: repr(field) for name, field in fields.items()}


@pytest.mark.parametrize("serializer_class", SERIALIZERS, ids=lambda cls: cls.__name__)
def test_the_fields_are_those_drf_works_out(serializer_class):
    assert issubclass(serializer_class, ModelSerializer), "derive the app's serializers from core.serializers.ModelSerializer"
    ours = serializer_class().get_fields()
    drfs = super(FieldsBuiltOnce, serializer_class()).get_fields()
    assert list(ours) == list(drfs)
    assert _described(ours) == _described(drfs)


def test_each_serializer_has_fields_of_its_own_bound_to_it():
    first, second = CallSerializer(), CallSerializer()
    assert first.fields["title"] is not second.fields["title"]
    assert first.fields["title"].parent is first and second.fields["title"].parent is second
    first.fields["title"].read_only = True
    assert second.fields["title"].read_only is False
    assert CallSerializer().fields["title"].read_only is False
    kept = CallSerializer.__dict__["_fields_built_once"]
    assert all(getattr(field, "field_name", None) is None for field in kept.values())  # never bound


def test_a_subclass_works_out_its_own_fields():
    class Shorter(CallSerializer):
        class Meta(CallSerializer.Meta):
            fields = ["id", "identifier", "title"]

    assert list(Shorter().fields) == ["id", "identifier", "title"]
    assert "summary" in CallSerializer().fields


def test_nested_serializers_are_built_afresh_for_each_parent():
    first, second = CallSerializer(), CallSerializer()
    funder_first, funder_second = first.fields["funder"], second.fields["funder"]
    assert isinstance(funder_first, serializers.Serializer)
    assert funder_first is not funder_second
    assert funder_first.fields["name"] is not funder_second.fields["name"]
    assert funder_first.fields["name"].parent is funder_first


def test_copies_share_only_what_a_field_reads_and_make_the_rest_their_own():
    """A related field's queryset and a choice field's choices are shared by the copies (copying
    a whole query for each serializer was half of copying a call's fields); each use of the
    queryset is a fresh one, and each copy makes its own lookups and its own nested serializers."""
    first, second = CallSerializer(), CallSerializer()
    programme_first, programme_second = first.fields["programme"], second.fields["programme"]
    assert programme_first is not programme_second
    assert programme_first.queryset is programme_second.queryset
    assert programme_first.get_queryset() is not programme_first.queryset
    assert programme_first.get_queryset().query is not programme_first.queryset.query

    status_first, status_second = first.fields["status"], second.fields["status"]
    assert status_first.choice_strings_to_values == status_second.choice_strings_to_values
    assert status_first.choice_strings_to_values is not status_second.choice_strings_to_values
    assert status_first.error_messages is not status_second.error_messages

    assert first.fields["deadlines"].child is not second.fields["deadlines"].child
    assert first.fields["deadlines"].child.parent is first.fields["deadlines"]
