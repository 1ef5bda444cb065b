from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property

from forum.core.words import word_list

# The settings read during the current request, so that a request reads the row once.
# None outside a request (tasks, commands): there every read goes to the database.
_this_request: ContextVar[dict | None] = ContextVar("site_settings_this_request", default=None)


@contextmanager
def read_once() -> Iterator[None]:
    """Within this block (a request: see middleware.py) `SiteSettings.current()` reads the
    row once; leaving the block forgets it, so the next request sees what was saved since."""
    token = _this_request.set({})
    try:
        yield
    finally:
        _this_request.reset(token)


WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def weekday_numbers(text: str) -> list[int]:
    """ "Mon Wed Fri" as [0, 2, 4]; words that are not day names are left out."""
    words = text.replace(",", " ").lower().split()
    return sorted({WEEKDAYS.index(word[:3]) for word in words if word[:3] in WEEKDAYS})


def validate_weekdays(text: str) -> None:
    words = text.replace(",", " ").lower().split()
    unknown = [word for word in words if word[:3] not in WEEKDAYS]
    if unknown or not words:
        raise ValidationError(
            "Name the days as Mon Tue Wed Thu Fri Sat Sun, separated by spaces.",
            code="weekdays",
        )


def preset_amounts(text: str) -> list[int]:
    """ "3 5 10 25" as [3, 5, 10, 25]: whole units, positive, sorted, each once."""
    words = text.replace(",", " ").split()
    return sorted({int(word) for word in words if word.isdigit() and int(word) > 0})


def validate_amounts(text: str) -> None:
    words = text.replace(",", " ").split()
    if not words or any(not word.isdigit() or int(word) == 0 for word in words):
        raise ValidationError(
            "Give whole amounts above 0, separated by spaces, such as 3 5 10 25.", code="amounts"
        )


class ModerationMode(models.TextChoices):
    HOLD_ALL = "hold_all", "Hold every comment for a moderator"
    HOLD_NEW = "hold_new", "Hold commenters without approved comments"
    PUBLISH_ALL = "publish_all", "Publish every comment that passes the rules"


class ModeratorEmail(models.TextChoices):
    IMMEDIATE = "immediate", "At once, one email per held comment"
    HOURLY = "hourly", "An hourly digest"
    OFF = "off", "Never"


class SiteSettings(models.Model):
    """The editorial settings of the whole site: one row, edited in the admin.

    Code reads them through `SiteSettings.current()`: one primary-key query per request (and
    per call outside a request), and no cache, so a saved change reaches every process at once.
    """

    comment_depth = models.PositiveSmallIntegerField(
        "reply depth limit",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="How deep replies may nest; 1 allows no replies. Comments at the limit "
        "offer no Reply link.",
    )
    comment_max_length = models.PositiveIntegerField(
        "longest comment",
        default=5000,
        validators=[MinValueValidator(100), MaxValueValidator(50000)],
        help_text="In characters.",
    )
    edit_window_minutes = models.PositiveSmallIntegerField(
        "edit window",
        default=10,
        validators=[MaxValueValidator(1440)],
        help_text="Minutes after posting during which commenters may edit their comment. "
        "0 turns editing off.",
    )
    close_comments_after_days = models.PositiveSmallIntegerField(
        "close comments after",
        null=True,
        blank=True,
        help_text="Days after an article is published when its comments close by themselves. "
        "Leave empty to keep them open.",
    )
    moderation_mode = models.CharField(
        max_length=12, choices=ModerationMode, default=ModerationMode.HOLD_NEW
    )
    trusted_after = models.PositiveSmallIntegerField(
        "approved comments before trust",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="How many approved comments a commenter needs before their comments are "
        "published without waiting (when holding commenters without approved comments).",
    )
    link_limit = models.PositiveSmallIntegerField(
        "hold at this many links",
        default=2,
        help_text="A comment with this many links or more waits for a moderator. 0 turns the "
        "rule off.",
    )
    blocked_words = models.TextField(
        blank=True,
        help_text="One word or phrase per line. A comment that uses one (in its text, name, "
        "email or website) is marked as spam. Matching ignores case and accents, and reads "
        "look-alike letters from other alphabets as the letters they imitate.",
    )
    watched_words = models.TextField(
        blank=True,
        help_text="One word or phrase per line, matched as blocked words are. A comment that "
        "uses one waits for a moderator.",
    )
    flood_seconds = models.PositiveSmallIntegerField(
        "seconds between comments",
        default=15,
        validators=[MaxValueValidator(3600)],
        help_text="The shortest time between two comments of one commenter. 0 turns the limit off.",
    )
    rate_limit = models.PositiveSmallIntegerField(
        "comments a minute",
        default=5,
        help_text="The most comments one network address, or one account, may post in a "
        "minute. 0 turns the limit off.",
    )
    min_seconds_to_post = models.PositiveSmallIntegerField(
        "seconds before a form may be sent",
        default=3,
        validators=[MaxValueValidator(60)],
        help_text="Robots post a form the moment they load it; people take longer. A comment "
        "sent sooner after the page was opened is refused with a request to post again. "
        "0 turns the check off.",
    )
    report_threshold = models.PositiveSmallIntegerField(
        "reports that hide a comment",
        default=3,
        validators=[MinValueValidator(1)],
        help_text="At this many reader reports a published comment is hidden until a "
        "moderator looks at it.",
    )
    moderator_email = models.CharField(
        "email moderators about held comments",
        max_length=10,
        choices=ModeratorEmail,
        default=ModeratorEmail.IMMEDIATE,
    )
    newsletter_days = models.CharField(
        "newsletter days",
        max_length=40,
        default="Mon Wed Fri",
        validators=[validate_weekdays],
        help_text="The days a new issue is scheduled for by default, as three-letter names "
        "(Mon Tue Wed Thu Fri Sat Sun).",
    )
    newsletter_time = models.TimeField(
        "newsletter time",
        default=time(7, 0),
        help_text="The time of day, in the magazine's time zone, a new issue is scheduled for.",
    )
    support_text = models.TextField(
        "why support matters",
        blank=True,
        default=(
            "Frame & Grain is written, edited and photographed by volunteers. There are no "
            "ads, no paywall and no trackers: readers' gifts pay for the servers, the "
            "occasional roll of film and the postage on cameras we lend to new writers."
        ),
        help_text="The opening of the Support page, in Markdown.",
    )
    donation_amounts = models.CharField(
        "preset amounts",
        max_length=60,
        default="3 5 10 25",
        validators=[validate_amounts],
        help_text="The amounts offered as buttons on the Support page, in whole pounds (or "
        "euros, dollars), separated by spaces. Readers can always type another amount.",
    )
    donation_goal = models.PositiveIntegerField(
        "monthly goal",
        default=0,
        help_text="What the magazine needs a month, in whole units of the first currency. "
        "The Support page shows this month's gifts against it. 0 hides the bar.",
    )
    free_articles_a_month = models.PositiveSmallIntegerField(
        "free articles a month",
        default=0,
        validators=[MaxValueValidator(100)],
        help_text="The reading meter: after this many articles in a month, readers who have "
        "not given see a polite invitation to support the magazine below the article. "
        "Articles stay readable. 0 turns the meter off.",
    )

    class Meta:
        verbose_name = verbose_name_plural = "site settings"
        # Moderators tune the rules they enforce, and nothing else here.
        permissions = [("change_moderation_settings", "Can change the moderation settings")]

    def __str__(self):
        return "Site settings"

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
        _forget_for_this_request()

    def delete(self, *args, **kwargs):
        _forget_for_this_request()
        return super().delete(*args, **kwargs)

    @classmethod
    def current(cls) -> "SiteSettings":
        """The settings row (made with the defaults if missing), read once per request."""
        remembered = _this_request.get()
        if remembered is not None and "settings" in remembered:
            return remembered["settings"]
        settings, _ = cls.objects.get_or_create(pk=1)
        if remembered is not None:
            remembered["settings"] = settings
        return settings

    @cached_property
    def blocked_terms(self) -> list[str]:
        return word_list(self.blocked_words)

    @cached_property
    def watched_terms(self) -> list[str]:
        return word_list(self.watched_words)

    @property
    def donation_presets(self) -> list[int]:
        return preset_amounts(self.donation_amounts)

    @property
    def edit_window(self) -> timedelta:
        return timedelta(minutes=self.edit_window_minutes)

    def next_newsletter_slot(self, after: datetime | None = None) -> datetime:
        """The first scheduled sending time (newsletter days at newsletter time, local time)
        later than `after` (now by default)."""
        after = timezone.localtime(after or timezone.now())
        days = set(weekday_numbers(self.newsletter_days)) or set(range(7))
        for ahead in range(8):
            day = after.date() + timedelta(days=ahead)
            if day.weekday() not in days:
                continue
            slot = timezone.make_aware(datetime.combine(day, self.newsletter_time))
            if slot > after:
                return slot
        raise AssertionError("a week always holds a newsletter day")


def _forget_for_this_request() -> None:
    if (remembered := _this_request.get()) is not None:
        remembered.pop("settings", None)
