"""The reader's forms on `/support/`: the gift itself, and "Email me my link".

Amounts are typed in major units (pounds: 7.50) and leave the form in minor units (750), the
only unit the rest of the app knows. A preset is a whole amount from the site settings; "Other
amount", when filled, wins over a preset, because typing is the more deliberate of the two and,
with JavaScript off, a preset chosen before typing stays chosen.
"""

from decimal import Decimal

from django import forms
from django.conf import settings

from .models import SYMBOLS, Currency, Donation, format_amount

# The robot trap's field, as on the newsletter's forms: people never see it, robots fill it in.
HONEYPOT = "homepage"
HONEYPOT_ERROR = (
    "This form could not be sent. If you filled in the field labelled “Leave this field "
    "empty”, please clear it and press Donate again."
)
AMOUNT_ERRORS = {
    "required": "Please choose an amount, or type another one.",
    "invalid": "Please type the amount in figures, such as 7.50.",
    "invalid_choice": "Please choose one of the amounts shown, or type another one.",
    "max_decimal_places": "Please give the amount to the penny at most, such as 7.50.",
}


def currencies() -> list[str]:
    """The currencies offered, the first being the default and the goal's."""
    return settings.DONATIONS_CURRENCIES or [Currency.GBP]


def email_field(**kwargs) -> forms.EmailField:
    return forms.EmailField(
        label="Email",
        max_length=254,
        error_messages={
            "required": "Please give your email address: the receipt goes to it.",
            "invalid": "That doesn’t look like an email address. Please check it.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        **kwargs,
    )


def to_minor(amount: Decimal) -> int:
    return int(amount * 100)


class DonationForm(forms.Form):
    """The gift: a preset or another amount, one-off or monthly, who gives, and whether to be
    thanked publicly. `presets` are whole units from the site settings."""

    preset = forms.TypedChoiceField(
        label="Amount",
        coerce=int,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "amount-choice__input"}),
        error_messages={"invalid_choice": AMOUNT_ERRORS["invalid_choice"]},
    )
    other = forms.DecimalField(
        label="Other amount",
        required=False,
        decimal_places=2,
        error_messages=AMOUNT_ERRORS,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
    )
    kind = forms.ChoiceField(
        label="How often",
        choices=Donation.Kind,
        initial=Donation.Kind.ONE_OFF,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Please choose one-off or monthly.",
            "invalid_choice": "Please choose one-off or monthly.",
        },
    )
    currency = forms.ChoiceField(
        label="Currency",
        choices=(),
        error_messages={"invalid_choice": "Please choose one of the currencies shown."},
    )
    name = forms.CharField(
        label="Name",
        max_length=100,
        error_messages={"required": "Please give your name: the receipt is made out to it."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = email_field()
    message = forms.CharField(
        label="Message (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A word for the editors, up to 500 characters.",
    )
    public = forms.BooleanField(
        label="Thank me publicly on the supporters page",
        required=False,
        help_text="Your name appears there; your message too, once an editor has read it. "
        "The amount and your email address never do.",
    )

    def __init__(self, *args, presets: list[int], **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        offered = currencies()
        if len(offered) > 1:
            self.fields["currency"].choices = [(code, Currency(code).label) for code in offered]
            self.fields["currency"].initial = offered[0]
        else:
            del self.fields["currency"]
        symbol = SYMBOLS.get(self.chosen_currency(), "")
        self.fields["preset"].choices = [(str(p), f"{symbol}{p:,}") for p in presets]
        self.fields["other"].label = f"Other amount ({symbol})" if symbol else "Other amount"

    def chosen_currency(self) -> str:
        """The currency the amounts are in: the one sent if it is offered, else the default."""
        offered = currencies()
        sent = self.data.get(self.add_prefix("currency")) if self.is_bound else None
        sent = sent or self.initial.get("currency")
        return sent if sent in offered else offered[0]

    @property
    def symbols(self) -> str:
        """ "GBP:£ EUR:€": what the page's script needs to relabel the presets when the
        currency changes."""
        return " ".join(f"{code}:{SYMBOLS.get(code, '')}" for code in currencies())

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean(self):
        cleaned = super().clean()
        if "preset" in self.errors or "other" in self.errors:
            return cleaned
        other, preset = cleaned.get("other"), cleaned.get("preset")
        if other is not None:
            amount, field = to_minor(other), "other"
        elif preset:
            amount, field = preset * 100, "preset"
        else:
            self.add_error("other", AMOUNT_ERRORS["required"])
            return cleaned
        currency = self.chosen_currency()
        if amount < settings.DONATIONS_MIN_AMOUNT:
            smallest = format_amount(settings.DONATIONS_MIN_AMOUNT, currency)
            self.add_error(field, f"The smallest gift we can take is {smallest}.")
        elif amount > settings.DONATIONS_MAX_AMOUNT:
            largest = format_amount(settings.DONATIONS_MAX_AMOUNT, currency)
            self.add_error(field, f"The largest gift we can take online is {largest}.")
        else:
            cleaned["amount"] = amount
            cleaned["currency"] = currency
        return cleaned

    @property
    def amount_errors(self):
        """The amount's errors, shown once beside the amount whichever input they came from."""
        return self.errors.get("preset") or self.errors.get("other")


def initial_from(donation: Donation, *, presets: list[int]) -> dict:
    """The form filled in as `donation` was: a reader back from a checkout they left."""
    whole, pence = divmod(donation.amount, 100)
    amount = (
        {"preset": str(whole)}
        if not pence and whole in presets
        else {"other": Decimal(donation.amount).scaleb(-2)}
    )
    return {
        **amount,
        "kind": donation.kind,
        "currency": donation.currency,
        "name": donation.name,
        "email": donation.email,
        "message": donation.message,
        "public": donation.public,
    }


class LinkRequestForm(forms.Form):
    """ "Email me my link": the manage link of a monthly gift, sent to its address."""

    email = email_field()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("prefix", "link")
        super().__init__(*args, **kwargs)
