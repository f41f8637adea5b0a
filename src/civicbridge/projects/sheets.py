"""The printable project sheet: one project on paper (PDF), drawn by WeasyPrint from HTML."""

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from civicbridge.core import deployment


def sheet_filename(project) -> str:
    return f"project-{project.pk}.pdf"


def sheet_pdf(project, *, base_url: str, show_files: bool) -> bytes:
    """The sheet of ``project`` (loaded by ``selectors.project_detail``) in the active language.
    ``show_files``: whether the reader may see its reports (their summaries are printed)."""
    html = render_to_string("projects/project_sheet.html", {
        "project": project,
        "partners": list(project.partners.all()),
        "history": list(project.status_changes.all()),
        "milestones": list(project.milestones.all()),
        "reports": list(project.reports.all()) if show_files else [],
        "authority": deployment.current(),
        "printed_on": timezone.localdate(),
    })
    return HTML(string=html, base_url=base_url).write_pdf()
