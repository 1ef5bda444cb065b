"""An issue as mail: rendered once per send, then made personal for each reader.

Rendering the templates for each of 50,000 readers would cost more than sending. The issue is
rendered once with markers where the reader's own links and address go (`RenderedIssue`), and
`personal_message` swaps the markers for that reader's values in one pass and adds the headers
(RFC 2369 List-Unsubscribe, RFC 8058 one-click, RFC 2919 List-Id, a Message-ID fixed per issue
and reader). `without_personal_links` fills the same markers with links that name nobody, for
previews and anything shown on the web.

Everything a reader can follow is absolute and built from `SITE_URL`, never from a request:
the same mail is read on phones, in webmail and in clients that know nothing of our host.
"""

import base64
import email.policy
import re
import secrets
import textwrap
from dataclasses import dataclass
from email.utils import formataddr, formatdate, make_msgid, parseaddr
from html import escape
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from forum.core.html import visible_text
from forum.core.mail import LIST_HEADERS, ListMessage

from . import services, tokens
from .models import Issue, Subscriber

# Markers the templates print where each reader's values go: nothing a template escapes or a
# URL contains. They are replaced in one pass, so a value that looks like a marker stays text.
MANAGE_MARK = "%%MANAGE_URL%%"
UNSUBSCRIBE_MARK = "%%UNSUBSCRIBE_URL%%"
RECIPIENT_MARK = "%%RECIPIENT%%"
GREETING_MARK = "%%GREETING%%"
_MARKS = re.compile(r"%%(MANAGE_URL|UNSUBSCRIBE_URL|RECIPIENT|GREETING)%%")

# The column every client shows whole: Gmail and Outlook clip or scale wider mail.
MAIL_WIDTH = 600
TEXT_WIDTH = 72
PREHEADER_LENGTH = 140
_MESSAGE_ID = re.compile(r"<issue-(\d+)\.reader-(\d+)@[^>]+>")


@dataclass(frozen=True)
class RenderedIssue:
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class MailImage:
    src: str
    width: int
    height: int | None
    alt: str


@dataclass(frozen=True)
class MailArticle:
    title: str
    standfirst: str
    url: str
    image: MailImage | None


def absolute(url: str) -> str:
    """`url` as a link that works from a mailbox: site-relative paths get `SITE_URL` in front
    (as services' links do, so a SITE_URL with a path keeps it)."""
    if url.startswith("/") and not url.startswith("//"):
        return settings.SITE_URL + url
    return urljoin(settings.SITE_URL + "/", url)


def mail_image(article) -> MailImage | None:
    """The hero as the mail shows it: the smallest rendition at least `MAIL_WIDTH` wide (sharp
    in the column without sending the 1600-pixel copy), or the original when none is."""
    picture = article.hero_picture
    if picture is None:
        return None
    src, width, height = picture.src, picture.width, picture.height
    renditions = []
    for candidate in filter(None, (part.strip() for part in picture.srcset.split(","))):
        url, _, descriptor = candidate.rpartition(" ")
        if descriptor.endswith("w") and descriptor[:-1].isdigit():
            renditions.append((int(descriptor[:-1]), url))
    wide_enough = sorted(rendition for rendition in renditions if rendition[0] >= MAIL_WIDTH)
    if wide_enough:
        rendition_width, src = wide_enough[0]
        if width and height:
            height = round(height * rendition_width / width)
        width = rendition_width
    shown = min(width or MAIL_WIDTH, MAIL_WIDTH)
    shown_height = round(height * shown / width) if width and height else None
    return MailImage(src=absolute(src), width=shown, height=shown_height, alt=article.hero_alt)


def mail_article(article) -> MailArticle:
    return MailArticle(
        title=article.title,
        standfirst=article.standfirst,
        url=absolute(article.get_absolute_url()),
        image=mail_image(article),
    )


def render_issue(issue: Issue) -> RenderedIssue:
    """The issue's subject, text and HTML, with markers for each reader's values."""
    articles = issue.articles.order_by("-published_at", "-pk")
    intro_html = mail_intro_html(issue.intro_html)
    intro_text = plain_text(issue.intro_html)
    context = {
        "issue": issue,
        "newsletter": issue.newsletter,
        "articles": [mail_article(article) for article in articles],
        "date": timezone.localtime(
            issue.sent_at or issue.started_at or issue.send_at or timezone.now()
        ),
        "intro_html": intro_html,
        "intro_text": intro_text,
        "preheader": preheader(issue.intro_html),
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "web_url": absolute(issue.get_absolute_url()),
        "contact_email": parseaddr(settings.NEWSLETTER_FROM_EMAIL)[1],
        "width": MAIL_WIDTH,
        "manage_url": MANAGE_MARK,
        "unsubscribe_url": UNSUBSCRIBE_MARK,
        "recipient": RECIPIENT_MARK,
        "greeting": GREETING_MARK,
    }
    text = render_to_string("emails/newsletter_issue/body.txt", context)
    return RenderedIssue(
        subject=issue.subject,
        text=re.sub(r"\n{3,}", "\n\n", text).strip() + "\n",
        html=render_to_string("emails/newsletter_issue/body.html", context),
    )


def _fill(body: str, values: dict[str, str]) -> str:
    return _MARKS.sub(lambda match: values[match[1]], body)


def personalise(
    rendered: RenderedIssue, *, manage: str, unsubscribe: str, recipient: str, name: str
):
    """`rendered` with the markers replaced: escaped for the HTML part, as is for the text.
    The greeting ("Hello Ana,") is a paragraph of its own, and only for a reader whose name
    we know: the editor's letter opens the issue for everyone else."""
    text = {"MANAGE_URL": manage, "UNSUBSCRIBE_URL": unsubscribe, "RECIPIENT": recipient}
    html = {key: escape(value) for key, value in text.items()}
    text["GREETING"] = f"Hello {name},\n\n" if name else ""
    html["GREETING"] = f'<p style="margin:0 0 16px;">Hello {escape(name)},</p>' if name else ""
    return RenderedIssue(
        subject=rendered.subject, text=_fill(rendered.text, text), html=_fill(rendered.html, html)
    )


def without_personal_links(rendered: RenderedIssue) -> RenderedIssue:
    """The issue as nobody in particular gets it: previews, the web. The reader's links lead
    to the page that mails a reader their own preference link."""
    ask = absolute(reverse("newsletter:request-link"))
    return personalise(rendered, manage=ask, unsubscribe=ask, recipient="your address", name="")


def mail_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def message_id(issue: Issue, subscriber: Subscriber) -> str:
    """The same for every attempt to send one issue to one reader, so a receiving server or
    client that saw it once can tell a repeat, and a bounce names the delivery it is about."""
    return f"<issue-{issue.pk}.reader-{subscriber.pk}@{mail_domain()}>"


def parse_message_id(value: str) -> tuple[int, int] | None:
    """(issue id, subscriber id) from a `message_id`, or None for any other Message-ID."""
    match = _MESSAGE_ID.fullmatch(value.strip())
    return (int(match[1]), int(match[2])) if match else None


def list_headers(issue: Issue, subscriber: Subscriber, *, unsubscribe: str) -> dict[str, str]:
    """RFC 2369 and 8058: an https link a mailbox provider POSTs to for one-click unsubscribe,
    and a mailto for clients that only mail; RFC 2919: the list's stable identifier."""
    headers = {
        "List-Id": formataddr((issue.newsletter.name, f"{issue.newsletter.slug}.{mail_domain()}"))
    }
    if subscriber.pk is not None:
        mailto = settings.NEWSLETTER_UNSUBSCRIBE_MAILTO
        headers["List-Unsubscribe"] = f"<{unsubscribe}>, <mailto:{mailto}?subject=unsubscribe>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers


def personal_message(
    rendered: RenderedIssue, *, issue: Issue, subscriber: Subscriber, test: bool = False
) -> EmailMultiAlternatives:
    """The message for one reader: their links in place, the list headers set.

    Runs once per reader, so it is string replacement and a message object, nothing more.
    A test for an address with no subscriber row (an unsaved stand-in) gets the links that
    name nobody, and no unsubscribe headers: there is nothing to unsubscribe it from."""
    if subscriber.pk is None:
        body = without_personal_links(rendered)
        one_click = ""
    else:
        one_click = services.unsubscribe_url(subscriber)
        body = personalise(
            rendered,
            manage=services.manage_url(subscriber),
            unsubscribe=one_click,
            recipient=subscriber.email,
            name=subscriber.name,
        )
    headers = list_headers(issue, subscriber, unsubscribe=one_click)
    headers["Message-ID"] = (
        make_msgid(domain=mail_domain()) if test else message_id(issue, subscriber)
    )
    message = ListMessage(
        subject=f"[Test] {rendered.subject}" if test else rendered.subject,
        body=body.text,
        from_email=settings.NEWSLETTER_FROM_EMAIL,
        to=[subscriber.email],
        headers=headers,
    )
    message.attach_alternative(body.html, "text/html")
    return message


# The editor's letter, already sanitised by forum.core.html, dressed for mail clients: they
# drop <style>, so paragraphs and links carry their look inline, and site-relative links and
# pictures become absolute.
_RELATIVE = re.compile(r'\b(href|src)="/(?!/)')
_INTRO_STYLES = (
    ("<p>", '<p style="margin:0 0 16px;">'),
    ("<a ", '<a class="fg-link" style="color:#a4301c;text-decoration:underline;" '),
    ("<img ", '<img style="max-width:100%;height:auto;border:0;" '),
    (
        "<blockquote>",
        '<blockquote style="margin:0 0 16px;padding-left:16px;border-left:3px solid #dcd6ca;">',
    ),
)


def mail_intro_html(html: str) -> str:
    html = _RELATIVE.sub(lambda match: f'{match[1]}="{settings.SITE_URL}/', html)
    for plain, styled in _INTRO_STYLES:
        html = html.replace(plain, styled)
    return html


def preheader(html: str) -> str:
    """The line clients show after the subject in the inbox: the letter's opening words."""
    words = " ".join(visible_text(html).split())
    return textwrap.shorten(words, PREHEADER_LENGTH, placeholder=" …") if words else ""


class _PlainText(HTMLParser):
    """Our own sanitised HTML read back as paragraphs of text: link addresses kept after the
    words in <angle brackets> (RFC 3986's delimiters, which linkifiers respect), list items
    marked with a dash, emphasis and entities gone."""

    BLOCKS = frozenset(
        {"p", "div", "blockquote", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "dt", "dd",
         "table", "tr", "figure", "figcaption", "hr", "pre", "li"}
    )  # fmt: skip

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[tuple[str, str]] = []  # (kind, text)
        self.parts: list[str] = []
        self.kind = "p"
        self.links: list[tuple[str, int]] = []
        self.in_pre = False

    def flush(self):
        text = "".join(self.parts)
        if self.in_pre:
            text = text.strip("\n")
        else:
            text = "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()
        if text:
            self.paragraphs.append((self.kind, text))
        self.parts = []
        self.kind = "p"

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in self.BLOCKS:
            self.flush()
            self.kind = {"li": "li", "pre": "pre"}.get(tag, "p")
            self.in_pre = tag == "pre"
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "a":
            self.links.append((attributes.get("href") or "", len("".join(self.parts))))
        elif tag == "img" and attributes.get("alt"):
            self.parts.append(f"[{attributes['alt']}]")

    def handle_endtag(self, tag):
        if tag == "a" and self.links:
            href, start = self.links.pop()
            shown = "".join(self.parts)[start:].strip()
            if href.startswith("mailto:"):
                href = href.removeprefix("mailto:")
            elif href:
                href = absolute(href)
            if href and href != shown:
                self.parts.append(f" <{href}>")
        elif tag in self.BLOCKS:
            self.flush()
            self.in_pre = False

    def handle_data(self, data):
        self.parts.append(data)


def plain_text(html: str, *, width: int = TEXT_WIDTH) -> str:
    """`html` (sanitised, from forum.core.html) as plain text wrapped at `width` columns;
    addresses are never broken, so a line with one may run longer."""
    reader = _PlainText()
    reader.feed(html)
    reader.close()
    reader.flush()
    blocks = []
    for kind, text in reader.paragraphs:
        if kind == "pre":
            blocks.append((kind, text))
            continue
        first, rest = ("- ", "  ") if kind == "li" else ("", "")
        lines = []
        for number, line in enumerate(text.split("\n")):
            lines.append(
                textwrap.fill(
                    line,
                    width,
                    initial_indent=first if number == 0 else rest,
                    subsequent_indent=rest,
                    break_long_words=False,
                    break_on_hyphens=False,
                )
            )
        blocks.append((kind, "\n".join(lines)))
    out = ""
    for index, (kind, text) in enumerate(blocks):
        if index:
            out += "\n" if kind == "li" and blocks[index - 1][0] == "li" else "\n\n"
        out += text
    return out


@dataclass(frozen=True)
class WireIssue:
    """An issue's message as the bytes an SMTP server is sent, but for each reader's parts.

    Python's email package takes about 5 ms to write one message (it re-reads every header and
    re-encodes both bodies): 200 readers a second at best. The parts every reader shares are
    written once here, through the same email policy, and `wire_message` adds one reader's
    headers and their two bodies, base64-encoded in C: a small fraction of a millisecond."""

    rendered: RenderedIssue
    head: bytes  # From, Subject, Date, List-Id, MIME-Version, Content-Type: the shared headers
    boundary: str
    manage_url: str  # with _TOKEN_SLOT where the reader's token goes
    unsubscribe_url: str


_SMTP = email.policy.SMTP.clone(header_factory=LIST_HEADERS)
_TOKEN_SLOT = "__reader-token__"  # noqa: S105 (where each reader's token goes in the links)
# An address the reader's To: header can carry as it is (EmailField allows more).
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+")


def _header(name: str, value: str) -> bytes:
    return _SMTP.header_factory(name, value).fold(policy=_SMTP).encode("ascii")


def wire_issue(rendered: RenderedIssue, *, issue: Issue) -> WireIssue:
    boundary = f"=_issue-{issue.pk}-{secrets.token_hex(8)}"
    list_id = list_headers(issue, Subscriber(), unsubscribe="")["List-Id"]
    head = b"".join(
        [
            _header("From", settings.NEWSLETTER_FROM_EMAIL),
            _header("Subject", rendered.subject),
            _header("Date", formatdate(localtime=True)),
            _header("List-Id", list_id),
            b"MIME-Version: 1.0\r\n",
            f'Content-Type: multipart/alternative; boundary="{boundary}"\r\n'.encode(),
        ]
    )
    return WireIssue(
        rendered=rendered,
        head=head,
        boundary=boundary,
        manage_url=settings.SITE_URL + reverse("newsletter:manage", args=[_TOKEN_SLOT]),
        unsubscribe_url=settings.SITE_URL + reverse("newsletter:unsubscribe", args=[_TOKEN_SLOT]),
    )


def _base64_part(content_type: str, body: str) -> bytes:
    encoded = base64.encodebytes(body.encode("utf-8")).replace(b"\n", b"\r\n")
    return (
        f'Content-Type: {content_type}; charset="utf-8"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n"
    ).encode() + encoded


def wire_message(wire: WireIssue, *, issue: Issue, subscriber: Subscriber) -> bytes | None:
    """One reader's message as bytes, with the same headers and bodies `personal_message`
    gives; None for an address the email package must encode (beyond ASCII, or odd)."""
    address = subscriber.email
    if subscriber.pk is None or not _PLAIN_ADDRESS.fullmatch(address):
        return None
    token = tokens.make_token(subscriber, tokens.MANAGE)
    one_click = wire.unsubscribe_url.replace(_TOKEN_SLOT, token)
    body = personalise(
        wire.rendered,
        manage=wire.manage_url.replace(_TOKEN_SLOT, token),
        unsubscribe=one_click,
        recipient=address,
        name=subscriber.name,
    )
    # The reader's headers, plain ASCII, folded as the email policy folds them.
    mailto = settings.NEWSLETTER_UNSUBSCRIBE_MAILTO
    reader = (
        f"To: {address}\r\n"
        f"Message-ID: {message_id(issue, subscriber)}\r\n"
        f"List-Unsubscribe: <{one_click}>,\r\n <mailto:{mailto}?subject=unsubscribe>\r\n"
        "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n\r\n"
    )
    delimiter = f"--{wire.boundary}\r\n".encode()
    return b"".join(
        [
            wire.head,
            reader.encode("ascii"),
            delimiter,
            _base64_part("text/plain", body.text),
            delimiter,
            _base64_part("text/html", body.html),
            f"--{wire.boundary}--\r\n".encode(),
        ]
    )
