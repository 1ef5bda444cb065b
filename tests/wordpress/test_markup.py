"""WordPress markup turned into this site's: article bodies and comment text."""

import pytest

from forum.core.html import render_markdown
from forum.wordpress.markup import (
    Attachment,
    autop,
    comment_text,
    plain_text,
    post_body,
    split_credit,
)


def found(url: str):
    """Every picture whose address says "here" is on this machine."""
    return url if "here" in url else None


def test_autop_makes_paragraphs_and_line_breaks_and_leaves_blocks_and_pre_alone():
    text = "One\ntwo\n\nThree\n<blockquote>Quoted</blockquote>\n<pre>a\n\nb</pre>"
    assert autop(text) == (
        "<p>One<br>\ntwo</p>\n<p>Three</p>\n<blockquote>Quoted</blockquote>\n<pre>a\n\nb</pre>"
    )


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        ("The M6. Photo: Ada Lowe", ("The M6.", "Photo: Ada Lowe")),
        ("On the bench (photograph by Bo Chan)", ("On the bench", "photograph by Bo Chan")),
        ("Fog at dawn — © Ines Roth", ("Fog at dawn", "© Ines Roth")),
        ("Credit: The Archive", ("", "Credit: The Archive")),
        ("A photograph of a photographer", ("A photograph of a photographer", "")),
        ("Film &amp; paper", ("Film & paper", "")),
    ],
)
def test_a_credit_at_the_end_of_a_caption_is_split_off(caption, expected):
    assert split_credit(caption) == expected


def test_an_inline_picture_stands_after_its_paragraph_and_a_missing_one_is_dropped():
    body = post_body(
        'Before <img src="https://old.example/here.jpg" alt="A [test] picture"> after.\n\n'
        '<img src="https://old.example/gone.jpg" alt="gone">',
        find_image=found,
    )
    assert body.text == "<p>Before  after.</p>\n\n![A \\[test\\] picture](image:1)"
    assert body.missing == ["https://old.example/gone.jpg"]


def test_a_gallery_becomes_one_figure_per_picture_in_order():
    attachments = {
        "5": Attachment(url="https://old.example/here-1.jpg", alt="First", caption="One"),
        "6": Attachment(url="https://old.example/here-2.jpg", alt="Second", caption="Two"),
    }
    body = post_body('[gallery ids="6,5"]', find_image=found, attachments=attachments)
    assert body.text == "![Second](image:1)\n\n![First](image:2)"
    assert [(i.caption, i.position) for i in body.images] == [("Two", 1), ("One", 2)]


def test_embeds_and_frames_become_links_and_plugin_shortcodes_are_removed():
    body = post_body(
        "[embed]https://video.example/v/1[/embed]\n\n"
        '<iframe src="https://maps.example/m"></iframe>\n\n'
        '[contact-form-7 id="3"] Write to us [sic].\n\n[note]Kept text[/note]',
        find_image=found,
    )
    html = render_markdown(body.text)
    assert '<a href="https://video.example/v/1">https://video.example/v/1</a>' in html
    assert '<a href="https://maps.example/m">https://maps.example/m</a>' in html
    assert "Write to us [sic]." in html
    assert "Kept text" in html and "[note]" not in html
    assert body.shortcodes == {"contact-form-7", "note"}


def test_a_top_level_heading_becomes_a_section_heading():
    assert "<h2>Big</h2>" in post_body("<h1>Big</h1>", find_image=found).text


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("Plain\ntext", "Plain\ntext"),
        ("<p>One</p><p>Two</p>", "One\n\nTwo"),
        ("Say <em>hi</em> and <b>bye</b>", "Say *hi* and **bye**"),
        ('See <a href="https://x.example/a">this</a>', "See [this](<https://x.example/a>)"),
        ('<a href="https://x.example">https://x.example</a>', "https://x.example"),
        ('<a href="javascript:alert(1)">click</a>', "click"),
        ("<blockquote>Quoted\nlines</blockquote>Answer", "> Quoted\n> lines\n\nAnswer"),
        ("Use <code>xtol</code>", "Use `xtol`"),
        ("Fish &amp; chips &lt;3", "Fish & chips <3"),
        ("<script>alert(1)</script>Safe", "Safe"),
    ],
)
def test_a_comment_s_html_becomes_the_text_a_reader_would_type(html, text):
    assert comment_text(html) == text


def test_plain_text_decodes_entities_and_drops_tags():
    assert plain_text("Film &amp; <em>grain</em>  &#8217;24") == "Film & grain ’24"


def test_script_and_style_text_never_reaches_a_title_or_name():
    assert plain_text("<script>window.x=1</script>Mallory<style>b{}</style>") == "Mallory"


def test_a_link_that_lost_its_address_is_plain_words_and_a_frame_keeps_its_paragraph():
    body = post_body(
        'Before <iframe src="https://video.example/e/1"></iframe> after, '
        '<a href="javascript:alert(1)">click</a> and <iframe src="javascript:x"></iframe>end.',
        find_image=found,
    )
    assert body.text == (
        '<p>Before <a href="https://video.example/e/1">https://video.example/e/1</a> after, '
        "click and end.</p>"
    )


def test_an_abbreviation_before_a_link_is_kept_whole():
    body = post_body(
        'We use <abbr title="Single-lens reflex">SLR</abbr> bodies; see '
        '<a href="https://example.org/x">the review</a> for more.',
        find_image=found,
    )
    assert body.text == (
        '<p>We use <abbr title="Single-lens reflex">SLR</abbr> bodies; see '
        '<a href="https://example.org/x">the review</a> for more.</p>'
    )
