"""Certificates of attendance of trainings: a PDF with the person, the training, its dates and hours.

Drawn by WeasyPrint from an HTML template in the language the person registered in; the
deployment's authority and the organizers sign it by name.
"""

from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML

from civicbridge.core import deployment


def certificate_filename(registration) -> str:
    return f"certificate-{registration.event_id}-{registration.pk}.pdf"


def certificate_pdf(registration, *, language: str | None = None) -> bytes:
    event = registration.event
    zone = timezone.get_default_timezone()
    with translation.override(language or registration.language or None):
        html = render_to_string("events/certificate.html", {
            "registration": registration,
            "event": event,
            "organizers": list(event.organizers.all()),
            "starts_at": timezone.localtime(event.starts_at, zone),
            "ends_at": timezone.localtime(event.ends_at, zone),
            "attended_at": timezone.localtime(registration.attended_at, zone) if registration.attended_at else None,
            "authority": deployment.current(),
            "issued_on": timezone.localdate(timezone=zone),
        })
    return HTML(string=html).write_pdf()
