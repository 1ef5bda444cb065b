"""What readers write becomes safe HTML: a little Markdown, links made inert, nothing else."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from forum.comments.models import Comment
from forum.core.html import render_comment
from tests import factories

from .pages import comment_html, guest_data, post, section

REL = 'rel="nofollow ugc noopener"'


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("*soft* and **sharp**", "<p><em>soft</em> and <strong>sharp</strong></p>"),
        ("> quoted\n", "<blockquote>\n<p>quoted</p>\n</blockquote>"),
        ("use `f/8`", "<p>use <code>f/8</code></p>"),
        ("```\nx < 1\n```", "<pre><code>x &lt; 1\n</code></pre>"),
        ("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
        ("1. one\n2. two", "<ol>\n<li>one</li>\n<li>two</li>\n</ol>"),
        ("line one\nline two", "<p>line one<br>\nline two</p>"),
        (
            "[the lab](https://lab.example/)",
            f'<p><a href="https://lab.example/" {REL}>the lab</a></p>',
        ),
    ],
    ids=["emphasis", "quote", "code", "fenced code", "list", "numbered list", "breaks", "link"],
)
def test_comment_markdown_subset(text, html):
    assert render_comment(text) == html


def test_bare_addresses_become_links_that_pass_no_rank():
    html = render_comment("Scans at https://scans.example.com/roll?id=4 and www.grain.org")

    assert f'<a href="https://scans.example.com/roll?id=4" {REL}>' in html
    assert f'<a href="http://www.grain.org" {REL}>www.grain.org</a>' in html


def test_addresses_inside_code_stay_text():
    assert "<a" not in render_comment("`https://example.com`\n\n```\nhttps://example.com\n```")


@pytest.mark.parametrize(
    "text", ["![A cat](https://example.com/cat.jpg)", '<img src="https://example.com/cat.jpg">']
)
def test_comments_cannot_show_images(text):
    assert "<img" not in render_comment(text)


@pytest.mark.parametrize("text", ["# Big news", "## Smaller", "Title\n====="])
def test_comments_cannot_have_headings(text):
    assert "<h" not in render_comment(text)


@pytest.mark.parametrize(
    ("text", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script"),
        ("<img src=x onerror=alert(1)>", "<img"),
        ('<a href="https://x.example" onclick="steal()">x</a>', "<a href"),
        ("[click](javascript:alert(1))", "<a"),
        ("[click](JaVaScRiPt:alert(1))", 'href="javascript'),
        ("javascript:alert(1)", "<a"),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", 'href="data:'),
        ("![x](data:image/png;base64,iVBORw0KGgo=)", "data:image"),
        ("<iframe src=https://evil.example></iframe>", "<iframe"),
        ('<p style="color:red">hi</p>', "<p style"),
    ],
)
def test_hostile_text_is_made_harmless(text, forbidden):
    assert forbidden.lower() not in render_comment(text).lower()


def test_raw_html_is_shown_as_the_characters_typed():
    assert render_comment("I like <b>bold</b> & <i>italic</i>") == (
        "<p>I like &lt;b&gt;bold&lt;/b&gt; &amp; &lt;i&gt;italic&lt;/i&gt;</p>"
    )


def test_hostile_comment_posted_through_the_form_is_shown_as_text(article, client):
    text = '<script>alert("x")</script> [go](javascript:alert(1)) <img src=x onerror=alert(2)>'

    post(client, article, guest_data(article, body=text), follow=True)
    comment = Comment.objects.get()
    comment.approve()
    html = comment_html(client.get(article.get_absolute_url()), comment.pk)

    assert "&lt;script&gt;" in html
    assert "<script" not in html
    assert "<img" not in html
    assert 'href="javascript' not in html


def test_hostile_name_is_escaped_everywhere_on_the_page(article, client):
    name = '<script>alert(1)</script>" onmouseover="alert(2)'
    factories.create_comment(article=article, name=name)

    response = client.get(article.get_absolute_url() + "?replyto=1")

    assertNotContains(response, "<script>alert(1)")
    assertNotContains(response, '" onmouseover="')
    assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")


def test_hostile_text_in_the_refused_form_is_escaped(article, client):
    response = post(
        client, article, guest_data(article, body="</textarea><script>x()</script>", email="no")
    )

    assert response.status_code == 200
    assertNotContains(response, "<script>x()")


def test_body_html_is_rendered_when_saved_and_when_edited(article):
    comment = factories.create_comment(article=article, body="*one*")
    assert comment.body_html == "<p><em>one</em></p>"

    comment.body = "**two**"
    comment.save(update_fields=["body"])

    assert Comment.objects.get(pk=comment.pk).body_html == "<p><strong>two</strong></p>"


# Names written right to left, or with direction controls, stay inside their own box

REVERSING_NAME = "abc\u202edef"  # a right-to-left override: what follows it is reversed


class _Isolation(HTMLParser):
    """Where each piece of text sits: inside a <bdi> or not, shown or visually hidden."""

    VOID = {"br", "img", "input", "link", "meta", "hr", "source", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, bool, bool]] = []  # (tag, isolates, hides)
        self.isolated: list[str] = []
        self.exposed: list[str] = []
        self.times_isolated = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        hides = "visually-hidden" in (dict(attrs).get("class") or "").split()
        self.open.append((tag, tag == "bdi", hides))
        if tag == "time" and self._inside(isolates=True):
            self.times_isolated += 1

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self._inside(hides=True):
            return  # read out by screen readers in logical order, never laid out
        (self.isolated if self._inside(isolates=True) else self.exposed).append(data)

    def _inside(self, *, isolates=False, hides=False) -> bool:
        return any((isolates and i) or (hides and h) for _, i, h in self.open)


def isolation(response) -> _Isolation:
    parser = _Isolation()
    parser.feed(response.content.decode())
    parser.close()
    return parser


def assert_name_isolated(response, name=REVERSING_NAME):
    """The name is shown, and every time it is shown it is in a <bdi> with nothing else."""
    assert response.status_code == 200
    shown = isolation(response)
    assert name in shown.isolated
    assert not any(name in text for text in shown.exposed)
    assert shown.times_isolated == 0


@pytest.mark.parametrize("website", ["", "https://abc.example"], ids=["plain", "with website"])
def test_a_guests_name_is_isolated_in_the_byline_so_it_cannot_reverse_the_date(
    article, client, website
):
    comment = factories.create_comment(article=article, name=REVERSING_NAME, website=website)

    response = client.get(article.get_absolute_url())

    assert_name_isolated(response)
    html = comment_html(response, comment.pk)
    assert html.index("</bdi>") < html.index("<time")


def test_a_members_display_name_is_isolated_in_the_byline(article, client):
    member = factories.create_user(display_name=REVERSING_NAME)
    factories.create_comment(article=article, user=member)

    assert_name_isolated(client.get(article.get_absolute_url()))


def test_the_name_replied_to_is_isolated(article, client):
    comment = factories.create_comment(article=article, name=REVERSING_NAME)

    response = client.get(article.get_absolute_url() + f"?replyto={comment.pk}")

    assert_name_isolated(response)
    assert f'<bdi><a id="replying-to-link" href="#comment-{comment.pk}">' in section(response)


def test_the_name_on_the_report_page_is_isolated(article, client):
    comment = factories.create_comment(article=article, name=REVERSING_NAME)

    assert_name_isolated(client.get(reverse("comments:report", args=[comment.pk])))


def test_a_members_own_name_above_the_comment_form_is_isolated(article, client):
    client.force_login(factories.create_user(display_name=REVERSING_NAME))

    response = client.get(article.get_absolute_url())

    assert_name_isolated(response)
    assertContains(response, f"Commenting as <strong><bdi>{REVERSING_NAME}</bdi></strong>.")
