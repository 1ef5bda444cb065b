"""The reading meter: after a number of articles in a calendar month (the site setting "free
articles a month", 0 by default, which turns it off), a reader who has not given sees a polite
invitation to support the magazine below the article. The article itself is never touched.

The count lives in the reader's browser, in one signed cookie (`fg_meter`): the month and the
ids of the distinct articles read in it, never more than the setting plus one. Nothing is
stored in the database and nothing is queried, except once a month for a signed-in member, to
ask whether they give every month, and only when the invitation would otherwise show.

How it reaches the article page: `{% reading_meter article %}` (templatetags/reading_meter.py)
decides and renders, and leaves the cookie to write on `request.reading_meter`; the article view,
wrapped in `counts_reading`, writes it on the response. Django's `{% csrf_token %}` and
CsrfViewMiddleware share the work the same way. A decorator on one view rather than a middleware:
no other page pays for the meter, and the article is only known where the page is rendered.
"""

from dataclasses import dataclass, field
from functools import wraps

from django.conf import settings
from django.core import signing
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from forum.site_settings.models import SiteSettings

from .models import Donation, month_start, next_month_start
from .views import SUPPORTER_COOKIE, SUPPORTER_SALT

COOKIE = "fg_meter"
SALT = "donations.meter"

# Crawlers index the article, not a reader's month: they get no invitation and no cookie. A
# User-Agent containing one of these (ignoring case) is a crawler. "bot" covers Googlebot,
# Bingbot, DuckDuckBot, Applebot, YandexBot and most others; the rest name themselves otherwise.
CRAWLER_WORDS = ("bot", "crawler", "spider", "slurp", "facebookexternalhit", "bingpreview")


def this_month() -> str:
    """The calendar month in the magazine's time zone, as the cookies hold it: "2026-11"."""
    return f"{month_start():%Y-%m}"


def is_crawler(request) -> bool:
    agent = request.headers.get("User-Agent", "").lower()
    return any(word in agent for word in CRAWLER_WORDS)


def gave_this_month(request) -> bool:
    """This browser completed a gift this month (the return page's signed `fg_supporter`)."""
    month = request.get_signed_cookie(SUPPORTER_COOKIE, default=None, salt=SUPPORTER_SALT)
    return month == this_month()


@dataclass
class Meter:
    """One browser's month, as its cookie holds it."""

    month: str
    articles: list[int] = field(default_factory=list)
    dismissed: bool = False
    # Whether a member gives every month, asked once: [user id, True or False].
    member_gives: list | None = None
    changed: bool = False
    # What the page shows: the invitation, and the free articles it says were read.
    invites: bool = False
    free: int = 0

    @classmethod
    def load(cls, request) -> "Meter":
        """The browser's meter for this month; a new one if the cookie is missing, from an
        earlier month, or not signed by us."""
        month = this_month()
        try:
            data = signing.loads(request.COOKIES.get(COOKIE, ""), salt=SALT)
        except signing.BadSignature:
            return cls(month=month)
        if not isinstance(data, dict) or data.get("m") != month:
            return cls(month=month)
        return cls(
            month=month,
            articles=[pk for pk in data.get("a", []) if isinstance(pk, int)],
            dismissed=data.get("d") is True,
            member_gives=data.get("g"),
        )

    def read(self, article_id: int, *, free: int) -> None:
        """Count an article, once however often it is opened; past `free` + 1 there is
        nothing more to learn, so the list stops growing there."""
        if article_id not in self.articles and len(self.articles) <= free:
            self.articles.append(article_id)
            self.changed = True

    def dismiss(self) -> None:
        self.changed = self.changed or not self.dismissed
        self.dismissed = True

    def gives_monthly(self, user) -> bool:
        """A member with an active monthly gift: asked of the database once a month per
        browser and member, then read from the cookie."""
        if not (self.member_gives and self.member_gives[0] == user.pk):
            gives = Donation.objects.manageable().filter(user=user).exists()
            self.member_gives = [user.pk, gives]
            self.changed = True
        return bool(self.member_gives[1])

    def write(self, response) -> None:
        """Put the meter on the response: the cookie if it changed, and headers that keep a
        shared cache from handing one reader's page (count, invitation) to another."""
        patch_vary_headers(response, ["Cookie"])
        patch_cache_control(response, private=True)
        if not self.changed:
            return
        data = {"m": self.month, "a": self.articles}
        if self.dismissed:
            data["d"] = True
        if self.member_gives:
            data["g"] = self.member_gives
        response.set_cookie(
            COOKIE,
            signing.dumps(data, salt=SALT, compress=True),
            expires=next_month_start(),
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )


def free_articles() -> int:
    """The setting; 0 means the meter is off. The article page has already read the settings
    for its comments, so this costs no query there."""
    return SiteSettings.current().free_articles_a_month


def exempt(request) -> bool:
    """Never metered: crawlers, staff, and browsers that gave this month."""
    return is_crawler(request) or request.user.is_staff or gave_this_month(request)


def count_reading(request, article) -> Meter | None:
    """Count `article` for this reader and decide whether the invitation shows below it; None
    when the meter is off or the reader is never metered. The meter is kept on the request for
    `counts_reading` to write."""
    free = free_articles()
    if not free or exempt(request):
        return None
    meter = Meter.load(request)
    if request.method == "GET":  # a HEAD is a link checker; a re-shown form is no new read
        meter.read(article.pk, free=free)
    meter.free = free
    meter.invites = len(meter.articles) > free and not meter.dismissed
    if meter.invites and request.user.is_authenticated:
        meter.invites = not meter.gives_monthly(request.user)
    request.reading_meter = meter
    return meter


def counts_reading(view):
    """Wraps the article view: writes the meter its template counted (see `count_reading`)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        meter = getattr(request, "reading_meter", None)
        if meter is not None and response.status_code == 200:
            meter.write(response)
        return response

    return wrapped


@require_POST
def dismiss(request):
    """ "Not now": no invitation for the rest of the month in this browser. A form POST, so it
    works without JavaScript (answered with a redirect back to the article); the page's script
    sends the same form with Accept: application/json and is answered 204."""
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "/"
    if request.accepts("text/html"):
        response = HttpResponseRedirect(back, status=303)
    else:
        response = HttpResponse(status=204)
    if free_articles() and not exempt(request):
        meter = Meter.load(request)
        meter.dismiss()
        meter.write(response)
    return response
