"""An issue as each reader gets it: both parts, their links, the list headers."""

import email.policy
import re
import time
from datetime import datetime
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import resolve
from django.utils import timezone

from forum.newsletter import rendering, tokens
from forum.newsletter.models import Subscriber
from forum.newsletter.rendering import personal_message, render_issue, without_personal_links
from tests.factories import create_article, create_issue, create_subscriber, jpeg_file

SITE = "https://mail.frameandgrain.example"


@pytest.fixture(autouse=True)
def _site(settings):
    """A SITE_URL unlike the test client's host, so a link built from a request would show."""
    settings.SITE_URL = SITE
    settings.NEWSLETTER_FROM_EMAIL = "Frame & Grain <letters@frameandgrain.example>"
    settings.NEWSLETTER_UNSUBSCRIBE_MAILTO = "unsubscribe@frameandgrain.example"


class Links(HTMLParser):
    """Every href and src, and every <img> with its attributes."""

    def __init__(self, html):
        super().__init__()
        self.urls, self.images, self.anchors = [], [], []
        self._anchor = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img":
            self.images.append(attrs)
        for name in ("href", "src"):
            if attrs.get(name):
                self.urls.append(attrs[name])
        if tag == "a":
            self._anchor = [attrs.get("href"), ""]
            self.anchors.append(self._anchor)

    def handle_data(self, data):
        if self._anchor is not None:
            self._anchor[1] += data

    def handle_endtag(self, tag):
        if tag == "a":
            self._anchor = None

    def href(self, text):
        return next(href for href, shown in self.anchors if shown.strip() == text)


def parts(message):
    return message.body, message.alternatives[0].content


@pytest.fixture
def issue(newsletter):
    wide = create_article(
        title="Waiting for the light on the Tay",
        standfirst="Three mornings on one bridge, and the frame that finally came.",
        slug="waiting-for-the-light",
        hero_image=jpeg_file(name="tay.jpg", size=(1600, 900)),
        hero_alt="Mist over a river at dawn",
    )
    plain = create_article(
        title="Cleaning an old rangefinder",
        standfirst="A patient afternoon with a blower and a soft brush.",
        slug="cleaning-a-rangefinder",
    )
    return create_issue(
        newsletter=newsletter,
        subject="Frame & Grain, Monday 30 November",
        intro="Good morning. The **river** issue: see [the archive](/newsletter/archive/) and "
        "[our guide](https://example.org/guide).\n\n- first thing\n- second thing",
        articles=[wide, plain],
    )


@pytest.fixture
def reader(newsletter):
    return create_subscriber(email="ana@example.org", newsletter=newsletter, name="Ana")


def test_issue_mail_has_subject_both_parts_and_the_newsletters_from(issue, reader):
    message = personal_message(render_issue(issue), issue=issue, subscriber=reader)

    assert message.subject == "Frame & Grain, Monday 30 November"
    assert message.to == ["ana@example.org"]
    assert message.from_email == "Frame & Grain <letters@frameandgrain.example>"
    assert message.alternatives[0].mimetype == "text/html"
    text, html = parts(message)
    for body in (text, html):
        assert "Hello Ana," in body
        assert "Waiting for the light on the Tay" in body
        assert "Three mornings on one bridge, and the frame that finally came." in body
        assert "Cleaning an old rangefinder" in body
    assert "<strong>river</strong>" in html
    assert 'class="fg-pad' in html  # the laid-out template, not a bare one


def test_every_link_and_picture_is_absolute_from_site_url(issue, reader, client):
    client.get("/")  # a request on the test host: nothing may borrow it
    text, html = parts(personal_message(render_issue(issue), issue=issue, subscriber=reader))

    urls = Links(html).urls
    assert urls
    for url in urls:  # ours from SITE_URL; the editor's own link to elsewhere as written
        assert url.startswith((SITE + "/", "mailto:", "https://example.org/guide")), url
    assert "testserver" not in html + text
    for url in re.findall(r"https?://[^\s>]+", text):
        assert url.startswith((SITE + "/", "https://example.org/guide")), url
    assert f"{SITE}/newsletter/archive/" in html  # the intro's relative link, made absolute
    words = " ".join(text.split())
    assert f"the archive <{SITE}/newsletter/archive/>" in words
    assert "our guide <https://example.org/guide>" in words


def test_a_site_url_with_a_path_keeps_it_in_every_link(issue, reader, settings):
    settings.SITE_URL = "https://frameandgrain.example/magazine"
    html = parts(personal_message(render_issue(issue), issue=issue, subscriber=reader))[1]

    for url in Links(html).urls:
        assert url.startswith(
            ("https://frameandgrain.example/magazine/", "mailto:", "https://example.org/")
        ), url


def test_articles_link_and_show_their_picture_at_600_pixels(issue, reader):
    html = parts(personal_message(render_issue(issue), issue=issue, subscriber=reader))[1]
    links = Links(html)

    article_url = f"{SITE}/articles/waiting-for-the-light/"
    assert links.href("Waiting for the light on the Tay") == article_url
    assert [href for href, shown in links.anchors if shown == "Read the article"] == [
        article_url,
        f"{SITE}/articles/cleaning-a-rangefinder/",
    ]
    [image] = links.images  # the second article has no picture
    # The smallest rendition at least 600 pixels wide: the 800 one, not the 1600 original.
    assert image["src"].startswith(SITE + "/media/") and image["src"].endswith("-800w.webp")
    assert image["width"] == "600"
    assert image["height"] == "338"
    assert image["alt"] == "Mist over a river at dawn"
    assert "max-width:100%" in image["style"] and "height:auto" in image["style"]


def test_a_picture_without_description_has_empty_alt_and_a_narrow_one_keeps_its_width(
    newsletter, reader
):
    small = create_article(hero_image=jpeg_file(name="small.jpg", size=(480, 320)), hero_alt="")
    issue = create_issue(newsletter=newsletter, articles=[small])
    [image] = Links(render_issue(issue).html).images

    html = render_issue(issue).html
    assert 'alt=""' in html
    # The picture's link repeats the title's; without words it is kept from screen readers.
    assert re.search(r'<a href="[^"]+" aria-hidden="true" tabindex="-1"[^>]*><img', html)
    assert image["alt"] == ""
    assert image["width"] == "480"  # never stretched past its own width
    assert image["src"] == f"{SITE}/media/{small.hero_image.name}"  # no rendition is wide enough


def test_footer_links_are_the_readers_own_and_open_the_right_subscriber(issue, reader, newsletter):
    other = create_subscriber(email="ben@example.org", newsletter=newsletter)
    rendered = render_issue(issue)
    mine, theirs = (
        personal_message(rendered, issue=issue, subscriber=subscriber)
        for subscriber in (reader, other)
    )

    def footer(message):
        links = Links(parts(message)[1])
        return {
            name: links.href(name)
            for name in ("Read this issue on the web", "Change what you receive", "Unsubscribe")
        }

    for message, subscriber in ((mine, reader), (theirs, other)):
        links = footer(message)
        assert links["Read this issue on the web"] == f"{SITE}/newsletter/archive/{issue.pk}/"
        for name, url_name in (
            ("Change what you receive", "newsletter:manage"),
            ("Unsubscribe", "newsletter:unsubscribe"),
        ):
            url = links[name]
            assert url.startswith(SITE + "/")
            match = resolve(urlsplit(url).path)
            assert f"{match.namespace}:{match.url_name}" == url_name
            assert tokens.open_token(match.kwargs["token"], tokens.MANAGE) == subscriber
            assert url in message.body  # the same link in the text part
        assert f"because {subscriber.email}" in message.body
    assert footer(mine)["Unsubscribe"] != footer(theirs)["Unsubscribe"]


def test_no_marker_is_left_in_either_part(issue, reader):
    rendered = render_issue(issue)
    assert "%%" in rendered.html  # the shared rendering holds markers...
    message = personal_message(rendered, issue=issue, subscriber=reader)
    for body in parts(message):
        assert "%%" not in body  # ...each reader's mail none


def test_headers_follow_rfc_2369_8058_and_2919(issue, reader):
    message = personal_message(render_issue(issue), issue=issue, subscriber=reader)
    one_click = Links(parts(message)[1]).href("Unsubscribe")

    assert message.extra_headers["List-Unsubscribe"] == (
        f"<{one_click}>, <mailto:unsubscribe@frameandgrain.example?subject=unsubscribe>"
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Id"] == (
        "The Frame & Grain newsletter <magazine.mail.frameandgrain.example>"
    )
    assert message.extra_headers["Message-ID"] == (
        f"<issue-{issue.pk}.reader-{reader.pk}@mail.frameandgrain.example>"
    )
    sent = message.message()
    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert sent["Message-ID"] == f"<issue-{issue.pk}.reader-{reader.pk}@mail.frameandgrain.example>"
    assert one_click in " ".join(str(sent["List-Unsubscribe"]).split())


def test_message_id_is_the_same_on_every_attempt_and_reads_back(issue, reader):
    rendered = render_issue(issue)
    first = personal_message(rendered, issue=issue, subscriber=reader)
    again = personal_message(rendered, issue=issue, subscriber=reader)

    assert first.extra_headers["Message-ID"] == again.extra_headers["Message-ID"]
    assert rendering.parse_message_id(first.extra_headers["Message-ID"]) == (issue.pk, reader.pk)
    assert rendering.parse_message_id("<something@else>") is None


def test_a_test_send_is_marked_and_gets_a_fresh_message_id(issue, reader):
    message = personal_message(render_issue(issue), issue=issue, subscriber=reader, test=True)

    assert message.subject == "[Test] Frame & Grain, Monday 30 November"
    assert message.extra_headers["Message-ID"] != rendering.message_id(issue, reader)


def test_a_test_to_an_address_without_subscription_names_nobody(issue):
    stand_in = Subscriber(email="editor@frameandgrain.example")
    message = personal_message(render_issue(issue), issue=issue, subscriber=stand_in, test=True)
    links = Links(parts(message)[1])

    assert links.href("Unsubscribe") == f"{SITE}/newsletter/manage/"
    assert "List-Unsubscribe" not in message.extra_headers
    assert "%%" not in message.body + parts(message)[1]


XSS = '<script>alert("x")</script>"'


def test_what_readers_and_editors_typed_is_escaped_in_html_and_plain_in_text(newsletter):
    article = create_article(title=f"Title {XSS}", standfirst=f"Standfirst {XSS}")
    issue = create_issue(
        newsletter=newsletter, subject=f"Subject {XSS}", intro=f"Intro {XSS}", articles=[article]
    )
    reader = create_subscriber(newsletter=newsletter, name=f"Name {XSS}")
    text, html = parts(personal_message(render_issue(issue), issue=issue, subscriber=reader))

    assert "<script" not in html.lower()
    assert "Hello Name &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&quot;," in html
    assert "Title &lt;script&gt;" in html
    assert "Standfirst &lt;script&gt;" in html
    assert f"Hello Name {XSS}," in text  # plain text: shown as typed, nothing to run
    assert f"Title {XSS}" in text
    assert "&lt;" not in text and "&quot;" not in text


def test_a_name_that_looks_like_a_marker_stays_text(issue, newsletter):
    sly = create_subscriber(newsletter=newsletter, name="%%UNSUBSCRIBE_URL%%")
    text, html = parts(personal_message(render_issue(issue), issue=issue, subscriber=sly))

    assert "Hello %%UNSUBSCRIBE_URL%%," in text
    assert "Hello %%UNSUBSCRIBE_URL%%," in html


def test_text_part_is_wrapped_plain_text_without_markdown_or_entities(newsletter, reader):
    issue = create_issue(
        newsletter=newsletter,
        intro="It's **late** autumn & the light is *low*; " + "word " * 40 + "\n\n1. one\n2. two",
        articles=[create_article(standfirst="A long standfirst " * 10)],
    )
    text = personal_message(render_issue(issue), issue=issue, subscriber=reader).body

    assert "It’s late autumn & the light is low;" in text
    assert "**" not in text and "*low*" not in text
    assert "&amp;" not in text and "&#" not in text
    assert "- one\n- two" in text
    for line in text.splitlines():
        assert len(line) <= 72 or re.search(r"https?://", line), line


def test_a_scheduled_issue_is_dated_the_day_it_goes_out(newsletter):
    monday = timezone.make_aware(datetime(2026, 11, 30, 7, 0))
    rendered = render_issue(create_issue(newsletter=newsletter, send_at=monday))

    assert "Monday 30 November 2026" in rendered.text
    assert "Monday 30 November 2026" in rendered.html


def test_preheader_opens_with_the_intro(issue):
    html = render_issue(issue).html
    body = html[html.index("<body") :]
    hidden = re.search(r'<div style="display:none;[^"]*">([^<&]*)', body)
    assert hidden and hidden[1].startswith("Good morning. The river issue:")


def test_the_public_copy_has_no_personal_link(issue):
    public = without_personal_links(render_issue(issue))

    for body in (public.text, public.html):
        assert "%%" not in body
        assert "/newsletter/manage/" in body
        assert "/newsletter/unsubscribe/" not in body
        assert "because your address is subscribed" in " ".join(body.split())


def test_list_unsubscribe_stays_readable_when_the_message_is_sent(issue, reader):
    """Python's folding would turn the long header into encoded words (=?utf-8?q?...) that
    no mailbox provider decodes there: the URIs must reach the wire as they are."""
    message = personal_message(render_issue(issue), issue=issue, subscriber=reader)
    one_click = Links(parts(message)[1]).href("Unsubscribe")

    wire = message.message(policy=email.policy.SMTP).as_bytes().decode()
    header = re.search(r"^List-Unsubscribe: (.*?)\r\n(?=\S)", wire, re.M | re.S)[1]
    assert "=?" not in header
    assert header.replace("\r\n ", " ") == (
        f"<{one_click}>, <mailto:unsubscribe@frameandgrain.example?subject=unsubscribe>"
    )


def test_personal_message_makes_at_least_500_messages_a_second(issue):
    """Once per reader: string replacement and a message object. (Serialising the MIME is
    the sender's cost, by Python's email package; printed here for the record.)"""
    Subscriber.objects.bulk_create(
        Subscriber(email=f"reader{n}@example.org", name=f"Reader {n}") for n in range(1000)
    )
    readers = list(Subscriber.objects.filter(email__startswith="reader"))
    rendered = render_issue(issue)

    started = time.perf_counter()
    messages = [personal_message(rendered, issue=issue, subscriber=s) for s in readers]
    made = len(readers) / (time.perf_counter() - started)
    started = time.perf_counter()
    for message in messages:
        message.message(policy=email.policy.SMTP).as_bytes()
    serialised = len(readers) / (time.perf_counter() - started)

    print(f"\npersonal_message: {made:.0f}/s; MIME serialising: {serialised:.0f}/s")
    assert made >= 500


def _parsed(data: bytes):
    return email.message_from_bytes(data, policy=email.policy.default)


@pytest.mark.parametrize(
    "name", ["Ana Lima", "", 'Zoë "Z" <script>alert(1)</script>', "Ngozi Ọkọnkwọ"]
)
def test_the_wire_message_is_the_message_the_email_package_writes(newsletter, name):
    """The sender's fast path (`wire_message`) and Django's message agree on every header a
    reader or a mailbox provider reads, and on both bodies."""
    issue = create_issue(
        subject="Snow, and how to meter it — Zoë’s notes", intro="Good *morning*. " * 40
    )
    issue.articles.add(create_article(title="Metering for snow"))
    reader = create_subscriber(email="ana@example.org", name=name)
    rendered = render_issue(issue)

    slow = _parsed(personal_message(rendered, issue=issue, subscriber=reader).message().as_bytes())
    fast = _parsed(
        rendering.wire_message(
            rendering.wire_issue(rendered, issue=issue), issue=issue, subscriber=reader
        )
    )

    for header in ("From", "To", "Subject", "Message-ID", "List-Id", "List-Unsubscribe-Post"):
        assert fast[header] == slow[header], header
    # The links carry a signed token made a moment apart: compare them without their times.
    unsigned = re.compile(r":[\w-]{6}:[\w-]{43}/")
    assert unsigned.sub("/", fast["List-Unsubscribe"]) == unsigned.sub(
        "/", slow["List-Unsubscribe"]
    )
    for part in ("plain", "html"):
        fast_body = fast.get_body((part,)).get_content()
        slow_body = slow.get_body((part,)).get_content()
        assert unsigned.sub("/", fast_body) == unsigned.sub("/", slow_body), part
    assert fast.get_content_type() == "multipart/alternative"
    assert fast["Date"]


def test_no_line_of_the_wire_message_is_longer_than_smtp_allows(newsletter):
    issue = create_issue(intro="A very long paragraph without any break at all. " * 200)
    reader = create_subscriber(email="long@example.org", name="L")
    rendered = render_issue(issue)

    data = rendering.wire_message(
        rendering.wire_issue(rendered, issue=issue), issue=issue, subscriber=reader
    )

    assert max(len(line) for line in data.split(b"\r\n")) <= 998
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_an_address_beyond_ascii_is_left_to_the_email_package(newsletter):
    issue = create_issue()
    reader = create_subscriber(email="zoë@exämple.org")
    wire = rendering.wire_issue(render_issue(issue), issue=issue)

    assert rendering.wire_message(wire, issue=issue, subscriber=reader) is None


def test_a_wire_message_takes_a_fraction_of_a_millisecond(newsletter):
    issue = create_issue(intro="Good *morning*. " * 100)
    readers = [create_subscriber(email=f"w{n}@example.org", name=f"Reader {n}") for n in range(200)]
    wire = rendering.wire_issue(render_issue(issue), issue=issue)

    started = time.perf_counter()
    for reader in readers:
        rendering.wire_message(wire, issue=issue, subscriber=reader)
    per_message = (time.perf_counter() - started) / len(readers)

    assert per_message < 0.002  # 2 ms even on a loaded machine; about 0.2 ms when idle
