"""Forms of the newsletter's admin pages: a subscriber's newsletters, scheduling an issue and
importing a list of addresses."""

from django import forms
from django.conf import settings
from django.utils import timezone

from . import csv_io
from .models import Newsletter, Subscriber, Subscription

PENDING, CONFIRMED = "pending", "confirmed"


class SubscriberForm(forms.ModelForm):
    newsletters = forms.ModelMultipleChoiceField(
        Newsletter.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Confirmed newsletters",
        help_text="Ticking a newsletter confirms it at once, recorded as your change: only do "
        "so when the reader asked you. Unticking one unsubscribes. A subscription waiting for "
        "its reader's confirmation stays waiting unless you tick it.",
    )

    class Meta:
        model = Subscriber
        fields = ("email", "name", "user")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["newsletters"].initial = list(
                Newsletter.objects.filter(
                    subscriptions__subscriber=self.instance,
                    subscriptions__status=Subscription.Status.CONFIRMED,
                )
            )


class ScheduleForm(forms.Form):
    send_at = forms.DateTimeField(
        label="Send at",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=f"In the site's time zone ({settings.TIME_ZONE}). Suggested: the next "
        "newsletter day and time in the site settings.",
    )

    def clean_send_at(self):
        send_at = self.cleaned_data["send_at"]
        if send_at <= timezone.now():
            raise forms.ValidationError("Choose a moment in the future, or use “Send now”.")
        return send_at


class CsvImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text=f"UTF-8, one address a line: a column “email” and optionally “name”; a "
        f"header row is recognised. At most {csv_io.MAX_ROWS:,} rows and "
        f"{csv_io.MAX_BYTES // 1_000_000} MB.",
    )
    consent = forms.CharField(
        label="Consent source",
        max_length=200,
        help_text="Where these readers asked for the newsletter, e.g. “Paper sign-up sheet at "
        "the 2026 darkroom fair”. Kept with each reader's record.",
    )
    newsletter = forms.ModelChoiceField(Newsletter.objects.all(), empty_label=None)
    status = forms.ChoiceField(
        label="These readers are",
        widget=forms.RadioSelect,
        initial=PENDING,
        choices=[
            (PENDING, "Waiting for confirmation: each is mailed a confirmation link"),
            (CONFIRMED, "Confirmed: I vouch that each of them asked for it"),
        ],
    )

    def __init__(self, *args, may_confirm: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["newsletter"].initial = Newsletter.default()
        if not may_confirm:
            self.fields["status"].choices = self.fields["status"].choices[:1]
            self.fields[
                "status"
            ].help_text = "Only staff who may change subscriptions can import confirmed readers."

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > csv_io.MAX_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {csv_io.MAX_BYTES // 1_000_000} MB: split it."
            )
        try:
            self.cleaned_data["rows"] = csv_io.read_rows(upload.read())
        except csv_io.BadFile as error:
            raise forms.ValidationError(error.problems) from None
        return upload

    def clean(self):
        cleaned = super().clean()
        cleaned["confirmed"] = cleaned.get("status") == CONFIRMED
        return cleaned
