"""`check --deploy` warns about newsletter settings that fail quietly in production.

Neither stops the site: without a webhook secret the bounce endpoint answers 503 and bounced
addresses keep being mailed; with an http SITE_URL every link in the mail is plain http and
mailbox providers ignore the one-click unsubscribe (RFC 8058 wants https).
"""

from django.conf import settings
from django.core import checks


@checks.register("newsletter", deploy=True)
def check_newsletter_settings(app_configs, **kwargs):
    if settings.DEBUG:
        return []
    warnings = []
    if not settings.NEWSLETTER_WEBHOOK_SECRET:
        warnings.append(
            checks.Warning(
                "NEWSLETTER_WEBHOOK_SECRET is empty: bounces will not be recorded.",
                hint="Set it to a long random string and give the same to the mail provider's "
                "bounce notifications (POST /newsletter/bounces/).",
                id="newsletter.W001",
            )
        )
    if not settings.SITE_URL.startswith("https://"):
        warnings.append(
            checks.Warning(
                f"SITE_URL is {settings.SITE_URL!r}, not https: links in newsletter mail are "
                "plain http and one-click unsubscribe (RFC 8058) needs an https address.",
                hint="Set SITE_URL to the site's public https address.",
                id="newsletter.W002",
            )
        )
    return warnings
