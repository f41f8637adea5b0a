"""User-written Markdown is rendered, then sanitized with nh3 before it reaches a page."""

from django.utils.safestring import SafeString

from civicbridge.core.markdown import render_markdown


def test_script_tags_are_removed_with_their_content():
    html = render_markdown("Hello\n\n<script>alert('stolen')</script>\n\nBye")

    assert "<script" not in html.lower()
    assert "alert(" not in html
    assert "Hello" in html and "Bye" in html


def test_event_handler_attributes_are_removed():
    html = render_markdown('<p onclick="steal()" onmouseover="steal()">Click me</p>')

    assert "onclick" not in html.lower()
    assert "onmouseover" not in html.lower()
    assert "steal()" not in html
    assert "Click me" in html


def test_an_image_with_an_onerror_handler_is_dropped():
    html = render_markdown('<img src="x" onerror="steal()">')

    assert "onerror" not in html.lower()
    assert "<img" not in html.lower()


def test_javascript_links_lose_their_target():
    html = render_markdown("[click](javascript:alert(1))")

    assert "javascript:" not in html.lower()
    assert "click" in html


def test_raw_html_javascript_links_lose_their_target():
    html = render_markdown('<a href="JaVaScRiPt:alert(1)">click</a>')

    assert "javascript:" not in html.lower()


def test_data_urls_are_not_allowed_as_link_targets():
    html = render_markdown("[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)")

    assert "data:text/html" not in html


def test_headings_are_kept():
    html = render_markdown("## Our goals\n\n### Next year")

    assert "<h2>Our goals</h2>" in html
    assert "<h3>Next year</h3>" in html


def test_a_top_level_heading_keeps_its_text_but_not_the_page_level_tag():
    # The page has its own <h1>; a description must not add a second one.
    html = render_markdown("# Shouting")

    assert "<h1" not in html
    assert "Shouting" in html


def test_bulleted_and_numbered_lists_are_kept():
    html = render_markdown("- one\n- two\n\n1. first\n2. second")

    assert "<ul>" in html and html.count("<li>") == 4
    assert "<ol>" in html


def test_emphasis_and_strong_are_kept():
    html = render_markdown("*soft* and **loud**")

    assert "<em>soft</em>" in html
    assert "<strong>loud</strong>" in html


def test_http_links_are_kept_and_get_rel_nofollow():
    html = render_markdown("[our site](https://example.org/about)")

    assert 'href="https://example.org/about"' in html
    assert 'rel="nofollow noopener noreferrer"' in html


def test_a_rel_attribute_written_by_the_author_is_replaced_by_nofollow():
    html = render_markdown('<a href="https://example.org" rel="me">x</a>')

    assert 'rel="nofollow noopener noreferrer"' in html
    assert 'rel="me"' not in html


def test_mailto_links_are_kept():
    html = render_markdown("[write to us](mailto:biuro@example.org)")

    assert 'href="mailto:biuro@example.org"' in html


def test_style_attributes_and_iframes_are_removed():
    html = render_markdown('<p style="position:fixed">x</p><iframe src="https://evil.example"></iframe>')

    assert "style=" not in html
    assert "<iframe" not in html.lower()


def test_the_result_is_marked_safe_for_templates():
    assert isinstance(render_markdown("text"), SafeString)


def test_empty_and_missing_text_render_as_empty():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""
