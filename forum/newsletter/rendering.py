"""An issue as mail: rendered once per send, then made personal for each reader.

Rendering the templates for each of 50,000 readers would cost more than sending. The issue is
rendered once with markers where the reader's own links go (`RenderedIssue`), and
`personal_message` swaps the markers for that reader's signed links and adds the headers
(RFC 8058 one-click unsubscribe, List-Id, a Message-ID fixed per issue and reader).
"""

from dataclasses import dataclass
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from . import services
from .models import Issue, Subscriber

# Markers the templates print where each reader's links go: nothing a template escapes.
MANAGE_MARK = "%%MANAGE_URL%%"
UNSUBSCRIBE_MARK = "%%UNSUBSCRIBE_URL%%"


@dataclass(frozen=True)
class RenderedIssue:
    subject: str
    text: str
    html: str


def render_issue(issue: Issue) -> RenderedIssue:
    """The issue's subject, text and HTML, with markers for each reader's links."""
    articles = list(issue.articles.order_by("-published_at", "-pk").select_related("author"))
    context = {
        "issue": issue,
        "newsletter": issue.newsletter,
        "articles": articles,
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "web_url": settings.SITE_URL + issue.get_absolute_url(),
        "manage_url": MANAGE_MARK,
        "unsubscribe_url": UNSUBSCRIBE_MARK,
    }
    return RenderedIssue(
        subject=issue.subject,
        text=render_to_string("emails/newsletter_issue/body.txt", context),
        html=render_to_string("emails/newsletter_issue/body.html", context),
    )


def mail_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def message_id(issue: Issue, subscriber: Subscriber) -> str:
    """The same for every attempt to send one issue to one reader, so a receiving server or
    client that saw it once can tell a repeat."""
    return f"<issue-{issue.pk}.reader-{subscriber.pk}@{mail_domain()}>"


def personal_message(
    rendered: RenderedIssue, *, issue: Issue, subscriber: Subscriber, test: bool = False
) -> EmailMultiAlternatives:
    """The message for one reader: their links in place, the list headers set."""
    manage = services.manage_url(subscriber)
    one_click = services.unsubscribe_url(subscriber)

    def personal(body: str) -> str:
        return body.replace(MANAGE_MARK, manage).replace(UNSUBSCRIBE_MARK, one_click)

    mailto = settings.NEWSLETTER_UNSUBSCRIBE_MAILTO
    headers = {
        "List-Unsubscribe": f"<{one_click}>, <mailto:{mailto}?subject=unsubscribe>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"{issue.newsletter.name} <{issue.newsletter.slug}.{mail_domain()}>",
        "Message-ID": make_msgid(domain=mail_domain()) if test else message_id(issue, subscriber),
    }
    message = EmailMultiAlternatives(
        subject=f"[Test] {rendered.subject}" if test else rendered.subject,
        body=personal(rendered.text),
        to=[subscriber.email],
        headers=headers,
    )
    message.attach_alternative(personal(rendered.html), "text/html")
    return message
