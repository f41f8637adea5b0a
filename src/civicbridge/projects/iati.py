"""The portfolio in the IATI activity standard, version 2.03 (XML), for funders and aggregators.

What a project becomes:

- ``iati-identifier``: the reporting organization's identifier, a hyphen, the project's number
  here. The reporting organization is the lead organization; its IATI organisation identifier
  is built from its registry number with the prefix org-id.guide gives that register, and only
  then. An organization whose register has no known prefix (another register, a register
  abroad, none) has no identifier here: its projects are left out of the file, and the page
  that offers the file says how many and why. No code is ever invented.
- ``reporting-org`` and ``participating-org`` (lead and partners implementing, role 4; the
  funder funding, role 1, by name), ``title``, ``description`` (the summary), ``activity-status``,
  the planned start and end, the recipient country of its territory, and its budget.

Only the public portfolio is exported (approved, running, final report, closed): proposals and
ideas are nobody's business but their authors'.

Codes (IATI codelists): ActivityStatus 1 pipeline, 2 implementation, 3 finalisation, 4 closed;
ActivityDateType 1 planned start, 3 planned end; OrganisationRole 1 funding, 4 implementing;
BudgetType 1 original; BudgetStatus 1 indicative, 2 committed; DescriptionType 1 general;
OrganisationType as in ``ORGANISATION_TYPES``. The schema files (data/iati/, from
IATI/IATI-Schemas, branch version-2.03) validate the output in the tests.
"""

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from civicbridge.core.validators import clean_text
from civicbridge.directory.models import Organization

from .models import Project

VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# The org-id.guide prefix of each register an organization may be entered in (lists
# PL-KRS, PL-REGON and TR-MOI of github.com/org-id/register; TR-MOI is the Department of
# Associations of the Turkish Ministry of Interior, whose numbers are the associations'
# kütük numbers, e.g. 27-018-163). Registers without an entry here give no identifier.
REGISTER_PREFIXES = {
    Organization.RegistryType.KRS: "PL-KRS",
    Organization.RegistryType.REGON: "PL-REGON",
    Organization.RegistryType.TR_ASSOCIATION: "TR-MOI",
}
# IATI OrganisationType codes for the registry's kinds; a kind without one gives no type.
ORGANISATION_TYPES = {
    Organization.Kind.NGO: "22",  # national NGO
    Organization.Kind.INFORMAL_GROUP: "22",
    Organization.Kind.PUBLIC_BODY: "10",  # government
    Organization.Kind.MUNICIPALITY: "10",
    Organization.Kind.SCHOOL: "80",  # academic, training and research
    Organization.Kind.UNIVERSITY: "80",
    Organization.Kind.BUSINESS: "70",  # private sector
}
FOUNDATION_TYPE = "60"
ACTIVITY_STATUS = {
    Project.Status.APPROVED: "1",
    Project.Status.RUNNING: "2",
    Project.Status.FINAL_REPORT: "3",
    Project.Status.CLOSED: "4",
}


def organisation_identifier(organization: Organization) -> str | None:
    """Its IATI organisation identifier, from its register and number; None when unknown."""
    prefix = REGISTER_PREFIXES.get(organization.registry_type)
    number = (organization.registry_number or "").strip()
    if not prefix or not number:
        return None
    return f"{prefix}-{number}"


def organisation_type(organization: Organization) -> str | None:
    if organization.legal_form == Organization.LegalForm.FOUNDATION:
        return FOUNDATION_TYPE
    return ORGANISATION_TYPES.get(organization.kind)


@dataclass
class Export:
    xml: bytes
    included: list[Project] = field(default_factory=list)
    left_out: list[Project] = field(default_factory=list)


def exportable(project: Project) -> bool:
    lead = project.lead_organization
    return (
        project.status in ACTIVITY_STATUS
        and organisation_identifier(lead) is not None
        and organisation_type(lead) is not None
    )


def exportable_filter() -> Q:
    """``exportable`` as a filter of projects (registry numbers are stored stripped): the
    portfolio page asks it before it offers the file."""
    return (
        Q(status__in=list(ACTIVITY_STATUS))
        & Q(lead_organization__registry_type__in=list(REGISTER_PREFIXES))
        & ~Q(lead_organization__registry_number="")
        & (
            Q(lead_organization__legal_form=Organization.LegalForm.FOUNDATION)
            | Q(lead_organization__kind__in=list(ORGANISATION_TYPES))
        )
    )


def _text(value) -> str:
    return clean_text(str(value or ""), multiline=True)


def _narrative(parent, text: str, language: str | None = None):
    element = ET.SubElement(parent, "narrative")
    if language:
        element.set(XML_LANG, language)
    element.text = _text(text)
    return element


def _participant(parent, organization: Organization, role: str) -> None:
    element = ET.SubElement(parent, "participating-org", role=role)
    ref = organisation_identifier(organization)
    if ref:
        element.set("ref", ref)
    kind = organisation_type(organization)
    if kind:
        element.set("type", kind)
    _narrative(element, organization.name)


def _activity(root, project: Project, *, language: str) -> None:
    lead = project.lead_organization
    reporting_ref = organisation_identifier(lead)
    activity = ET.SubElement(
        root, "iati-activity",
        {"last-updated-datetime": project.updated_at.isoformat(timespec="seconds"),
         XML_LANG: language, "default-currency": project.currency},
    )
    ET.SubElement(activity, "iati-identifier").text = f"{reporting_ref}-{project.pk}"
    reporting = ET.SubElement(activity, "reporting-org", ref=reporting_ref, type=organisation_type(lead))
    _narrative(reporting, lead.name)
    _narrative(ET.SubElement(activity, "title"), project.title)
    _narrative(ET.SubElement(activity, "description", type="1"), project.summary)
    if project.funder_id:
        funder = project.funder
        element = ET.SubElement(activity, "participating-org", role="1")
        if funder.organization_id and organisation_identifier(funder.organization):
            element.set("ref", organisation_identifier(funder.organization))
        _narrative(element, funder.name)
    _participant(activity, lead, "4")
    for partner in project.partners.all():
        _participant(activity, partner.organization, "4")
    ET.SubElement(activity, "activity-status", code=ACTIVITY_STATUS[project.status])
    ET.SubElement(activity, "activity-date", type="1", **{"iso-date": project.start_date.isoformat()})
    ET.SubElement(activity, "activity-date", type="3", **{"iso-date": project.end_date.isoformat()})
    if project.territory_id:
        ET.SubElement(activity, "recipient-country", code=project.territory.country)
    budget = ET.SubElement(
        activity, "budget", type="1", status="2" if project.status != Project.Status.APPROVED else "1"
    )
    ET.SubElement(budget, "period-start", **{"iso-date": project.start_date.isoformat()})
    ET.SubElement(budget, "period-end", **{"iso-date": project.end_date.isoformat()})
    value = ET.SubElement(budget, "value", currency=project.currency, **{"value-date": project.start_date.isoformat()})
    value.text = f"{project.budget:.2f}"


def build(projects: Iterable[Project], *, language: str) -> Export:
    """The IATI activities file of ``projects`` (loaded with their lead, funder, territory and
    partners): the exportable ones in it, the others listed as left out."""
    root = ET.Element("iati-activities", version=VERSION,
                      **{"generated-datetime": timezone.now().isoformat(timespec="seconds")})
    export = Export(xml=b"")
    for project in projects:
        if exportable(project):
            _activity(root, project, language=language)
            export.included.append(project)
        else:
            export.left_out.append(project)
    export.xml = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return export
