"""Each way of sorting the calls list is named in the page's language, both directions: the
ascending ones too (they showed the model field's name, "Amount" in English on every page)."""

import re

import pytest

pytestmark = pytest.mark.django_db

LABELS = {
    "en": [
        "last deadline, soonest first", "last deadline, latest first", "oldest announcements", "newest announcements",
        "title", "title, Z to A", "maximum grant, smallest first", "maximum grant, largest first",
    ],
    "pl": [
        "ostatni termin składania, od najbliższego", "ostatni termin składania, od najdalszego",
    ],
    "tr": [
        "en son başvuru tarihi, en yakından başlayarak", "en son başvuru tarihi, en geç olandan başlayarak",
    ],
}


def _sort_options(page: str) -> dict[str, str]:
    menu = re.search(r'<select name="ordering".*?</select>', page, re.S).group(0)
    return {value: label.strip() for value, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', menu)}


@pytest.mark.parametrize("language", ["en", "pl", "tr"])
def test_every_sort_option_has_its_own_label_in_the_pages_language(client, language):
    options = _sort_options(client.get(f"/{language}/calls/").content.decode())

    assert set(options) == {"", "deadline", "-deadline", "published", "-published", "title", "-title", "amount", "-amount"}
    labels = [label for value, label in options.items() if value]
    assert len(set(labels)) == len(labels)
    assert not {"Amount", "Deadline", "Published", "Title"} & set(labels)
    for label in LABELS[language]:
        assert label in labels
