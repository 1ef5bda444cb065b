"""The payments of a list of gifts as CSV, one row per payment (what a receipt names and the
accounts count), streamed so that a long export never sits in memory, and safe to open in a
spreadsheet: no cell can start a formula."""

import csv
from collections.abc import Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone

from forum.newsletter.csv_io import spreadsheet_safe

from .models import Payment

COLUMNS = [
    "paid at",
    "receipt number",
    "name",
    "email",
    "kind",
    "amount",
    "currency",
    "refunded",
    "refunded at",
    "status",
    "provider",
    "provider's payment id",
]


def major_units(minor: int) -> str:
    """5.00 for 500 pence: what a spreadsheet reads as a number, with no symbol."""
    return f"{minor // 100}.{minor % 100:02d}"


def when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def export_rows(donations) -> Iterator[list[str]]:
    """The payments of `donations`, oldest first."""
    yield COLUMNS
    payments = (
        Payment.objects.filter(donation__in=donations.values("pk"))
        .select_related("donation")
        .order_by("paid_at", "pk")
    )
    for payment in payments.iterator(chunk_size=2000):
        donation = payment.donation
        cells = [
            when(payment.paid_at),
            payment.receipt_number,
            donation.name,
            donation.email,
            donation.get_kind_display(),
            major_units(payment.amount),
            payment.currency,
            major_units(payment.refunded_amount) if payment.refunded_amount else "",
            when(payment.refunded_at),
            donation.get_status_display(),
            donation.provider,
            payment.provider_id,
        ]
        yield [spreadsheet_safe(cell) for cell in cells]


class _Line:
    """What csv.writer writes to: hands each line back instead of keeping it."""

    def write(self, line: str) -> str:
        return line


def export_response(donations) -> StreamingHttpResponse:
    writer = csv.writer(_Line())
    stamp = timezone.localtime().strftime("%Y-%m-%d")

    def lines():
        yield "\ufeff"  # the byte order mark: spreadsheets then read the file as UTF-8
        for row in export_rows(donations):
            yield writer.writerow(row)

    return StreamingHttpResponse(
        lines(),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="donations-{stamp}.csv"'},
    )
