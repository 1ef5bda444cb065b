"""Mail leaves the site only through the task here, so no request waits on an SMTP server.

Whatever sends mail renders it first (`send_email` for our template triples, the allauth adapter
for allauth's) and queues `send_email_message` with plain strings, which a worker sends. A send
that fails is logged and, where the task backend can wait, tried again later (`RETRY_AFTER`).
"""

import email.policy
import logging
import re
import smtplib
from datetime import timedelta
from email import headerregistry

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.tasks import default_task_backend, task
from django.template.loader import render_to_string
from django.utils import timezone

logger = logging.getLogger(__name__)

# After the first failed send, the waits before each next try; then the mail is given up.
RETRY_AFTER = (timedelta(minutes=1), timedelta(minutes=10), timedelta(hours=1), timedelta(hours=6))


class UriListHeader(headerregistry.UnstructuredHeader):
    """A header of `<URI>, <URI>` (List-Unsubscribe) that mailbox providers read as it is.

    Python folds a long unstructured header by turning it into RFC 2047 encoded words, which
    no provider decodes in List-Unsubscribe: Gmail would show no unsubscribe button. Each URI
    is kept whole instead, one to a line when the line is long (RFC 5322 allows 998)."""

    def fold(self, *, policy):
        value = str(self)
        if len(self.name) + 2 + len(value) > (policy.max_line_length or 998):
            value = f",{policy.linesep} ".join(re.split(r"(?<=>)\s*,\s*", value))
        return f"{self.name}: {value}{policy.linesep}"


LIST_HEADERS = headerregistry.HeaderRegistry()
LIST_HEADERS.map_to_type("list-unsubscribe", UriListHeader)


class ListMessage(EmailMultiAlternatives):
    """Django's message with List-Unsubscribe folded as mailbox providers need."""

    def message(self, *, policy=email.policy.default):
        return super().message(policy=policy.clone(header_factory=LIST_HEADERS))


def unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 2369 and 8058: the https link a mailbox provider POSTs to, to unsubscribe in one
    click."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def permanent(error: Exception) -> bool:
    """Whether the mail server refused for good (a 5xx reply): trying again cannot help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


@task
def send_email_message(
    *,
    subject: str,
    text: str,
    html: str = "",
    to: list[str],
    from_email: str = "",
    headers: dict[str, str] | None = None,
    attempt: int = 1,
) -> int:
    """Send a rendered email to each address on its own (nobody sees the others), over one
    connection. Returns how many messages went out.

    An address the server refuses for good (5xx) is logged and dropped. The addresses whose
    send failed otherwise (the server down, a 4xx) are logged and queued again, alone, after
    the next wait of `RETRY_AFTER` when the backend can defer, so nobody who got the mail gets
    it twice; after the last wait, or where the backend cannot defer, the task fails (the
    worker records it with its traceback)."""
    waiting = list(to)
    sent = 0
    error = None
    try:
        with mailers["default"] as connection:
            for address in to:
                message = ListMessage(
                    subject, text, from_email or None, to=[address], headers=headers
                )
                if html:
                    message.attach_alternative(html, "text/html")
                try:
                    sent += connection.send_messages([message]) or 0
                except Exception as refused:
                    if not permanent(refused):
                        error = refused
                        continue
                    logger.error("%s refused %r for good: %s", address, subject, refused)
                waiting.remove(address)
    except Exception as broken:  # opening or closing the connection
        error = broken
    if not waiting:
        return sent
    retry = attempt <= len(RETRY_AFTER) and default_task_backend.supports_defer
    logger.warning(
        "Sending %r to %d address(es) failed (attempt %d): %s; %s",
        subject,
        len(waiting),
        attempt,
        error,
        "trying again later" if retry else "giving up",
    )
    if not retry:
        raise error
    send_email_message.using(run_after=timezone.now() + RETRY_AFTER[attempt - 1]).enqueue(
        subject=subject,
        text=text,
        html=html,
        to=waiting,
        from_email=from_email,
        headers=headers,
        attempt=attempt + 1,
    )
    return sent


def render_email(name: str, context: dict) -> tuple[str, str, str]:
    """The subject, plain text and HTML of `templates/emails/<name>/`."""
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{name}/subject.txt", context).split())
    text = render_to_string(f"emails/{name}/body.txt", context)
    html = render_to_string(f"emails/{name}/body.html", context)
    return subject, text, html


def send_email(
    name: str,
    *,
    to: list[str],
    context: dict,
    headers: dict[str, str] | None = None,
    from_a_task: bool = False,
) -> None:
    """Render `templates/emails/<name>/` now and queue it for each address in `to`; or, for a
    task that is already in a worker and must know the mail went out, send it now."""
    if not to:
        return
    subject, text, html = render_email(name, context)
    send = send_email_message.call if from_a_task else send_email_message.enqueue
    extra = {"headers": headers} if headers else {}
    send(subject=subject, text=text, html=html, to=list(to), **extra)
