"""What the site holds about one person, as a download, and erasing it.

A person is a member's account (with every address the account has confirmed) or an email
address (a guest's comments, newsletter subscription, notification address and gifts under
it). The export and the erasure read the same list of records (`Person`), so nothing is exported that
the erasure would leave, or the other way round.

Decisions the erasure makes, each for a reason:
- Comments: anonymised (the text stays, signed "Former member" or "Former reader", with no
  name, email, website, network or browser) or removed (through the comments' own status
  change, so counts, caches and the audit log stay right); a removed comment with replies
  becomes the thread's placeholder, so the replies keep their place.
- Reports the person made stay as anonymous reports (reason kept, note dropped): they are
  part of a moderator's record about someone else's comment.
- An active ban stays, by email (a ban on the account is moved to its address): a moderator
  decided to keep that person out, and erasing must not lift it. Expired bans and trust go.
- Gifts: the money record stays (amount, dates, receipts, the provider's ids), because a
  charity must keep its accounts; the donor's name, address, message and network go. A monthly
  gift still running stops the erasure until it is cancelled, since its receipts and manage
  link need the address.
- The moderation and admin logs keep their rows; the person's names and addresses leave the
  rows about them (their comments, bans, trust, account, subscriptions, gifts) and no others.
- An account that made moderation or editing decisions is not deleted: the logs keep who
  decided, and an administrator decides what becomes of it.
"""

import json
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, TextField
from django.db.models.fields.files import FieldFile
from django.db.models.functions import Cast
from django.utils import timezone

from forum.comments.models import AuditEntry, Ban, Comment, Report, TrustedCommenter
from forum.comments.models import normalize_email as normalise_email
from forum.donations.models import Donation, LinkRequest, WebhookEvent
from forum.newsletter.models import SignupAttempt, Subscriber
from forum.notifications.models import Recipient

from .models import GuestLink, PrivacyRequest, address_hash

ANONYMISE = PrivacyRequest.Comments.ANONYMISE
REMOVE = PrivacyRequest.Comments.REMOVE
FORMER_MEMBER = "Former member"
FORMER_READER = "Former reader"
ERASED = "[erased]"
ERASED_DONOR = "Erased donor"
ERASED_COMMENT = "Erased comment"
# Ids in one statement at most (SQLite's limit was 999 values a statement).
BATCH = 500

__all__ = [
    "ANONYMISE",
    "REMOVE",
    "ErasureBlocked",
    "export_for_user",
    "export_for_email",
    "erase",
    "erase_user",
    "erase_email",
    "account_for_email",
]


class ErasureBlocked(Exception):
    """The erasure cannot go ahead yet; the message says why, for the person or staff."""


@dataclass
class Person:
    """Whose records: an account (or None) and the addresses it goes by."""

    user: object | None
    emails: list[str]
    names: set[str] = field(default_factory=set)

    @classmethod
    def for_user(cls, user) -> "Person":
        emails = set(verified_emails(user))
        names = {user.username, user.display_name, user.get_full_name(), user.public_name}
        return cls(user=user, emails=sorted(emails - {""}), names={n for n in names if n})

    @classmethod
    def for_email(cls, email: str, *, with_account: bool = False) -> "Person":
        email = normalise_email(email)
        user = account_for_email(email) if with_account else None
        if user is not None:
            person = cls.for_user(user)
            if email not in person.emails:
                person.emails.append(email)
            return person
        return cls(user=None, emails=[email])

    def comments(self):
        """Their comments: the account's, and those posted as a guest under their addresses
        (a member's addresses are verified, so those are theirs too)."""
        match = Q(user__isnull=True, email__in=self.emails)
        if self.user is not None:
            match |= Q(user=self.user)
        return Comment.objects.filter(match)

    def reports(self):
        # Guests' reports are stored by network only: nothing ties them to an address.
        if self.user is None:
            return Report.objects.none()
        return Report.objects.filter(user=self.user)

    def subscribers(self):
        match = Q(email__in=self.emails)
        if self.user is not None:
            match |= Q(user=self.user)
        return Subscriber.objects.filter(match)

    def recipients(self):
        match = Q(email__in=self.emails)
        if self.user is not None:
            match |= Q(user=self.user)
        return Recipient.objects.filter(match)

    def donations(self):
        match = Q(email__in=self.emails)
        if self.user is not None:
            match |= Q(user=self.user)
        return Donation.objects.filter(match)

    def bans(self):
        match = Q(email__in=self.emails)
        if self.user is not None:
            match |= Q(user=self.user)
        return Ban.objects.filter(match)

    def trust(self):
        match = Q(email__in=self.emails, user__isnull=True)
        if self.user is not None:
            match |= Q(user=self.user)
        return TrustedCommenter.objects.filter(match)


def verified_emails(user) -> list[str]:
    """The addresses the account has shown it owns. Anyone can type another reader's
    address into their account: until its owner confirms it, it opens nothing stored under
    it. The account's own field counts unless allauth holds it as unconfirmed (an account
    made before allauth, or by `createsuperuser`, has no address rows)."""
    from allauth.account.models import EmailAddress

    rows = EmailAddress.objects.filter(user=user).values_list("email", "verified")
    confirmed = {normalise_email(email) for email, verified in rows if verified}
    unconfirmed = {normalise_email(email) for email, verified in rows if not verified}
    own = normalise_email(user.email or "")
    if own and own not in unconfirmed:
        confirmed.add(own)
    return sorted(confirmed)


def account_for_email(email: str):
    """The member account that has confirmed this address (see `verified_emails`), if any."""
    from allauth.account.models import EmailAddress

    email = normalise_email(email)
    address = (
        EmailAddress.objects.filter(email__iexact=email, verified=True)
        .select_related("user")
        .first()
    )
    if address is not None:
        return address.user
    unconfirmed = EmailAddress.objects.filter(
        user=OuterRef("pk"), email__iexact=email, verified=False
    )
    return get_user_model().objects.filter(email__iexact=email).exclude(Exists(unconfirmed)).first()


def holds_anything(email: str) -> bool:
    """Whether anything at all is stored under the address (an account using it included)."""
    person = Person.for_email(email)
    return (
        account_for_email(email) is not None
        or person.comments().exists()
        or person.subscribers().exists()
        or person.recipients().exists()
        or person.donations().exists()
    )


# Export -------------------------------------------------------------------------------------


def export_for_user(user, *, by=None, via: str = PrivacyRequest.Via.MEMBER) -> dict:
    """Everything stored about a member, as a JSON-ready dict (their account's download)."""
    return _export(Person.for_user(user), by=by, via=via)


def export_for_email(
    email: str, *, with_account: bool = False, by=None, via: str = PrivacyRequest.Via.LINK
) -> dict:
    """Everything stored under an address: a guest's download, or (`with_account`, for
    staff) the account that goes by it too."""
    return _export(Person.for_email(email, with_account=with_account), by=by, via=via)


def _export(person: Person, *, by, via: str) -> dict:
    data = {
        "site": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "exported_at": _when(timezone.now()),
        "email_addresses": person.emails,
        "account": _account(person.user) if person.user is not None else None,
        "comments": [_comment(comment) for comment in person.comments().select_related("article")],
        "reports_made": [_report(report) for report in person.reports().select_related("comment")],
        "newsletter": [_subscriber(subscriber) for subscriber in person.subscribers()],
        "notifications": [_recipient(recipient) for recipient in person.recipients()],
        "donations": [_donation(donation) for donation in person.donations()],
        "moderation": {
            "bans": [_ban(ban) for ban in person.bans()],
            "trusted_commenter": person.trust().exists(),
        },
    }
    _log(person, action=PrivacyRequest.Action.EXPORT, by=by, via=via, counts=_counts(data))
    return data


def export_json(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


def _when(value) -> str | None:
    return value.isoformat() if value else None


# The account's fields that are about the site's machinery, not the person.
_ACCOUNT_SKIPPED = {"id", "password", "user_permissions", "groups"}


def _account(user) -> dict:
    """The account's own fields (whatever the profile holds), without the password hash."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.usersessions.models import UserSession

    account = {}
    for model_field in user._meta.concrete_fields:
        if model_field.name in _ACCOUNT_SKIPPED:
            continue
        value = getattr(user, model_field.attname)
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif isinstance(value, FieldFile):
            value = f"{settings.SITE_URL}{value.url}" if value else ""
        account[model_field.name] = value
    account["groups"] = sorted(user.groups.values_list("name", flat=True))
    account["email_addresses"] = [
        {"email": address.email, "verified": address.verified, "primary": address.primary}
        for address in EmailAddress.objects.filter(user=user)
    ]
    account["sessions"] = [
        {
            "started": _when(session.created_at),
            "last_seen": _when(session.last_seen_at),
            "network": session.ip,
            "browser": session.user_agent,
        }
        for session in UserSession.objects.filter(user=user)
    ]
    account["two_factor"] = [
        {"type": authenticator.type, "added": _when(authenticator.created_at)}
        for authenticator in Authenticator.objects.filter(user=user)
    ]
    if "allauth.socialaccount" in settings.INSTALLED_APPS:
        from allauth.socialaccount.models import SocialAccount

        account["signs_in_with"] = [
            {"provider": social.provider, "since": _when(social.date_joined)}
            for social in SocialAccount.objects.filter(user=user)
        ]
    return account


def _comment(comment: Comment) -> dict:
    return {
        "id": comment.pk,
        "article": comment.article.title,
        "url": settings.SITE_URL + comment.get_absolute_url(),
        "in_reply_to": comment.parent_id,
        "status": comment.get_status_display(),
        "deleted": _when(comment.deleted),
        "posted": _when(comment.created),
        "edited": _when(comment.edited),
        "name": comment.name,
        "email": comment.email,
        "website": comment.website,
        "text": comment.body,
        "network": comment.ip,
        "browser": comment.user_agent,
    }


def _report(report: Report) -> dict:
    # The comment is named by its link only: its text is someone else's.
    return {
        "comment": settings.SITE_URL + report.comment.get_absolute_url(),
        "reason": report.get_reason_display(),
        "note": report.note,
        "sent": _when(report.created),
    }


def _subscriber(subscriber: Subscriber) -> dict:
    return {
        "email": subscriber.email,
        "name": subscriber.name,
        "status": subscriber.get_status_display(),
        "since": _when(subscriber.created_at),
        "subscriptions": [
            {
                "newsletter": subscription.newsletter.name,
                "status": subscription.get_status_display(),
                "confirmed": _when(subscription.confirmed_at),
                "history": [
                    {
                        "at": _when(change.at),
                        "from": change.previous,
                        "to": change.status,
                        "how": change.get_source_display(),
                        "network": change.network,
                    }
                    for change in subscription.changes.all()
                ],
            }
            for subscription in subscriber.subscriptions.select_related("newsletter")
        ],
        "issues_sent": [
            {
                "issue": delivery.issue.subject,
                "status": delivery.get_status_display(),
                "sent": _when(delivery.sent_at),
            }
            for delivery in subscriber.deliveries.select_related("issue")
        ],
    }


def _recipient(recipient: Recipient) -> dict:
    from forum.notifications.models import Kind

    return {
        "address": recipient.email or "your account's address",
        "confirmed": _when(recipient.confirmed) if recipient.email else None,
        "wanted": {kind.label: recipient.wants(kind) for kind in Kind},
        "following": [
            {"article": follow.article.title, "since": _when(follow.created)}
            for follow in recipient.follows.select_related("article")
        ],
        "notifications_sent": recipient.notices.count(),
    }


def _donation(donation: Donation) -> dict:
    return {
        "kind": donation.get_kind_display(),
        "amount": donation.amount_display,
        "status": donation.get_status_display(),
        "started": _when(donation.created_at),
        "name": donation.name,
        "email": donation.email,
        "thanked_publicly": donation.public,
        "message": donation.message,
        "network": donation.network,
        "payments": [
            {
                "receipt": payment.receipt_number,
                "amount": payment.amount_display,
                "paid": _when(payment.paid_at),
                "refunded": _when(payment.refunded_at),
            }
            for payment in donation.payments.all()
        ],
    }


def _ban(ban: Ban) -> dict:
    return {
        "since": _when(ban.created),
        "ends": _when(ban.expires),
        "by": "account" if ban.user_id else "email address",
    }


def _counts(data: dict) -> dict:
    return {
        "account": int(data["account"] is not None),
        "comments": len(data["comments"]),
        "reports": len(data["reports_made"]),
        "newsletter": len(data["newsletter"]),
        "notifications": len(data["notifications"]),
        "donations": len(data["donations"]),
    }


# Erasure ------------------------------------------------------------------------------------


def erase_user(user, *, comments: str, by=None, via: str = PrivacyRequest.Via.MEMBER) -> dict:
    """Delete a member's account and everything stored about them (see the module's
    docstring for what stays, and why). Returns what was done, counted."""
    return erase(Person.for_user(user), comments=comments, by=by, via=via)


def erase_email(
    email: str,
    *,
    comments: str,
    with_account: bool = False,
    by=None,
    via: str = PrivacyRequest.Via.LINK,
) -> dict:
    """Erase everything stored under an address; with `with_account` (staff), the account
    that goes by it too."""
    return erase(
        Person.for_email(email, with_account=with_account), comments=comments, by=by, via=via
    )


def made_decisions(user) -> bool:
    """Whether the moderation log or the admin's history names the account as who decided.
    Deleting it would delete the admin's rows and leave the moderation log's without their
    author, so such an account stays (an administrator decides what happens to it)."""
    return (
        LogEntry.objects.filter(user=user).exists()
        or AuditEntry.objects.filter(actor=user).exists()
    )


def running_gifts(person: Person):
    return person.donations().manageable()


def erase(person: Person, *, comments: str, by=None, via: str) -> dict:
    """Erase `person`: one transaction, so a failure leaves everything as it was."""
    if comments not in (ANONYMISE, REMOVE):
        raise ValueError(f"comments must be {ANONYMISE!r} or {REMOVE!r}")
    if person.user is not None and (person.user.is_staff or person.user.is_superuser):
        # The admin's history of a staff member's work goes with their account.
        raise ErasureBlocked(
            "This is a staff account: the admin's record of its work would go with it. "
            "Ask an administrator to take away its staff status first."
        )
    if person.user is not None and made_decisions(person.user):
        raise ErasureBlocked(
            "This account made moderation or editing decisions that the magazine's records "
            "keep; ask an administrator."
        )
    if running_gifts(person).exists():
        raise ErasureBlocked(
            "A monthly gift to the magazine is still running from this address. Its receipts "
            "and its manage link need the address: cancel the gift first, then ask again."
        )
    counts = {}
    with transaction.atomic():
        if person.user is not None:
            _lock_account(person.user)
        # Everything below reads the person's rows afresh, under the lock.
        names = set(person.names)
        names |= set(person.comments().exclude(name="").values_list("name", flat=True))
        names |= set(person.donations().exclude(name="").values_list("name", flat=True))
        # The logs find the person's rows through their comments: before those change.
        counts["audit_entries"] = _scrub_audit_log(person, names)
        _scrub_admin_log(person, names, comments=comments)
        counts["queued_mail"] = _forget_task_results(person, names)
        if comments == ANONYMISE:
            counts["comments"] = _anonymise_comments(person)
        else:
            counts["comments"] = _remove_comments(person, by=by)
        counts["reports"] = person.reports().update(user=None, note="", ip=None)
        counts["bans_kept"] = _keep_active_bans(person, names)
        counts["trust"] = person.trust().delete()[0]
        counts["newsletter"] = person.subscribers().count()
        person.subscribers().delete()
        SignupAttempt.objects.filter(email__in=person.emails).delete()
        counts["notifications"] = person.recipients().count()
        person.recipients().delete()
        counts["donations"] = _anonymise_donations(person, names)
        LinkRequest.objects.filter(email__in=person.emails).delete()
        GuestLink.objects.filter(email__in=person.emails).delete()
        counts["account"] = _delete_account(person.user) if person.user is not None else 0
        for email in person.emails:
            _log_erasure(email, comments=comments, by=by, via=via, counts=counts)
    return counts


def _lock_account(user) -> None:
    """Hold the account's row until the erasure commits. On PostgreSQL a comment the member
    posts meanwhile then waits (its key to the account needs a share of the row) and fails
    once the account is gone, instead of slipping in after their comments were read and
    staying with their name. SQLite's transactions here take the write lock at the start."""
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))


def _anonymise_comments(person: Person) -> int:
    """Each comment keeps its text and place, signed with a name that says nobody. Each
    statement picks the rows by the person (no list of ids, which SQLite caps)."""
    theirs = person.comments()
    total = theirs.count()
    if not total:
        return 0
    # The threads show the new name: their cached HTML must move on.
    theirs.move_versions()
    theirs.filter(user__isnull=False).update(name=FORMER_MEMBER)
    theirs.filter(user__isnull=True).update(name=FORMER_READER)
    # Last: this takes away what `theirs` finds them by.
    theirs.update(user=None, email="", website="", ip=None, user_agent="", token=None, notify=False)
    return total


def _remove_comments(person: Person, *, by=None) -> int:
    """The comments' own status change first (counts, caches, audit rows), then each goes:
    deleted outright, or, where someone's reply hangs from it, left as the placeholder that
    keeps the replies in place, with nothing of its writer."""
    theirs = person.comments()
    total = theirs.count()
    if not total:
        return 0
    articles = _threads_by_article(theirs)
    # Logged as the staff member's decision when staff erase; else as the system's.
    theirs.set_status(Comment.Status.REMOVED, by=by, reason="erased at its writer's request")
    # Leaves first, again and again: a chain of the person's own replies goes whole. In
    # batches: Django's deletion puts every id in one statement for the audit rows it
    # empties.
    leaves = theirs.exclude(Exists(Comment.objects.filter(parent_id=OuterRef("pk"))))
    while batch := list(leaves.values_list("pk", flat=True)[:BATCH]):
        Comment.objects.filter(pk__in=batch).delete()
    theirs.update(
        body="",
        body_html="",
        fingerprint="",
        name="",
        email="",
        website="",
        ip=None,
        user_agent="",
        user=None,
        token=None,
        status_reasons=[],
        notify=False,
        deleted=timezone.now(),
    )
    for article_id, threads in sorted(articles.items()):
        # A deleted thread's first comment is no thread to move on: only those still there.
        threads = sorted(threads)
        for start in range(0, len(threads), BATCH):
            Comment.objects.refresh_article(article_id, threads=threads[start : start + BATCH])
    return total


def _threads_by_article(rows) -> dict[int, set[int]]:
    threads: dict[int, set[int]] = {}
    for article_id, thread_id in rows.values_list("article_id", "thread_id"):
        threads.setdefault(article_id, set()).add(thread_id)
    return threads


# A name shorter than this ("a", "Jo") is never looked for: it would match too much.
SHORTEST_NAME = 3


def _scrub(text: str, names: set[str], emails: list[str]) -> str:
    """`text` with the person's names and addresses, as whole words in any case, replaced
    by ERASED (a short name inside another word is left alone)."""
    words = {name for name in names if len(name) >= SHORTEST_NAME} | {e for e in emails if e}
    words = sorted(words, key=len, reverse=True)
    if not words:
        return text
    pattern = r"(?<!\w)(?:" + "|".join(re.escape(word) for word in words) + r")(?!\w)"
    return re.sub(pattern, ERASED, text, flags=re.IGNORECASE)


def _audit_entries(person: Person):
    """The moderation log's rows about the person, and no one else's: those of their
    comments, and the bans and trust staff made by hand (no comment), known by the target
    their reason begins with (`log_ban`, the admin's trust)."""
    targets = list(person.emails)
    if person.user is not None:
        targets += [f"the account {person.user}", str(person.user)]
    by_hand = Q()
    for target in targets:
        by_hand |= Q(action=AuditEntry.Action.BANNED, reason__istartswith=f"banned {target}")
        by_hand |= Q(action=AuditEntry.Action.TRUSTED, reason__istartswith=f"{target} trusted by")
    theirs = Q(comment__in=person.comments().values("pk"))
    if by_hand:
        theirs |= Q(comment=None) & by_hand
    return AuditEntry.objects.filter(theirs)


def _scrub_audit_log(person: Person, names: set[str]) -> int:
    """The moderation log keeps its decisions; the person's name and address leave the
    reasons of their rows (a ban's or a trust's reason names whom it was about)."""
    changed = []
    for entry in _audit_entries(person).only("pk", "reason").iterator(chunk_size=500):
        reason = _scrub(entry.reason, names, person.emails)
        if reason != entry.reason:
            entry.reason = reason
            changed.append(entry)
    AuditEntry.objects.bulk_update(changed, ["reason"], batch_size=500)
    return len(changed)


def _admin_log_entries(person: Person):
    """The admin's history of the person's own records (its rows name an object by type and
    id): their comments, account, subscriptions, gifts, bans and trust."""
    records = [person.comments(), person.subscribers(), person.donations(), person.bans()]
    records.append(person.trust())
    if person.user is not None:
        records.append(get_user_model().objects.filter(pk=person.user.pk))
    match = Q()
    for rows in records:
        match |= _about(rows)
    return LogEntry.objects.filter(match)


def _about(rows) -> Q:
    """The admin's history rows about these objects."""
    from django.contrib.contenttypes.models import ContentType

    ids = rows.annotate(object_key=Cast("pk", CharField())).values("object_key")
    return Q(content_type=ContentType.objects.get_for_model(rows.model), object_id__in=ids)


def _scrub_admin_log(person: Person, names: set[str], *, comments: str) -> None:
    """The admin's history names objects by their titles, which name commenters; a comment
    removed is titled by its opening words too, which go with it."""
    changed = []
    for entry in _admin_log_entries(person).iterator(chunk_size=500):
        entry.object_repr = _scrub(entry.object_repr, names, person.emails)
        entry.change_message = _scrub(entry.change_message, names, person.emails)
        changed.append(entry)
    LogEntry.objects.bulk_update(changed, ["object_repr", "change_message"], batch_size=500)
    if comments == REMOVE:
        # After the scrub, which would take "comment" out of the title of a guest so named.
        LogEntry.objects.filter(_about(person.comments())).update(object_repr=ERASED_COMMENT)


def _keep_active_bans(person: Person, names: set[str]) -> int:
    """Active bans stay, by address, with the person's names gone from the moderators'
    reasons; the rest go. Returns how many stay."""
    bans = person.bans()
    bans.exclude(pk__in=Ban.objects.active()).delete()
    for ban in bans.filter(user__isnull=True):
        reason = _scrub(ban.reason, names, person.emails)
        if reason != ban.reason:
            Ban.objects.filter(pk=ban.pk).update(reason=reason)
    # The account's own address if confirmed (an unconfirmed one may be someone else's).
    own = normalise_email(person.user.email or "") if person.user is not None else ""
    address = own if own in person.emails else next(iter(person.emails), "")
    for ban in bans.filter(user__isnull=False):
        if address:
            Ban.objects.create(
                email=address,
                reason=_scrub(ban.reason, names, person.emails),
                created=ban.created,
                created_by_id=ban.created_by_id,
                expires=ban.expires,
            )
        ban.delete()
    return person.bans().count()


def _anonymise_donations(person: Person, names: set[str]) -> int:
    """The money record stays for the accounts; who gave it goes."""
    gifts = list(person.donations())
    if not gifts:
        return 0
    provider_ids = {
        value
        for gift in gifts
        for value in (gift.checkout_id, gift.customer_id, gift.subscription_id)
        if value
    }
    person.donations().update(
        name=ERASED_DONOR,
        email="",
        message="",
        public=False,
        message_status=Donation.Message.NONE,
        network=None,
        user=None,
    )
    # The provider's events about these gifts carry the donor's name and address too.
    match = Q()
    for word in {*provider_ids, *person.emails}:
        match |= Q(text__icontains=word)
    events = WebhookEvent.objects.annotate(text=Cast("payload", TextField())).filter(match)
    changed = []
    for event in events:
        event.payload = _scrub_json(event.payload, names, person.emails)
        changed.append(event)
    WebhookEvent.objects.bulk_update(changed, ["payload"], batch_size=200)
    return len(gifts)


def _scrub_json(value, names: set[str], emails: list[str]):
    if isinstance(value, dict):
        return {key: _scrub_json(item, names, emails) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub_json(item, names, emails) for item in value]
    if isinstance(value, str):
        return _scrub(value, names, emails)
    return value


MAIL_TASK = "forum.core.mail.send_email_message"


def _forget_task_results(person: Person, names: set[str]) -> int:
    """With the database task queue, each task's arguments stay in its row, and mail is
    rendered when it is queued: mail waiting for the person is not sent, mail sent to them
    is not kept, and mail to others that quotes one of their comments under their name (a
    reply notice, the moderators' note of a held comment) goes too. A task running now is
    left to finish (its worker writes its result to the row)."""
    if "django_tasks_db" not in settings.INSTALLED_APPS:
        return 0
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    names = {name for name in names if len(name) >= SHORTEST_NAME}
    to_them, naming = Q(), Q()
    for email in person.emails:
        to_them |= _text_has(email)
    for name in names:
        naming |= _text_has(name)
    if not (to_them or naming):
        return 0
    candidates = (
        DBTaskResult.objects.annotate(text=Cast("args_kwargs", TextField()))
        .filter(to_them | Q(task_path=MAIL_TASK) & naming if naming else to_them)
        .exclude(status=TaskResultStatus.RUNNING)
    )
    # A mail quotes a comment's opening (the longest quotes are cut at 300 characters).
    openings = {body[:80] for body in person.comments().values_list("body", flat=True) if body}
    forget = []
    for result in candidates.only("pk", "args_kwargs").iterator(chunk_size=200):
        text = "\n".join(_strings(result.args_kwargs))
        if any(email in text.lower() for email in person.emails) or (
            _scrub(text, names, []) != text and any(opening in text for opening in openings)
        ):
            forget.append(result.pk)
    for start in range(0, len(forget), BATCH):
        DBTaskResult.objects.filter(pk__in=forget[start : start + BATCH]).delete()
    return len(forget)


def _text_has(word: str) -> Q:
    """The word in a JSON column cast to text: as typed, or as JSON escapes it (é as \\u00e9)."""
    escaped = json.dumps(word)[1:-1]
    return Q(text__icontains=word) | Q(text__icontains=escaped)


def _strings(value):
    """Every string inside a task's arguments."""
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


def _delete_account(user) -> int:
    """The account goes, with its addresses, sessions (ended everywhere), two-factor
    devices and sign-in links (allauth's rows go with it); its picture file once the
    deletion commits."""
    from allauth.usersessions.models import UserSession

    for session in UserSession.objects.filter(user=user):
        session.end()
    if user.avatar:
        storage, name = user.avatar.storage, user.avatar.name
        transaction.on_commit(lambda: storage.delete(name))
    user.delete()
    return 1


def _log_erasure(email: str, *, comments: str, by, via: str, counts: dict) -> None:
    PrivacyRequest.objects.create(
        action=PrivacyRequest.Action.ERASURE,
        via=via,
        address_hash=address_hash(email),
        by=by,
        comments=comments,
        counts=counts,
    )


def _log(person: Person, *, action: str, by, via: str, counts: dict) -> None:
    PrivacyRequest.objects.bulk_create(
        [
            PrivacyRequest(
                action=action, via=via, address_hash=address_hash(email), by=by, counts=counts
            )
            for email in person.emails
        ]
    )
