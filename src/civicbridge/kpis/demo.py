"""Demo targets: the Opole regional programme's targets for the current year, as the issue gives
them (18 meetings, 54 hours, 270 participants; 12 trainings, 96 hours, 120 participants; in 12
counties). Orhangazi has no programme target in the sources: none is invented."""

from django.utils import timezone

from .models import Target

SOURCE = "Program regionalny – wskaźniki (zgłoszenie w projekcie civicbridge, dane przykładowe)"


def loaded_profiles() -> set[str]:
    return {"opole"} if Target.objects.filter(source=SOURCE).exists() else set()


def load(*, profile: str, stdout) -> None:
    if profile != "opole":
        stdout.write("  no programme targets for this profile (none in the sources).")
        return
    if Target.objects.exists():
        stdout.write("KPI targets are already loaded; nothing to do.")
        return
    year = timezone.localdate(timezone=timezone.get_default_timezone()).year
    Target.objects.create(
        year=year, name_en="Consultation meetings", name_pl="Spotkania konsultacyjne", name_tr="İstişare toplantıları",
        kinds="meeting", events=18, hours=54, participants=270, counties=12, source=SOURCE,
    )
    Target.objects.create(
        year=year, name_en="Trainings", name_pl="Szkolenia", name_tr="Eğitimler",
        kinds="training", events=12, hours=96, participants=120, counties=12, source=SOURCE,
    )
    stdout.write(f"  2 programme targets for {year} (meetings and trainings).")
