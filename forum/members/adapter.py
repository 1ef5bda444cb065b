from allauth.account.adapter import DefaultAccountAdapter

from forum.core.mail import send_email_message


class AccountAdapter(DefaultAccountAdapter):
    """Sends allauth's mail (confirmation, password reset) from a task, not in the request."""

    def send_mail(self, template_prefix, email, context):
        message = self.render_mail(template_prefix, email, context)
        send_email_message.enqueue(
            subject=message.subject,
            text=message.body,
            html=next(
                (c for c, mime in getattr(message, "alternatives", []) if mime == "text/html"), ""
            ),
            to=list(message.to),
            from_email=message.from_email,
        )
