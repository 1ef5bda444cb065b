"""Network addresses are kept `settings.IP_RETENTION_DAYS` days (90 by default), then dropped.

Every stored address is listed here, with the date that says how old it is. Addresses help
against spam and abuse while a comment or a request is fresh; after the retention period they
only describe where a reader was. Clearing them (not deleting the rows) keeps the comment, the
consent record of a subscription and the gift. Bans by network range are not addresses of a
reader but a moderator's decision, and stay until the moderator lifts them.

The work goes in batches of `BATCH_SIZE` rows, each its own short transaction, so a first run on
years of comments never holds the database's write lock for long.
"""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from forum.comments.models import Comment, Report
from forum.donations.models import Donation, LinkRequest
from forum.newsletter.models import SignupAttempt, SubscriptionChange

from .models import LINK_LIFETIME, GuestLink

BATCH_SIZE = 500

# (model, its address field, the date that says how old the address is)
STORED_ADDRESSES = [
    (Comment, "ip", "created"),
    (Report, "ip", "created"),
    (SubscriptionChange, "network", "at"),
    (SignupAttempt, "network", "at"),
    (Donation, "network", "created_at"),
    (LinkRequest, "network", "at"),
    (GuestLink, "network", "at"),
]


def retention_cutoff(*, now=None):
    return (now or timezone.now()) - timedelta(days=settings.IP_RETENTION_DAYS)


def forget_old_ip_addresses(*, now=None, batch_size: int = BATCH_SIZE) -> dict[str, int]:
    """Clear every stored address older than the retention period, end the sign-in sessions
    not seen for that long (their records hold the address they were used from), and delete
    the privacy links that expired, and the database task queue's finished rows older than
    the period (their arguments hold the mail they sent). Returns how many rows changed, per kind."""
    now = now or timezone.now()
    cutoff = retention_cutoff(now=now)
    cleared = {}
    for model, address, dated in STORED_ADDRESSES:
        old = model.objects.filter(**{f"{address}__isnull": False, f"{dated}__lt": cutoff})
        cleared[model._meta.label] = _in_batches(old, batch_size, partial(_clear, field=address))
    cleared["sessions"] = _end_old_sessions(cutoff, batch_size)
    cleared["finished tasks"] = _forget_finished_tasks(cutoff, batch_size)
    expired = GuestLink.objects.filter(at__lt=now - LINK_LIFETIME)
    cleared["privacy links"] = _in_batches(expired, batch_size, lambda rows: rows.delete()[0])
    return cleared


def _clear(rows, *, field: str) -> int:
    return rows.update(**{field: None})


def _in_batches(queryset, batch_size: int, change) -> int:
    done = 0
    while True:
        with transaction.atomic():
            ids = list(queryset.order_by("pk").values_list("pk", flat=True)[:batch_size])
            if not ids:
                return done
            done += change(queryset.model.objects.filter(pk__in=ids))


def _end_old_sessions(cutoff, batch_size: int) -> int:
    """allauth's record of each session keeps its address, and cannot do without one: a
    session idle that long has long expired (two weeks), so it ends and its record goes."""
    from allauth.usersessions.models import UserSession

    ended = 0
    while True:
        old = list(UserSession.objects.filter(last_seen_at__lt=cutoff).order_by("pk")[:batch_size])
        if not old:
            return ended
        for session in old:
            session.end()
        ended += len(old)


def _forget_finished_tasks(cutoff, batch_size: int) -> int:
    """A finished task's row keeps its arguments, and a mail task's are the rendered mail:
    addresses, names, quoted comments. Successful and failed ones go after the period, by
    the package's own idea of finished (its prune command does this too, but only for the
    configured database backend and in whole days)."""
    if "django_tasks_db" not in settings.INSTALLED_APPS:
        return 0
    from django_tasks_db.models import DBTaskResult

    old = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff)
    return _in_batches(old, batch_size, lambda rows: rows.delete()[0])


@task
def forget_old_ip_addresses_task() -> dict[str, int]:
    """The daily run, for a worker (the command does the same for cron)."""
    return forget_old_ip_addresses()
