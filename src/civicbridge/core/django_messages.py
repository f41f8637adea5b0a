"""Messages of Django's own that its Polish or Turkish catalog lacks (Django 6.1): named here so
that makemessages keeps them in the project's catalog, which supplies their translation."""

from django.utils.translation import gettext_noop

DJANGO_MESSAGES = (
    gettext_noop("- Select an option -"),  # a menu's empty choice (forms.Select)
)
