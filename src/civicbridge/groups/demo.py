"""Demo data of working groups and standards (filled in below)."""


def loaded_profiles() -> set[str]:
    return set()


def load(*, profile: str, stdout) -> None:
    stdout.write("Working groups demo: nothing yet.")
