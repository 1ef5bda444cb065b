import hashlib
import ipaddress

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models, transaction
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from forum.articles.models import Article
from forum.core.html import render_comment


class CommentNotAllowed(Exception):
    """The comment cannot be posted or placed; the message says why, for the reader."""


REPLY_GONE = (
    "The comment you are replying to is no longer available. "
    "You can post yours as a new comment instead."
)


# Reported and not yet decided on: readers' reports open on a published comment, or on one
# the reports hid. A moderator's decision settles them (`report_count` back to 0).
REPORTED = Q(report_count__gt=0, status__in=["pending", "approved"])


def same_commenter(comment: "Comment") -> Q:
    """Who counts as the same commenter, for rate limits, history, trust and the admin's
    grouping: the same account for a member; for a guest, guests with the same (normalised)
    email (a guest who types a member's address does not borrow the member's record)."""
    if comment.user_id:
        return Q(user_id=comment.user_id)
    return Q(user__isnull=True, email=normalize_email(comment.email))


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def waiting(self):
        """What moderators still have to look at: held comments and reported ones."""
        return self.filter(Q(status=Comment.Status.PENDING) | REPORTED)

    def queue_counts(self) -> dict[str, int]:
        """How many comments each list of the moderation queue holds, in one query."""
        return self.aggregate(
            held=Count("pk", filter=Q(status=Comment.Status.PENDING)),
            reported=Count("pk", filter=REPORTED),
            waiting=Count("pk", filter=Q(status=Comment.Status.PENDING) | REPORTED),
        )

    def by_commenter(self, comment: "Comment"):
        """Comments by the same commenter (see `Comment.commenter_key`)."""
        return self.filter(same_commenter(comment))

    def with_commenter_history(self):
        """Each comment with how many comments its writer has in each status
        (`history_approved`, ...), by account for members and by email for guests:
        subqueries, so a page of the moderation queue is still one query."""

        def count(status, key):
            same = (
                {"user_id": OuterRef("user_id")}
                if key == "user_id"
                else {"user__isnull": True, "email": OuterRef("email")}
            )
            return Coalesce(
                Subquery(
                    Comment.objects.filter(**same, status=status)
                    .order_by()
                    .values(key)
                    .annotate(n=Count("pk"))
                    .values("n"),
                    output_field=models.IntegerField(),
                ),
                Value(0),
            )

        return self.annotate(
            **{
                f"history_{status}": Case(
                    When(user__isnull=False, then=count(status, "user_id")),
                    default=count(status, "email"),
                    output_field=models.IntegerField(),
                )
                for status in Comment.Status.values
            }
        )

    def reserve_keys(self, count: int) -> list[int]:
        """`count` keys, in ascending order, that no other writer will take: for comments about
        to be stored at once (`bulk_create_placed`). PostgreSQL hands them
        out from the table's sequence; on SQLite, whose writers take turns (IMMEDIATE
        transactions), they follow the highest key ever given. Call it inside the transaction
        that stores the comments."""
        if count <= 0:
            return []
        table = self.model._meta.db_table
        with connections[self.db].cursor() as cursor:
            if cursor.db.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [table, count],
                )
                return sorted(row[0] for row in cursor.fetchall())
            # AUTOINCREMENT's record of the highest key ever given, explicit ones included.
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            start = (row[0] if row else 0) + 1
        return list(range(start, start + count))

    def bulk_create_placed(self, comments: list["Comment"]) -> list["Comment"]:
        """Store many placed comments at once (seeds, imports), each with its fingerprint and
        normalised email as `save()` would give it, and its "posted" audit row. Counting the
        articles is left to the caller, once.

        `comments` come in the order they were written, each after its parent (or with a
        parent already stored). Those without a key take reserved ones (`reserve_keys`) in that
        order, as posted ones would, since threads show replies in key order; so every parent,
        thread and number is known before they all go in at once. Call it inside the
        transaction that stores them."""
        for comment in comments:
            comment.email = normalize_email(comment.email)
            comment.render()
        keyless = [comment for comment in comments if comment.pk is None]
        for comment, key in zip(keyless, self.reserve_keys(len(keyless)), strict=True):
            comment.pk = key
        self._link(comments)
        numbered = self._number_new_threads(comments)
        self.bulk_create(comments, batch_size=500)
        AuditEntry.objects.bulk_create(
            [AuditEntry.for_post(comment) for comment in comments], batch_size=500
        )
        for article_id, threads in self._published_threads(comments).items():
            if article_id not in numbered:
                self.number_threads(article_id, threads)
        return comments

    @staticmethod
    def _link(comments: list["Comment"]) -> None:
        """Each comment's parent and thread keys, from the comments above it."""
        for comment in comments:
            if (parent := comment.parent) is None:
                comment.thread_id = comment.pk
                continue
            if parent.thread_id is None:
                raise ValueError("A reply comes after the comment it answers.")
            # Setting parent_id drops the cached parent: read it first, or each reply
            # fetches its parent again.
            comment.parent_id = parent.pk
            comment.thread_id = parent.thread_id

    @staticmethod
    def _published_threads(comments: list["Comment"]) -> dict[int, list[int]]:
        """Article → its threads with a published comment among `comments`, in order."""
        threads: dict[int, dict[int, None]] = {}
        for comment in comments:
            if comment.status == Comment.Status.APPROVED:
                threads.setdefault(comment.article_id, {})[comment.thread_id] = None
        return {article_id: list(keys) for article_id, keys in threads.items()}

    def _number_new_threads(self, comments: list["Comment"]) -> set[int]:
        """Number the published threads of comments about to go in, when every one of an
        article's is new (seeds, a post's first import): no update afterwards. Returns those
        articles; the others are numbered once stored (`number_threads`)."""
        starts = {comment.pk: comment for comment in comments if comment.parent_id is None}
        numbered = set()
        for article_id, threads in self._published_threads(comments).items():
            if all(thread in starts for thread in threads):
                self._give_numbers(article_id, [starts[thread] for thread in threads])
                numbered.add(article_id)
        return numbered

    def _give_numbers(self, article_id: int, threads: list["Comment"]) -> None:
        """The next numbers of the article's discussion, to these threads in this order."""
        top = self.highest_numbers(article_id).first() or 0
        for offset, thread in enumerate(threads, start=1):
            thread.number = top + offset

    def number_published_threads(self, article_id: int) -> None:
        """Number, in order, each of the article's threads that has a published comment and
        no number yet: after comments stored one by one (the demo)."""
        published = self.filter(article_id=article_id, status=Comment.Status.APPROVED)
        self.number_threads(
            article_id,
            list(published.order_by("thread_id").values_list("thread_id", flat=True).distinct()),
        )

    def number_new_thread(self, comment: "Comment") -> None:
        """Give a thread published as it is posted the next number: `number_threads` for
        one new thread, in one update."""
        self.filter(pk=comment.pk).update(
            number=Coalesce(Subquery(self.highest_numbers(comment.article_id)[:1]), 0) + 1
        )

    def highest_numbers(self, article_id: int):
        """The article's thread numbers, highest first: the first is one index probe (an
        aggregate would read them all on SQLite)."""
        return (
            Comment.objects.filter(article_id=article_id, number__isnull=False)
            .order_by("-number")
            .values_list("number", flat=True)
        )

    def number_threads(self, article_id: int, thread_ids) -> None:
        """Give these threads, published for the first time, the next numbers of the
        article's discussion (in the order given); a thread already numbered keeps its number
        for life, whatever happens to the threads before it.

        Call it after the article's row is locked (`refresh_article` updates it), so two
        threads published at once never draw the same number."""
        new = list(self.filter(pk__in=thread_ids, parent=None, number=None).only("pk"))
        if not new:
            return
        order = {pk: index for index, pk in enumerate(thread_ids)}
        new.sort(key=lambda thread: order[thread.pk])
        self._give_numbers(article_id, new)
        self.bulk_update(new, ["number"], batch_size=500)

    def set_status(self, status: str, *, by=None, reason: str = "", action: str = "") -> int:
        """Move these comments to `status`: the one way a comment's status changes after it
        is posted (moderators' actions, the writer's delete, reader reports, bans, edits).

        In bulk, and in one transaction: each comment changed gets its reason and an audit
        row (by a person, or by the system when `by` is None); a person's decision settles
        the open reader reports; each article touched is recounted once, which moves its
        cached threads on; comments sent to the queue are announced to the moderators once
        the change commits. Comments already in `status` are left alone, unless a person
        decides on open reports about them (approving a reported comment keeps it and settles
        its reports, logged). Returns how many changed.
        """
        unchanged = Q(status=status)
        if by is not None:
            unchanged &= Q(report_count=0)
        with transaction.atomic():
            # From the bare rows: the admin's querysets carry joins and annotations.
            # Locked, so two moderators deciding at once cannot both change (and log) a row.
            rows = list(
                Comment.objects.filter(pk__in=self.values("pk"))
                .exclude(unchanged)
                .select_for_update(no_key=True)
                .order_by("pk")
                .only("pk", "article_id", "thread_id", "status", "status_reasons", "report_count")
            )
            held = status == Comment.Status.PENDING
            entries = []
            for comment in rows:
                entries.append(
                    AuditEntry(
                        comment=comment,
                        actor=by,
                        action=action or AuditEntry.Action.STATUS,
                        old_status=comment.status,
                        new_status=status,
                        reason=reason,
                    )
                )
                comment.status = status
                if reason:
                    comment.status_reasons = [*comment.status_reasons, reason]
                if by is not None:
                    comment.report_count = 0
                if held:
                    comment.moderators_told = None  # news again, if told about before
            fields = ["status", "status_reasons", "report_count"]
            Comment.objects.bulk_update(
                rows, [*fields, "moderators_told"] if held else fields, batch_size=500
            )
            AuditEntry.objects.bulk_create(entries, batch_size=500)
            published = {}  # article → change in its published count
            for comment, entry in zip(rows, entries, strict=True):
                step = (entry.new_status == Comment.Status.APPROVED) - (
                    entry.old_status == Comment.Status.APPROVED
                )
                published[comment.article_id] = published.get(comment.article_id, 0) + step
            threads = {}  # article → the threads changed, in order
            for comment in rows:
                threads.setdefault(comment.article_id, {})[comment.thread_id] = None
            for article_id, step in sorted(published.items()):
                Comment.objects.refresh_article(
                    article_id, published=step, threads=list(threads[article_id])
                )
                if status == Comment.Status.APPROVED:
                    Comment.objects.number_threads(article_id, list(threads[article_id]))
            if status == Comment.Status.APPROVED and rows:
                from forum.notifications.services import comments_published

                comments_published(
                    [comment.pk for comment in rows],
                    held_ids=[
                        entry.comment.pk
                        for entry in entries
                        if entry.old_status in (Comment.Status.PENDING, Comment.Status.SPAM)
                    ],
                )
            if held and rows:
                from .notifications import announce_held_comments

                ids = [comment.pk for comment in rows]
                transaction.on_commit(lambda: announce_held_comments(ids))
        return len(rows)

    def move_versions(self) -> int:
        """Move on the cached threads of every article these comments are on, for a change
        the threads show that is not a comment's (a commenter's name or picture)."""
        Comment.objects.filter(pk__in=self.values("thread_id")).update(
            thread_version=F("thread_version") + 1
        )
        return Article.objects.filter(pk__in=self.values("article_id")).update(
            comment_version=F("comment_version") + 1
        )

    def refresh_article(
        self, article_id: int, *, published: int | None = None, threads=None
    ) -> None:
        """Move the article's comment version on (it keys the cached pages of its discussion,
        so every change to a comment calls this) and the version of each thread changed
        (`threads`, the ids of their first comments; all the article's threads when not
        given), which keys each thread's cached HTML; and keep its published-comment count:
        changed by `published` when the caller knows by how much (posting, status changes:
        one atomic update, however long the discussion), or counted again from the rows
        (deletions, seeds)."""
        changed = Comment.objects.filter(article_id=article_id, parent=None)
        if threads is not None:
            changed = changed.filter(pk__in=threads)
        changed.update(thread_version=F("thread_version") + 1)
        if published is not None:
            Article.objects.filter(pk=article_id).update(
                comment_count=F("comment_count") + published,
                comment_version=F("comment_version") + 1,
            )
            return
        count = (
            Comment.objects.filter(article=OuterRef("pk"), status=Comment.Status.APPROVED)
            .order_by()
            .values("article")
            .annotate(n=Count("pk"))
            .values("n")
        )
        with transaction.atomic():
            # Lock the article first: on PostgreSQL the count is then taken after any other
            # writer has committed, so two comments published at once are both counted.
            # No key update: comments being stored for the article (their foreign keys take
            # key-share locks on it) do not wait for this.
            list(
                Article.objects.select_for_update(no_key=True)
                .filter(pk=article_id)
                .values_list("pk")
            )
            Article.objects.filter(pk=article_id).update(
                comment_count=Coalesce(Subquery(count), 0),
                comment_version=F("comment_version") + 1,
            )


class Comment(models.Model):
    """A reader's comment on an article, at some depth of a thread.

    `thread` is the top-level comment the comment belongs to (itself, for a top-level
    comment), so one page of threads loads in one query.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        SPAM = "spam", "Spam"
        REMOVED = "removed", "Removed"

    article = models.ForeignKey(Article, related_name="comments", on_delete=models.CASCADE)
    parent = models.ForeignKey(
        "self", null=True, blank=True, related_name="replies", on_delete=models.CASCADE
    )
    thread = models.ForeignKey(
        "self", null=True, blank=True, related_name="+", on_delete=models.CASCADE
    )
    depth = models.PositiveSmallIntegerField(default=1, help_text="1 for a top-level comment.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        related_name="comments",
        on_delete=models.SET_NULL,
        help_text="Empty for a guest.",
    )
    name = models.CharField(max_length=80, help_text="As given when posting.")
    email = models.EmailField(help_text="Never shown to readers. Stored in lower case.")
    website = models.URLField(max_length=300, blank=True)
    body = models.TextField(help_text="As written: plain text with a little Markdown.")
    body_html = models.TextField(editable=False, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING, db_index=True)
    status_reasons = models.JSONField(
        default=list, blank=True, help_text="Why the comment has its status."
    )
    created = models.DateTimeField(default=timezone.now, db_index=True)
    edited = models.DateTimeField(null=True, blank=True)
    deleted = models.DateTimeField(
        null=True, blank=True, help_text="When its writer deleted it; replies keep their place."
    )
    ip = models.GenericIPAddressField(
        "network address", null=True, blank=True, help_text="Truncated: IPv4 to /24, IPv6 to /48."
    )
    user_agent = models.CharField(max_length=300, blank=True)
    token = models.UUIDField(
        null=True, blank=True, unique=True, editable=False, help_text="One per form shown."
    )
    fingerprint = models.CharField(
        max_length=64, blank=True, editable=False, help_text="Of the text, to spot repeats."
    )
    report_count = models.PositiveSmallIntegerField(
        "reports",
        default=0,
        help_text="Reader reports not yet dealt with by a moderator.",
    )
    moderators_told = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When moderators were emailed."
    )
    notify = models.BooleanField(
        "replies by email",
        default=False,
        help_text="A guest asked to be told of replies (mailed once they confirm the address).",
    )
    notify_confirmed = models.BooleanField(
        "replies by email confirmed",
        default=False,
        help_text="The address's owner confirmed `notify`: anyone may type any address, so a "
        "guest's ask counts only from a browser that proved the address, or once confirmed.",
    )
    # Of a thread's first comment only:
    number = models.PositiveIntegerField(
        "thread number",
        null=True,
        blank=True,
        editable=False,
        help_text="The thread's number in the discussion: given when it is first published, "
        "kept for life.",
    )
    thread_version = models.PositiveIntegerField(
        default=0, editable=False, help_text="Moved on by every change the thread shows."
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created", "pk"]
        indexes = [
            # Top-level comments of an article in id order: paging and permalinks.
            models.Index(fields=["article", "parent"], name="comment_article_parent"),
            models.Index(fields=["thread", "status"], name="comment_thread_status"),
            models.Index(fields=["email", "status"], name="comment_email_status"),
            # The rate limits and the duplicate rule look back a minute or a day.
            models.Index(fields=["ip", "created"], name="comment_ip_created"),
            models.Index(fields=["email", "created"], name="comment_email_created"),
            models.Index(fields=["fingerprint", "created"], name="comment_fingerprint_created"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(depth__gte=1), name="comment_depth_positive"),
            # Also the index that finds a page of threads, and the highest number.
            models.UniqueConstraint(fields=["article", "number"], name="comment_thread_number"),
        ]

    def __str__(self):
        # The admin's title for the comment: who, on which article, and how it begins.
        return f"{self.author_name} on {self.article}: {Truncator(self.body).chars(40)}"

    def save(self, *args, update_fields=None, **kwargs):
        self.email = normalize_email(self.email)
        if update_fields is None or "body" in update_fields:
            self.render()
            if update_fields is not None:
                update_fields = {*update_fields, "body_html", "fingerprint"}
        super().save(*args, update_fields=update_fields, **kwargs)
        if self.thread_id is None:
            # A new thread's first comment is its own thread: known once it has a key.
            self.thread_id = self.pk
            Comment.objects.filter(pk=self.pk).update(thread_id=self.pk)

    def get_absolute_url(self):
        return reverse("comments:permalink", args=[self.pk])

    def place(self, parent: "Comment | None") -> None:
        """Put this new comment in its thread: one level below `parent`, or (without a parent)
        as the first comment of a thread of its own.

        Posting, the demo, `seed_thread`, the test factories and imports all place comments
        here; whether `parent` may still be replied to is `check_reply`'s question.
        """
        if parent is None:
            self.parent, self.thread_id, self.depth = None, None, 1
            return
        if parent.article_id != self.article_id:
            raise ValueError("A reply belongs to the article of the comment it answers.")
        self.parent = parent
        self.thread_id = parent.thread_id
        self.depth = parent.depth + 1

    def reply_refusal(self, *, depth_limit: int) -> str:
        """Why this comment cannot take a reply, for the reader ("" if it can)."""
        if not self.is_public or self.deleted:
            return REPLY_GONE
        if self.depth >= depth_limit:
            return (
                "This conversation is as deep as replies can go here. "
                "Reply further up the thread or post a new comment."
            )
        return ""

    def check_reply(self, *, depth_limit: int) -> None:
        """Refuse (`CommentNotAllowed`) a reply to this comment, if it cannot take one."""
        if refusal := self.reply_refusal(depth_limit=depth_limit):
            raise CommentNotAllowed(refusal)

    def accepts_replies(self, *, depth_limit: int) -> bool:
        # Asked once per comment on a page: an answer, not an exception.
        return not self.reply_refusal(depth_limit=depth_limit)

    def render(self) -> None:
        """Fill the fields derived from the text (once per text: the rules read them too)."""
        if getattr(self, "_rendered", None) != self.body:
            self.body_html = render_comment(self.body)
            self.fingerprint = fingerprint(self.body)
            self._rendered = self.body

    def rendered(self) -> tuple[str, str]:
        """`render()`'s results, (body_html, fingerprint), to hand to `take_rendering` on a
        copy elsewhere (the importer renders in other processes)."""
        self.render()
        return self.body_html, self.fingerprint

    def take_rendering(self, rendering: tuple[str, str]) -> None:
        """Take `rendered()` from a comment with this same text, instead of rendering again."""
        self.body_html, self.fingerprint = rendering
        self._rendered = self.body

    @property
    def author_name(self) -> str:
        if self.user_id and self.user:
            return self.user.public_name
        return self.name

    @property
    def commenter_key(self) -> tuple:
        """The same commenter as `same_commenter`, as a key for grouping in Python."""
        return ("account", self.user_id) if self.user_id else ("email", self.email)

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.APPROVED

    def edit_closes_at(self, *, edit_window):
        """Until when its writer may edit it (None: editing is off)."""
        return self.created + edit_window if edit_window else None

    def may_still_be_edited(self, *, edit_window) -> bool:
        closes = self.edit_closes_at(edit_window=edit_window)
        return closes is not None and timezone.now() < closes

    def set_status(self, status: str, *, by=None, reason: str = "", action: str = "") -> None:
        """Move this comment to `status`: the QuerySet's `set_status` for one comment."""
        Comment.objects.filter(pk=self.pk).set_status(status, by=by, reason=reason, action=action)
        self.refresh_from_db(fields=["status", "status_reasons", "report_count", "moderators_told"])

    def approve(self, *, by=None, reason: str = "") -> None:
        self.set_status(self.Status.APPROVED, by=by, reason=reason)


def account_field(*, on_delete=models.SET_NULL, **options) -> models.ForeignKey:
    """A member's account, where there may be none (a guest, or the system), that the
    account does not list among its own relations."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        related_name="+",
        on_delete=on_delete,
        **options,
    )


class AuditEntry(models.Model):
    """One moderation decision: who (a person, or the system at post time), what, when, why."""

    class Action(models.TextChoices):
        POSTED = "posted", "Posted (rules at post time)"
        STATUS = "status", "Status changed"
        HIDDEN = "hidden", "Hidden by reader reports"
        BANNED = "banned", "Commenter banned"
        TRUSTED = "trusted", "Commenter trusted"

    comment = models.ForeignKey(
        Comment,
        null=True,
        blank=True,
        related_name="audit_entries",
        on_delete=models.SET_NULL,
        help_text="Empty for a ban made by hand, or once the comment's writer deleted it.",
    )
    action = models.CharField(
        "what", max_length=10, choices=Action, default=Action.STATUS, db_index=True
    )
    actor = account_field(help_text="Empty when the system decided, by the rules at post time.")
    old_status = models.CharField(
        max_length=10, choices=Comment.Status, blank=True, help_text="Empty for a new comment."
    )
    new_status = models.CharField(max_length=10, choices=Comment.Status, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = "audit log entry"
        verbose_name_plural = "audit log entries"

    def __str__(self):
        if self.new_status:
            return f"{self.actor_name}: {self.old_status or 'new'} → {self.new_status}"
        return f"{self.actor_name}: {self.get_action_display()}"

    @classmethod
    def for_post(cls, comment: Comment) -> "AuditEntry":
        """The decision at post time, dated with the comment: what posting, the demo, seeds
        and imports log (unsaved)."""
        return cls(
            comment=comment,
            action=cls.Action.POSTED,
            new_status=comment.status,
            reason="; ".join(comment.status_reasons),
            created=comment.created,
        )

    @classmethod
    def record_post(cls, comment: Comment) -> "AuditEntry":
        entry = cls.for_post(comment)
        entry.save()
        return entry

    @property
    def actor_name(self) -> str:
        return str(self.actor) if self.actor_id else "system"


class BanQuerySet(models.QuerySet):
    def active(self, *, now=None):
        return self.filter(Q(expires=None) | Q(expires__gt=now or timezone.now()))

    def find(self, *, user=None, email: str = "", ip: str | None = None) -> "Ban | None":
        """The active ban that stops this commenter, if any (one query)."""
        match = Q(ip_range__gt="")
        if user is not None and user.pk:
            match |= Q(user_id=user.pk)
        if email:
            match |= Q(email=normalize_email(email))
        address = _address(ip)
        # A ban without end first: that is what the commenter should be told.
        bans = self.active().filter(match).order_by(F("expires").desc(nulls_first=True))
        for ban in bans:
            if ban.ip_range and not (address and address in ban.network):
                continue
            return ban
        return None


class Ban(models.Model):
    """Stops a commenter from posting: by email, by account, or by network address or range."""

    email = models.EmailField(blank=True, help_text="Stored in lower case.")
    user = account_field(on_delete=models.CASCADE, verbose_name="account")
    ip_range = models.CharField(
        "network address or range",
        max_length=49,
        blank=True,
        help_text="One address (203.0.113.7) or a range (203.0.113.0/24, 2001:db8::/48).",
    )
    reason = models.CharField(max_length=300, blank=True, help_text="For moderators only.")
    created = models.DateTimeField(default=timezone.now)
    created_by = account_field(editable=False)
    expires = models.DateTimeField(
        "ends", null=True, blank=True, help_text="Leave empty for a ban without end."
    )

    objects = BanQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["email"], name="ban_email")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | Q(user__isnull=False) | ~Q(ip_range=""),
                name="ban_has_a_target",
            )
        ]

    def __str__(self):
        return f"Ban of {self.target}"

    def save(self, *args, **kwargs):
        self.email = normalize_email(self.email)
        if self.ip_range:
            self.ip_range = str(self.network)
        super().save(*args, **kwargs)

    def clean(self):
        if not (self.email or self.user_id or self.ip_range):
            raise ValidationError("Give an email, an account or a network address to ban.")
        if self.ip_range:
            try:
                ipaddress.ip_network(self.ip_range.strip(), strict=False)
            except ValueError:
                raise ValidationError(
                    {
                        "ip_range": "Enter an address like 203.0.113.7 or a range like "
                        "203.0.113.0/24."
                    }
                ) from None

    def comments(self):
        """The comments this ban reaches: by its email or account, or for a network ban
        those whose stored address lies inside the range. Stored addresses are truncated
        (`truncate_ip`), so a ban narrower than /24 (/48) reaches the whole /24 (/48) it lies
        in: that is all that is known of where those comments came from."""
        match = Q(pk__in=[])
        if self.email:
            match |= Q(email=self.email)
        if self.user_id:
            match |= Q(user_id=self.user_id)
        if self.ip_range:
            network = self.network
            stored_prefix = STORED_PREFIX[network.version]
            if network.prefixlen >= stored_prefix:
                # One stored network: one value.
                match |= Q(ip=str(network.supernet(new_prefix=stored_prefix).network_address))
            else:
                # A wider range: the distinct stored networks inside it (a few, not a row
                # per comment).
                near = Comment.objects.exclude(ip=None)
                if network.version == 4:
                    octets = str(network.network_address).split(".")[: network.prefixlen // 8]
                    near = near.filter(ip__startswith=".".join(octets))
                else:
                    near = near.filter(ip__contains=":")
                stored = near.order_by().values_list("ip", flat=True).distinct()
                match |= Q(ip__in=[ip for ip in stored if ipaddress.ip_address(ip) in network])
        return Comment.objects.filter(match)

    @property
    def network(self):
        return ipaddress.ip_network(self.ip_range.strip(), strict=False)

    @property
    def target(self) -> str:
        if self.user_id:
            return f"the account {self.user}"
        if self.email:
            return self.email
        return self.ip_range

    @property
    def is_active(self) -> bool:
        return self.expires is None or self.expires > timezone.now()

    def message(self) -> str:
        """What the banned commenter is told."""
        what = {True: "your account", False: "this email address"}[bool(self.user_id)]
        if self.ip_range and not (self.user_id or self.email):
            what = "your network address"
        until = (
            f" until {timezone.localtime(self.expires):%-d %B %Y, %H:%M}" if self.expires else ""
        )
        return (
            f"You can’t comment here: {what} is banned from commenting{until}. "
            "If you think this is a mistake, please write to the editors."
        )


class Report(models.Model):
    """A reader's report that a published comment breaks the rules."""

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or advertising"
        ABUSIVE = "abusive", "Abusive or hateful"
        OFF_TOPIC = "off_topic", "Off-topic"
        OTHER = "other", "Something else"

    comment = models.ForeignKey(Comment, related_name="reports", on_delete=models.CASCADE)
    user = account_field(help_text="Empty for a guest.")
    ip = models.GenericIPAddressField(null=True, blank=True, help_text="Truncated.")
    reason = models.CharField(max_length=10, choices=Reason)
    note = models.CharField(max_length=500, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["ip", "created"], name="report_ip_created")]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "user"],
                condition=Q(user__isnull=False),
                name="one_report_per_member",
            ),
            models.UniqueConstraint(
                fields=["comment", "ip"],
                condition=Q(user__isnull=True),
                name="one_report_per_guest_network",
            ),
        ]

    def __str__(self):
        return f"{self.get_reason_display()} on comment {self.comment_id}"


class TrustedCommenter(models.Model):
    """A commenter a moderator vouched for: published without waiting, whatever the count."""

    email = models.EmailField(blank=True)
    user = account_field(on_delete=models.CASCADE, verbose_name="account")
    created = models.DateTimeField(default=timezone.now)
    created_by = account_field()

    class Meta:
        indexes = [models.Index(fields=["email"], name="trusted_email")]

    def __str__(self):
        return str(self.user) if self.user_id else self.email

    def save(self, *args, **kwargs):
        self.email = normalize_email(self.email)
        super().save(*args, **kwargs)

    @classmethod
    def vouches_for(cls, *, user=None, email: str = "") -> bool:
        match = Q(user_id=user.pk) if user is not None else Q(email=normalize_email(email))
        return cls.objects.filter(match).exists()


def _address(ip: str | None):
    try:
        return ipaddress.ip_address(ip or "")
    except ValueError:
        return None


def fingerprint(body: str) -> str:
    """The same text, whatever its case and spacing, has the same fingerprint."""
    return hashlib.sha256(" ".join(body.casefold().split()).encode()).hexdigest()


def normalize_email(address: str) -> str:
    """One spelling per address, so finding a returning commenter is an index lookup."""
    return address.strip().lower()


# How much of an address is kept: the network, not the reader.
STORED_PREFIX = {4: 24, 6: 48}


def truncate_ip(address: str | None) -> str | None:
    """Keep the network, not the reader: IPv4 to /24, IPv6 to /48."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return None
    kept = (1 << ip.max_prefixlen) - (1 << (ip.max_prefixlen - STORED_PREFIX[ip.version]))
    return str(type(ip)(int(ip) & kept))
