"""Mail leaves the site only through the task here, so no request waits on an SMTP server."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.tasks import task
from django.template.loader import render_to_string


@task
def send_email_message(*, subject: str, body: str, from_email: str, to: list[str], html: str = ""):
    """Send one email; queued by whatever wants mail sent."""
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=from_email, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


def render_email(name: str, context: dict) -> tuple[str, str, str]:
    """The subject, plain text and HTML of `templates/emails/<name>/`."""
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{name}/subject.txt", context).split())
    text = render_to_string(f"emails/{name}/body.txt", context)
    html = render_to_string(f"emails/{name}/body.html", context)
    return subject, text, html


def send_email(name: str, *, to: list[str], context: dict) -> int:
    """Send `templates/emails/<name>/` to each address separately, over one connection."""
    subject, text, html = render_email(name, context)
    messages = []
    for address in to:
        message = EmailMultiAlternatives(subject, text, to=[address])
        message.attach_alternative(html, "text/html")
        messages.append(message)
    with mailers["default"] as connection:
        return connection.send_messages(messages) or 0
