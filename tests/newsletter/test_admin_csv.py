"""Importing and exporting subscribers as CSV from the admin: all rows or none, the consent
source on record, no downgrade and no resubscribing, confirmed only for staff who may, files
from spreadsheets (BOM, semicolons), and exports a spreadsheet opens without running formulas.
"""

import csv
import io

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from forum.newsletter import csv_io
from forum.newsletter.models import Source, Subscriber, Subscription, SubscriptionChange
from tests import factories

IMPORT = reverse("admin:newsletter_subscriber_import")
EXPORT = reverse("admin:newsletter_subscriber_export")
CONSENT = "Paper sign-up sheet at the 2026 darkroom fair"


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def upload(text: str, *, encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile("list.csv", text.encode(encoding), content_type="text/csv")


def post_import(client, newsletter, text, *, status="confirmed", encoding="utf-8"):
    return client.post(
        IMPORT,
        {
            "file": upload(text, encoding=encoding),
            "consent": CONSENT,
            "newsletter": newsletter.pk,
            "status": status,
        },
    )


def exported(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_a_good_file_is_imported_confirmed_with_its_consent_source(editor_client, newsletter):
    response = post_import(
        editor_client,
        newsletter,
        "Email,Name\nann@example.org,Ann Ray\nBO@Example.org,\n\nann@example.org,Ann again\n",
    )

    assert response.status_code == 302
    assert dict(Subscriber.objects.values_list("email", "name")) == {
        "ann@example.org": "Ann Ray",
        "bo@example.org": "",
    }
    assert set(Subscription.objects.values_list("status", flat=True)) == {"confirmed"}
    changes = SubscriptionChange.objects.all()
    assert {(c.source, c.note) for c in changes} == {(Source.IMPORT, f"Consent: {CONSENT}")}
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Import done: 2 added; 0 already on the list."
    ]


def test_pending_rows_each_get_a_confirmation_mail(
    editor_client, newsletter, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        post_import(
            editor_client, newsletter, "ann@example.org\nbo@example.org\n", status="pending"
        )

    assert set(Subscription.objects.values_list("status", flat=True)) == {"pending"}
    assert sorted(m.to[0] for m in mailoutbox) == ["ann@example.org", "bo@example.org"]


def test_a_file_with_bad_rows_imports_nothing_and_names_each_line(editor_client, newsletter):
    response = post_import(
        editor_client,
        newsletter,
        "email,name\nann@example.org,Ann\nnot-an-address,Bo\n,Cy\ndee@example.org,Dee\n",
    )

    assert response.status_code == 200
    assert "Line 3: “not-an-address” is not an email address." in response.text
    assert "Line 4: no email address." in response.text
    assert "Nothing was imported" in response.text
    assert not Subscriber.objects.exists()


def test_confirmed_subscriptions_are_never_downgraded_and_leavers_are_left_alone(
    editor_client, newsletter, django_capture_on_commit_callbacks, mailoutbox
):
    factories.create_subscriber(email="kept@example.org")
    factories.create_subscriber(email="left@example.org", status="unsubscribed")
    factories.create_subscriber(email="bounced@example.org")
    Subscriber.objects.filter(email="bounced@example.org").update(status="bounced")

    with django_capture_on_commit_callbacks(execute=True):
        response = post_import(
            editor_client,
            newsletter,
            "kept@example.org\nleft@example.org\nbounced@example.org\nnew@example.org\n",
            status="pending",
        )

    statuses = dict(Subscription.objects.values_list("subscriber__email", "status"))
    assert statuses == {
        "kept@example.org": "confirmed",
        "left@example.org": "unsubscribed",
        "bounced@example.org": "confirmed",
        "new@example.org": "pending",
    }
    assert [m.to for m in mailoutbox] == [["new@example.org"]]
    message = str(list(get_messages(response.wsgi_request))[0])
    assert "1 added; 1 already on the list; 2 left alone" in message


def test_confirmed_rows_need_the_permission_to_change_subscriptions(newsletter, client):
    clerk = factories.create_staff(email="clerk@example.com")
    clerk.user_permissions.add(
        *factories.Permission.objects.filter(
            content_type__app_label="newsletter", codename__in=["add_subscriber", "view_subscriber"]
        )
    )
    client.force_login(clerk)

    page = client.get(IMPORT)
    forged = post_import(client, newsletter, "ann@example.org\n", status="confirmed")

    assert page.status_code == 200
    assert 'value="confirmed"' not in page.text
    assert forged.status_code == 200
    assert "Select a valid choice" in forged.text
    assert not Subscriber.objects.exists()


def test_a_spreadsheet_export_with_a_byte_order_mark_and_semicolons_reads(
    editor_client, newsletter
):
    post_import(
        editor_client,
        newsletter,
        "\ufeffE-mail;Name\nzoe@example.org;Zoë Ångström\n",
        status="confirmed",
    )

    assert dict(Subscriber.objects.values_list("email", "name")) == {
        "zoe@example.org": "Zoë Ångström"
    }


def test_a_file_that_is_not_utf8_is_refused_with_advice(editor_client, newsletter):
    response = post_import(editor_client, newsletter, "zoe@example.org,Zoë\n", encoding="latin-1")

    assert "save it as “CSV UTF-8”" in response.text
    assert not Subscriber.objects.exists()


def test_an_oversized_file_is_refused(editor_client, newsletter, monkeypatch):
    monkeypatch.setattr(csv_io, "MAX_ROWS", 2)

    response = post_import(editor_client, newsletter, "a@example.org\nb@example.org\nc@x.org\n")

    assert "more than 2 addresses" in response.text
    assert not Subscriber.objects.exists()


def test_the_export_neutralises_cells_a_spreadsheet_would_run(editor_client, newsletter):
    factories.create_subscriber(email="ann@example.org", name='=HYPERLINK("http://evil","x")')
    factories.create_subscriber(email="bo@example.org", name="+1 555")
    factories.create_subscriber(email="cy@example.org", name="@cy")
    factories.create_subscriber(email="dee@example.org", name="-dee")
    factories.create_subscriber(email="eve@example.org", name="Eve")

    response = editor_client.get(EXPORT)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = exported(response)
    assert rows[0] == ["email", "name", "status", "newsletters", "subscribed", "confirmed"]
    names = {row[0]: row[1] for row in rows[1:]}
    assert names == {
        "ann@example.org": '\'=HYPERLINK("http://evil","x")',
        "bo@example.org": "'+1 555",
        "cy@example.org": "'@cy",
        "dee@example.org": "'-dee",
        "eve@example.org": "Eve",
    }
    assert rows[1][3] == f"{newsletter.name}: confirmed"


def test_the_export_button_honours_the_list_s_filters(editor_client, newsletter):
    factories.create_subscriber(email="ann@example.org")
    factories.create_subscriber(email="bo@example.org", status="pending")

    response = editor_client.get(EXPORT + "?subscription=pending")

    assert [row[0] for row in exported(response)[1:]] == ["bo@example.org"]


def test_the_export_action_exports_the_selected(editor_client, newsletter):
    ann = factories.create_subscriber(email="ann@example.org")
    factories.create_subscriber(email="bo@example.org")

    response = editor_client.post(
        reverse("admin:newsletter_subscriber_changelist"),
        {"action": "export_csv", "_selected_action": [ann.pk]},
    )

    assert [row[0] for row in exported(response)[1:]] == ["ann@example.org"]


def test_the_export_reads_in_chunks_with_few_queries(
    editor_client, newsletter, django_assert_max_num_queries
):
    for n in range(30):
        factories.create_subscriber(email=f"r{n}@example.org")
    response = editor_client.get(EXPORT)

    with django_assert_max_num_queries(3):
        rows = exported(response)

    assert len(rows) == 31


@pytest.mark.parametrize("role", ["anonymous", "member", "moderator"])
def test_only_staff_who_may_add_subscribers_can_import(newsletter, role):
    response = post_import(factories.client_as(role), newsletter, "ann@example.org\n")

    assert response.status_code in {302, 403}
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("admin:login"))
    assert not Subscriber.objects.exists()


def test_known_addresses_are_upgraded_or_joined_and_named_on_record(editor_client, newsletter):
    other = factories.create_newsletter(name="Darkroom notes")
    factories.create_subscriber(email="waiting@example.org", status="pending")
    factories.create_subscriber(email="elsewhere@example.org", newsletter=other, name="")

    post_import(
        editor_client,
        newsletter,
        "email,name\nwaiting@example.org,Wai\nelsewhere@example.org,Else Where\n",
    )

    statuses = set(
        Subscription.objects.filter(newsletter=newsletter).values_list(
            "subscriber__email", "status"
        )
    )
    assert statuses == {
        ("waiting@example.org", "confirmed"),
        ("elsewhere@example.org", "confirmed"),
    }
    upgrade = SubscriptionChange.objects.get(
        subscription__subscriber__email="waiting@example.org", previous="pending"
    )
    assert (upgrade.status, upgrade.source, upgrade.note) == (
        "confirmed",
        Source.IMPORT,
        f"Consent: {CONSENT}",
    )
    assert dict(Subscriber.objects.values_list("email", "name")) == {
        "waiting@example.org": "Wai",
        "elsewhere@example.org": "Else Where",
    }
    assert Subscription.objects.get(newsletter=other).status == "confirmed"
