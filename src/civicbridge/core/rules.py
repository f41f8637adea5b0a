"""Predicates shared by every app."""

import rules


@rules.predicate
def is_coordinator(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or getattr(user, "is_coordinator", False)))


is_registered = rules.is_authenticated
