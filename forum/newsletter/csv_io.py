"""Subscriber lists as CSV: reading an upload into rows (every bad line reported with its
number, nothing taken from a file with one), importing them in one transaction through
`services`, and streaming an export that a spreadsheet opens without running any formula.
"""

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import StreamingHttpResponse
from django.utils import timezone

from . import services
from .models import (
    Newsletter,
    Source,
    Subscriber,
    Subscription,
    SubscriptionChange,
    normalise_email,
)

MAX_BYTES = 2_000_000
MAX_ROWS = 20_000
# Problems listed on the page: past these the editor fixes the file, not the list.
MAX_PROBLEMS_SHOWN = 50
EMAIL_HEADINGS = {"email", "e-mail", "email address", "e-mail address", "mail"}
NAME_HEADINGS = {"name", "full name", "fullname"}
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class BadFile(Exception):
    def __init__(self, problems: list[str]):
        super().__init__(problems)
        self.problems = problems


@dataclass(frozen=True)
class Row:
    line: int
    email: str
    name: str


def read_rows(data: bytes) -> list[Row]:
    """The addresses of an uploaded file. Raises BadFile listing every problem, with the
    file's line numbers, so the editor can fix them all in one go."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadFile(
            ["The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8”."]
        ) from None
    lines = text.splitlines()
    try:
        dialect = csv.Sniffer().sniff("\n".join(lines[:20]), delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(lines, dialect)
    rows, problems, seen = [], [], set()
    email_at, name_at = 0, 1
    for number, cells in enumerate(reader, start=1):
        cells = [cell.strip() for cell in cells]
        if not any(cells):
            continue
        if number == 1 and EMAIL_HEADINGS & {cell.lower() for cell in cells}:
            headings = [cell.lower() for cell in cells]
            email_at = next(i for i, h in enumerate(headings) if h in EMAIL_HEADINGS)
            name_at = next((i for i, h in enumerate(headings) if h in NAME_HEADINGS), None)
            continue
        email = cells[email_at] if email_at < len(cells) else ""
        name = cells[name_at] if name_at is not None and name_at < len(cells) else ""
        try:
            validate_email(email)
        except ValidationError:
            problems.append(
                f"Line {number}: “{email[:80]}” is not an email address."
                if email
                else f"Line {number}: no email address."
            )
            continue
        if len(name) > 100:
            problems.append(f"Line {number}: the name is longer than 100 characters.")
            continue
        email = normalise_email(email)
        if email not in seen:
            seen.add(email)
            rows.append(Row(line=number, email=email, name=name))
        if len(rows) > MAX_ROWS:
            raise BadFile([f"The file has more than {MAX_ROWS:,} addresses: split it."])
    if problems:
        shown = problems[:MAX_PROBLEMS_SHOWN]
        if len(problems) > len(shown):
            shown.append(f"… and {len(problems) - len(shown)} more.")
        raise BadFile(["Nothing was imported. Correct these lines and upload again.", *shown])
    if not rows:
        raise BadFile(["The file holds no email addresses."])
    return rows


@dataclass
class ImportReport:
    added: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{self.added:,} added", f"{self.unchanged:,} already on the list"]
        if self.skipped:
            parts.append(
                f"{len(self.skipped):,} left alone because they unsubscribed or their mail "
                f"bounced: {', '.join(self.skipped[:10])}{' …' if len(self.skipped) > 10 else ''}"
            )
        return "Import done: " + "; ".join(parts) + "."


def import_subscribers(
    *, rows: Iterable[Row], newsletter: Newsletter, confirmed: bool, consent: str
) -> ImportReport:
    """Put `rows` on `newsletter`, confirmed (the editor vouches for consent) or pending (each
    one is mailed a confirmation link), all or nothing. A confirmed subscription is never
    downgraded, and an address that unsubscribed or bounced is never put back by an import:
    only its reader can rejoin.

    Written in bulk, 20,000 rows in seconds rather than minutes: new subscriptions are made
    with their first recorded change, as `services` makes them one at a time; pending ones
    that become confirmed move through `set_status` like every other change."""
    status = Subscription.Status.CONFIRMED if confirmed else Subscription.Status.PENDING
    note = f"Consent: {consent}"[:300]
    now = timezone.now()
    report = ImportReport()
    rows = list(rows)
    with transaction.atomic():
        known = Subscriber.objects.in_bulk([row.email for row in rows], field_name="email")
        current = {}
        for chunk in _chunks(list(known.values())):
            current.update(
                (subscription.subscriber_id, subscription)
                for subscription in Subscription.objects.filter(
                    newsletter=newsletter, subscriber__in=chunk
                )
            )
        joining, upgrading, named = [], [], []
        for row in rows:
            subscriber = known.get(row.email)
            subscription = current.get(subscriber.pk) if subscriber else None
            before = subscription.status if subscription else None
            if subscriber is not None and (
                not subscriber.can_receive or before == Subscription.Status.UNSUBSCRIBED
            ):
                report.skipped.append(row.email)
                continue
            if subscriber is not None and row.name and not subscriber.name:
                subscriber.name = row.name
                named.append(subscriber)
            if before in {Subscription.Status.CONFIRMED, status}:
                report.unchanged += 1
            elif subscription is not None:
                upgrading.append(subscription.pk)
            else:
                joining.append(
                    subscriber or Subscriber(email=row.email, name=row.name, created_at=now)
                )
        Subscriber.objects.bulk_update(named, ["name"], batch_size=BATCH)
        new = [subscriber for subscriber in joining if subscriber.pk is None]
        Subscriber.objects.bulk_create(new, batch_size=BATCH)
        subscriptions = Subscription.objects.bulk_create(
            [
                Subscription(
                    subscriber=subscriber,
                    newsletter=newsletter,
                    status=status,
                    created_at=now,
                    changed_at=now,
                    confirmed_at=now if confirmed else None,
                )
                for subscriber in joining
            ],
            batch_size=BATCH,
        )
        SubscriptionChange.objects.bulk_create(
            [
                SubscriptionChange(
                    subscription=subscription,
                    status=status,
                    source=Source.IMPORT,
                    note=note,
                    at=now,
                )
                for subscription in subscriptions
            ],
            batch_size=BATCH,
        )
        for chunk in _chunks(upgrading):
            Subscription.objects.filter(pk__in=chunk).set_status(
                status, source=Source.IMPORT, note=note
            )
        report.added = len(joining) + len(upgrading)
        if not confirmed:
            for chunk in _chunks(joining):
                Subscriber.objects.filter(pk__in=[s.pk for s in chunk]).update(
                    confirmation_sent_at=now
                )
            transaction.on_commit(lambda: send_confirmations([s.pk for s in joining]))
    return report


def send_confirmations(subscriber_ids: list[int]) -> None:
    for subscriber in Subscriber.objects.filter(pk__in=subscriber_ids).iterator(chunk_size=BATCH):
        services.send_confirmation(subscriber)


# Rows a statement writes or names at once: under every database's limit on parameters.
BATCH = 500


def _chunks(items: list) -> Iterator[list]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


EXPORT_COLUMNS = ["email", "name", "status", "newsletters", "subscribed", "confirmed"]


def spreadsheet_safe(value: str) -> str:
    """A cell a spreadsheet shows as text: one that would start a formula gets a leading
    apostrophe (OWASP's advice against CSV injection)."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def export_rows(subscribers) -> Iterator[list[str]]:
    """`subscribers` come with `with_subscriptions` (admin.py): their subscriptions prefetched
    and `confirmed_at` annotated, read in chunks so a long list never sits in memory."""
    yield EXPORT_COLUMNS
    for subscriber in subscribers.iterator(chunk_size=2000):
        newsletters = "; ".join(
            f"{s.newsletter.name}: {s.get_status_display().lower()}"
            for s in subscriber.subscriptions.all()
        )
        cells = [
            subscriber.email,
            subscriber.name,
            subscriber.get_status_display(),
            newsletters,
            when(subscriber.created_at),
            when(subscriber.confirmed_at),
        ]
        yield [spreadsheet_safe(cell) for cell in cells]


class _Line:
    """What csv.writer writes to: hands each line back instead of keeping it."""

    def write(self, line: str) -> str:
        return line


def export_response(subscribers) -> StreamingHttpResponse:
    writer = csv.writer(_Line())
    # The byte order mark tells spreadsheets the file is UTF-8; the import reads it too.
    lines = (writer.writerow(row) for row in export_rows(subscribers))
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    return StreamingHttpResponse(
        _with_bom(lines),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="subscribers-{stamp}.csv"'},
    )


def _with_bom(lines: Iterator[str]) -> Iterator[str]:
    yield "\ufeff"
    yield from lines
