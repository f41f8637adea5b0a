"""Predicates shared by every app."""

import rules


@rules.predicate
def is_coordinator(user) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or getattr(user, "is_coordinator", False))
    )


# A deactivated account keeps its session or token until they expire: it must lose its rights at once.
is_registered = rules.is_authenticated & rules.is_active
