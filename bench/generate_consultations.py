"""Consultations of draft acts for the benchmark: bulk inserts, resumable.

At scale 1: two large consultations of 500 sections and 20,000 remarks each (issue 13's
shape), one still open (its sections are read and remarked on under load) and one finished,
every remark answered and the report published (its report is read under load); beside
them 400 ordinary consultations of a dozen sections and a few remarks, open, finished and
reported, for the list. Remarks come from the generated users, two in three for an
organization; one in fifty is hidden by the moderator, as the report must show.

    from bench.generate_consultations import ensure_consultations
    ensure_consultations(1.0, random.Random(7))
"""

import itertools
import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

LARGE_SECTIONS = 500
LARGE_REMARKS = 20_000
ORDINARY = 400
BATCH = 5_000
TITLE_OPEN = "Projekt programu współpracy z organizacjami pozarządowymi (bench)"
TITLE_REPORTED = "Projekt strategii rozwoju społeczeństwa obywatelskiego (bench)"
WORDINGS = [
    "Proponujemy dodać organizacje pozarządowe do grona podmiotów konsultujących.",
    "Termin należy wydłużyć do 21 dni, aby organizacje zdążyły przygotować opinię.",
    "Prosimy o doprecyzowanie kryteriów oceny ofert i ich wag.",
    "Sivil toplum kuruluşlarının da görüşü alınmalıdır.",
]
JUSTIFICATIONS = [
    "Obecne brzmienie pomija **organizacje działające** na terenie powiatu.",
    "Doświadczenia z poprzednich lat pokazują, że _7 dni_ to za mało.",
    "Bez tego zapisu komisja konkursowa ocenia oferty uznaniowo.",
    "Mevcut metin ilçedeki dernekleri dışarıda bırakıyor.",
]


def ensure_consultations(scale: float, rng: random.Random) -> None:
    from civicbridge.consultations.models import Consultation

    if Consultation.objects.filter(title=TITLE_REPORTED).exists():
        return
    context = _context(rng)
    sections = max(10, int(LARGE_SECTIONS * scale))
    remarks = max(100, int(LARGE_REMARKS * scale))
    now = timezone.now()
    _consultation(context, rng, TITLE_OPEN, now - timedelta(days=10), now + timedelta(days=60), sections, remarks)
    _consultation(context, rng, TITLE_REPORTED, now - timedelta(days=90), now - timedelta(days=30), sections, remarks,
                  reported=True)
    for number in range(max(4, int(ORDINARY * scale))):
        starts = now + timedelta(days=rng.uniform(-400, 20))
        ends = starts + timedelta(days=rng.choice([7, 14, 21, 30]))
        _consultation(context, rng, f"Konsultacje projektu uchwały nr {number} (bench)", starts, ends,
                      rng.randint(5, 20), rng.randint(0, 30), reported=ends < now and rng.random() < 0.7)


def _context(rng: random.Random) -> dict:
    from civicbridge.accounts.models import User
    from civicbridge.core.models import Territory
    from civicbridge.directory.models import Organization

    bodies = list(Organization.objects.filter(kind__in=Organization.PUBLIC_KINDS).values_list("pk", "territory_id")[:2000])
    return {
        "bodies": bodies or list(Organization.objects.values_list("pk", "territory_id")[:10]),
        "counties": list(Territory.objects.filter(level="county").values_list("pk", flat=True)),
        "authors": list(User.objects.filter(username__startswith="bench").values_list("pk", flat=True)[:50_000]),
        "organizations": list(Organization.objects.filter(kind="ngo").values_list("pk", flat=True)[:50_000]),
        "answerer": User.objects.filter(username__startswith="bench-coordinator-").values_list("pk", flat=True).first(),
    }


@transaction.atomic
def _consultation(context, rng, title, starts, ends, sections: int, remarks: int, *, reported: bool = False) -> None:
    from civicbridge.consultations.models import Consultation, Section, SectionVersion
    from civicbridge.consultations.services import consultation_search_document

    body, territory = rng.choice(context["bodies"])
    consultation = Consultation.objects.create(
        title=title, kind=rng.choice(["resolution", "cooperation_programme", "strategy", "standard"]),
        issuing_body_id=body, territory_id=territory or rng.choice(context["counties"]),
        legal_basis="art. 5 ust. 5 ustawy o działalności pożytku publicznego i o wolontariacie",
        description="Konsultacje wygenerowane do testu wydajności.",
        description_html="<p>Konsultacje wygenerowane do testu wydajności.</p>",
        starts_at=starts, ends_at=ends, published_at=starts - timedelta(days=1),
        reported_at=ends + timedelta(days=10) if reported else None,
        report_summary="Raport z konsultacji." if reported else "",
        report_summary_html="<p>Raport z konsultacji.</p>" if reported else "",
    )
    consultation.search_document = consultation_search_document(consultation)
    consultation.save(update_fields=["search_document"])
    rows = Section.objects.bulk_create(
        Section(consultation=consultation, position=n, label=f"§ {n}", heading=f"Rozdział {1 + n // 25}" if n % 25 == 1 else "",
                text=f"{n}. Samorząd współpracuje z organizacjami pozarządowymi w zakresie zadań publicznych "
                     f"określonych w programie, w szczególności w obszarze {rng.choice(['kultury', 'sportu', 'pomocy społecznej'])}.")
        for n in range(1, sections + 1)
    )
    if not all(section.pk for section in rows):
        rows = list(consultation.sections.order_by("position"))
    versions = SectionVersion.objects.bulk_create(
        SectionVersion(section=section, number=1, label=section.label, heading=section.heading, text=section.text) for section in rows
    )
    if not all(version.pk for version in versions):
        versions = list(SectionVersion.objects.filter(section__consultation=consultation).order_by("section__position"))
    _remarks(context, rng, consultation, list(zip(rows, versions, strict=True)), remarks, reported=reported)


def _remarks(context, rng, consultation, sections, count: int, *, reported: bool) -> None:
    from civicbridge.consultations.models import Remark, RemarkVersion

    span = max(60.0, (min(consultation.ends_at, timezone.now()) - consultation.starts_at).total_seconds())
    answers = ["accepted", "partly", "rejected", "rejected"]
    made = []
    # Some sections draw many remarks, most a few (the most remarked of 500 about 2%, 460 of
    # 20,000); one in twenty remarks is on the whole act.
    cumulative = list(itertools.accumulate(1 / rank**0.5 for rank in range(1, len(sections) + 1)))
    shuffled = rng.sample(sections, len(sections))
    for _number in range(count):
        section, version = (None, None) if rng.random() < 0.05 else rng.choices(shuffled, cum_weights=cumulative)[0]
        pick = rng.randrange(len(WORDINGS))
        submitted = consultation.starts_at + timedelta(seconds=rng.uniform(0, span))
        answer = rng.choice(answers) if reported else ""
        hidden = rng.random() < 0.02
        made.append(Remark(
            consultation=consultation, section=section, section_version=version, author_id=rng.choice(context["authors"]),
            organization_id=rng.choice(context["organizations"]) if rng.random() < 0.66 else None,
            proposed_wording=WORDINGS[pick], justification=JUSTIFICATIONS[pick],
            justification_html=f"<p>{JUSTIFICATIONS[pick]}</p>", submitted_at=submitted, language=rng.choice(["pl", "en", "tr"]),
            hidden_at=submitted + timedelta(hours=2) if hidden else None,
            hidden_reason="Wpis obraźliwy (bench)" if hidden else "",
            answer=answer, answer_justification="Uwzględniono w projekcie." if answer else "",
            answer_justification_html="<p>Uwzględniono w projekcie.</p>" if answer else "",
            answered_at=consultation.ends_at + timedelta(days=5) if answer else None,
            answered_by_id=context["answerer"] if answer else None,
        ))
    for start in range(0, len(made), BATCH):
        chunk = Remark.objects.bulk_create(made[start:start + BATCH])
        RemarkVersion.objects.bulk_create(
            RemarkVersion(remark_id=remark.pk, number=1, proposed_wording=remark.proposed_wording,
                          justification=remark.justification, justification_html=remark.justification_html,
                          organization_id=remark.organization_id, created_at=remark.submitted_at)
            for remark in chunk if remark.pk
        )
