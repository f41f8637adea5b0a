from collections.abc import Callable
from functools import cached_property

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.renderers import BaseRenderer, DjangoTemplates
from django.template import TemplateDoesNotExist
from django.utils.translation import gettext_lazy as _

from .models import ThematicArea
from .rows import engine as jinja2_engine
from .validators import TextValidator


class TextInputMixin:
    """For a form whose text fields are not a model's: they refuse control characters too.

    A ``Textarea`` field is multi-line, every other text field single-line. Model forms
    need no mixin: their model's fields carry the same validators (``core.validators``).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                validator = TextValidator(multiline=isinstance(field.widget, forms.Textarea))
                if validator not in field.validators:
                    field.validators.append(validator)


class Form(TextInputMixin, forms.Form):
    """The base of the project's forms that are not model forms."""


def apply_validation_error(form, error: ValidationError) -> None:
    """Attach a service's ValidationError to the form, each message to its field when the form has it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    add_errors(form, error.message_dict)


def add_errors(form, errors: dict[str, list]) -> None:
    """Put ``errors`` (messages by field name, as a service's checks answer them) on ``form``,
    each on its field where the form has it, else on the form as a whole."""
    for field, messages in errors.items():
        target = field if field in form.fields and field != NON_FIELD_ERRORS else None
        for message in messages:
            form.add_error(target, message)


def preselect_sole_organization(form, field: str, organizations, *, value=lambda organization: organization.pk) -> None:
    """Make the organization a person represents ``field``'s initial value when they represent
    exactly one (``value`` of it: its key for a menu, its name for a text field): the choice
    is theirs to change, not theirs to make."""
    if organizations and len(organizations) == 1:
        form.initial.setdefault(field, value(organizations[0]))


def submit[T](form, write: Callable[[], T]) -> T | None:
    """Run ``write``, the service call behind a valid ``form``; answer what it answers.

    A ValidationError the service raises goes onto the form (``apply_validation_error``)
    and the answer is None: ``form.errors`` then tells the view to show the form again.
    """
    try:
        return write()
    except ValidationError as error:
        apply_validation_error(form, error)
        return None


def offer_thematic_areas(form, name: str = "thematic_areas") -> None:
    """Let ``form``'s field ``name`` offer this deployment's lists of areas, and keep the areas
    its object already has (saving the form must not drop what someone chose before)."""
    instance = getattr(form, "instance", None)
    kept = list(form.initial.get(name) or [])
    if instance is not None and instance.pk:
        kept += [area.pk for area in getattr(instance, name).all()]
    form.fields[name].queryset = ThematicArea.objects.offered(keep=kept)


class SitePageForm(Form):
    """A site page in the three languages: the title and the text of each."""

    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    body_en = forms.CharField(label=_("Text (English)"), widget=forms.Textarea(attrs={"rows": 12}), required=False,
                              help_text=_("Markdown is allowed."))
    title_pl = forms.CharField(label=_("Title (Polish)"), max_length=200, required=False)
    body_pl = forms.CharField(label=_("Text (Polish)"), widget=forms.Textarea(attrs={"rows": 12}), required=False,
                              help_text=_("Markdown is allowed."))
    title_tr = forms.CharField(label=_("Title (Turkish)"), max_length=200, required=False)
    body_tr = forms.CharField(label=_("Text (Turkish)"), widget=forms.Textarea(attrs={"rows": 12}), required=False,
                              help_text=_("Markdown is allowed."))

    def texts(self) -> tuple[dict[str, str], dict[str, str]]:
        languages = ("en", "pl", "tr")
        data = self.cleaned_data
        return {code: data[f"title_{code}"] for code in languages}, {code: data[f"body_{code}"] for code in languages}


class FormRenderer(BaseRenderer):
    """The forms' renderer: Django's widget templates in their Jinja2 versions (this app's
    ``jinja2`` directory first: options written in place, and the project's own widgets), and,
    for a template that exists only for Django's template language (the admin's widgets),
    Django's own renderer. Jinja2 draws Django's widget markup in about a third of the time; a
    form of a few menus and checkbox lists (thematic areas, countries) was most of its page's time.
    """

    # A field with its label, hint and errors, wherever a template writes {{ field.as_field_group }}.
    field_template_name = "core/field.html"

    @property
    def jinja2(self):
        return jinja2_engine()  # the project's one Jinja2 engine, shared with the lists' rows

    @cached_property
    def django_templates(self):
        return DjangoTemplates().engine

    def get_template(self, template_name):
        try:
            return self.jinja2.get_template(template_name)
        except TemplateDoesNotExist:
            return self.django_templates.get_template(template_name)
