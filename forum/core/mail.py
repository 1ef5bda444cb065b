"""Mail leaves the site only through the task here, so no request waits on an SMTP server."""

from django.core.mail import EmailMultiAlternatives
from django.tasks import task


@task
def send_email_message(*, subject: str, body: str, from_email: str, to: list[str], html: str = ""):
    """Send one email; queued by whatever wants mail sent."""
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=from_email, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
