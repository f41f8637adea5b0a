"""One converter per thread renders every text: nothing of one text reaches the next."""

from civicbridge.core.markdown import render_markdown


def test_a_reference_or_footnote_of_one_text_does_not_reach_the_next():
    first = render_markdown("See [the call][c] and a note[^1].\n\n[c]: https://example.org/c\n\n[^1]: Only here.")
    assert 'href="https://example.org/c"' in first and "Only here." in first

    second = render_markdown("See [the call][c] and a note[^1].")
    assert "example.org" not in second and "Only here." not in second
    assert "[the call][c]" in second


def test_the_same_text_renders_the_same_each_time():
    text = "# Title\n\n* one\n* two\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    assert render_markdown(text) == render_markdown(text) == render_markdown(text)
