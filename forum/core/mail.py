"""Mail leaves the site only through the task here, so no request waits on an SMTP server.

Whatever sends mail renders it first (`send_email` for our template triples, the allauth adapter
for allauth's) and queues `send_email_message` with plain strings, which a worker sends.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.tasks import task
from django.template.loader import render_to_string


@task
def send_email_message(
    *, subject: str, text: str, html: str = "", to: list[str], from_email: str = ""
) -> int:
    """Send a rendered email to each address on its own (nobody sees the others), over one
    connection. Returns how many messages went out."""
    messages = []
    for address in to:
        message = EmailMultiAlternatives(subject, text, from_email or None, to=[address])
        if html:
            message.attach_alternative(html, "text/html")
        messages.append(message)
    with mailers["default"] as connection:
        return connection.send_messages(messages) or 0


def render_email(name: str, context: dict) -> tuple[str, str, str]:
    """The subject, plain text and HTML of `templates/emails/<name>/`."""
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{name}/subject.txt", context).split())
    text = render_to_string(f"emails/{name}/body.txt", context)
    html = render_to_string(f"emails/{name}/body.html", context)
    return subject, text, html


def send_email(name: str, *, to: list[str], context: dict, from_a_task: bool = False) -> None:
    """Render `templates/emails/<name>/` now and queue it for each address in `to`; or, for a
    task that is already in a worker and must know the mail went out, send it now."""
    if not to:
        return
    subject, text, html = render_email(name, context)
    send = send_email_message.call if from_a_task else send_email_message.enqueue
    send(subject=subject, text=text, html=html, to=list(to))
