"""Demo consultations (filled in next)."""


def load(*, profile: str, stdout=None, **kwargs) -> None:
    return None


def standard_consultation():
    return None
