"""The dashboard's long tables, drawn in one pass, read as the template filters would write
them: names escaped, hours with one decimal in the page's language, thousands grouped."""

from decimal import Decimal

from django.template.defaultfilters import floatformat
from django.utils import translation

from civicbridge.kpis.selectors import Figures
from civicbridge.kpis.templatetags.kpi_tables import county_event_rows, county_organization_rows


def test_a_county_row_escapes_its_name_and_writes_hours_and_counts_as_the_filters_do():
    row = Figures(label="Nysa <Powiat>", key="7", events=3, hours=Decimal("14.5"), training_hours=Decimal("8"),
                  participants=1200, unique=950)
    with translation.override("pl"):
        html = str(county_event_rows([row]))
        debate = floatformat(row.debate_hours, "-1")

    assert html.startswith('<tr><th scope="row">Nysa &lt;Powiat&gt;</th>')
    assert f'<td data-label="Godziny debat">{debate}</td>' in html and debate == "6,5"
    assert '<td data-label="Godziny szkoleń">8</td>' in html and ">1200<" in html and ">950<" in html


def test_a_row_without_a_county_says_so_and_large_counts_are_grouped():
    with translation.override("en"):
        events = str(county_event_rows([Figures(label="", events=1)]))
        organizations = str(county_organization_rows([{"label": "Opole & okolice", "registered": 12345, "verified": 7}]))

    assert '<th scope="row">–</th>' in events
    assert "Opole &amp; okolice" in organizations and ">12,345<" in organizations and ">7<" in organizations
