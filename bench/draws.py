"""Random draws shared by the generator and the load (no Django, no Locust here)."""

import random


def weighted(rng: random.Random, choices: list) -> str:
    """One of the (value, weight) ``choices``."""
    return rng.choices([value for value, _weight in choices], [weight for _value, weight in choices])[0]
