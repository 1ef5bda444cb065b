"""Refuse to start with a donations provider that cannot take real money by mistake.

A deployment check: `check --deploy` names the problem and the servers refuse to start with it
(forum/core/checks.py), while commands that serve nothing (makemigrations, a shell) still run.

The dev provider confirms any "payment" its own page is asked for, so a public site running it
with DEBUG off would thank readers for money that never came: an error, unless
DONATIONS_ALLOW_DEV_PROVIDER says so (`make serve` on one's own machine). Stripe without its
keys would fail at the first donation, so that is an error too.
"""

from django.conf import settings
from django.core import checks

from .providers import PROVIDERS


@checks.register("donations", deploy=True)
def check_donations_provider(app_configs, **kwargs):
    provider = settings.DONATIONS_PROVIDER
    if provider not in PROVIDERS:
        return [
            checks.Error(
                f"DONATIONS_PROVIDER is {provider!r}.",
                hint=f"Choose one of: {', '.join(sorted(PROVIDERS))}.",
                id="donations.E001",
            )
        ]
    errors = []
    if provider == "dev" and not settings.DEBUG and not settings.DONATIONS_ALLOW_DEV_PROVIDER:
        errors.append(
            checks.Error(
                "DONATIONS_PROVIDER is 'dev' with DEBUG off: its checkout confirms payments "
                "that no money backs.",
                hint="Set DONATIONS_PROVIDER=stripe with STRIPE_SECRET_KEY and "
                "STRIPE_WEBHOOK_SECRET, or DONATIONS_ALLOW_DEV_PROVIDER=1 on a machine of "
                "your own.",
                id="donations.E002",
            )
        )
    if provider == "stripe":
        missing = [
            name
            for name in ("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET")
            if not getattr(settings, name)
        ]
        if missing:
            errors.append(
                checks.Error(
                    f"DONATIONS_PROVIDER is 'stripe' but {' and '.join(missing)} "
                    f"{'is' if len(missing) == 1 else 'are'} empty.",
                    hint="Take them from Stripe's dashboard (Developers › API keys, Webhooks).",
                    id="donations.E003",
                )
            )
    unknown = [code for code in settings.DONATIONS_CURRENCIES if code not in ("GBP", "EUR", "USD")]
    if unknown or not settings.DONATIONS_CURRENCIES:
        errors.append(
            checks.Error(
                f"DONATIONS_CURRENCIES is {settings.DONATIONS_CURRENCIES!r}.",
                hint="List one or more of GBP, EUR, USD, the default first.",
                id="donations.E004",
            )
        )
    if not 0 < settings.DONATIONS_MIN_AMOUNT <= settings.DONATIONS_MAX_AMOUNT:
        errors.append(
            checks.Error(
                "DONATIONS_MIN_AMOUNT must be above 0 and at most DONATIONS_MAX_AMOUNT.",
                id="donations.E005",
            )
        )
    return errors
