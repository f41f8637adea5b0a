"""core.text.once_per_language: an answer in the active language, worked out once per language."""

from django.utils import translation
from django.utils.translation import gettext

from civicbridge.core.text import once_per_language


def test_each_language_gets_its_own_answer_worked_out_once():
    calls = []

    @once_per_language
    def label(name: str) -> str:
        calls.append((translation.get_language(), name))
        return gettext(name)

    answers = []
    for language in ("en", "pl", "tr", "pl", "en"):
        with translation.override(language):
            answers.append(label("Search"))

    assert answers[1] == answers[3] != answers[0] == answers[4]
    assert answers[2] not in (answers[0], answers[1])
    assert calls == [("en", "Search"), ("pl", "Search"), ("tr", "Search")]
    assert label.cache_info().misses == 3
