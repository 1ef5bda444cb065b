"""The newsletter in the admin: who may open each page, a new issue prefilled with the articles
its readers have not had, the preview under its own CSP, test sends, sending now, scheduling,
pause/resume/cancel by status, the progress panel, and the subscribers' list and actions."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from forum.newsletter.models import (
    Delivery,
    Issue,
    Source,
    Subscriber,
    Subscription,
    SubscriptionChange,
)
from forum.site_settings.models import SiteSettings
from tests import factories

OK, FORBIDDEN, LOGIN = 200, 403, "login"
ROLES = factories.ROLES
EDITORS_ONLY = (LOGIN, LOGIN, FORBIDDEN, OK, OK)

PAGES = {
    "issue changelist": lambda issue: reverse("admin:newsletter_issue_changelist"),
    "issue add": lambda issue: reverse("admin:newsletter_issue_add"),
    "issue change": lambda issue: reverse("admin:newsletter_issue_change", args=[issue.pk]),
    "preview": lambda issue: reverse("admin:newsletter_issue_preview", args=[issue.pk]),
    "preview text": lambda issue: reverse("admin:newsletter_issue_preview_text", args=[issue.pk]),
    "preview html": lambda issue: reverse("admin:newsletter_issue_preview_html", args=[issue.pk]),
    "send now": lambda issue: reverse("admin:newsletter_issue_send_now", args=[issue.pk]),
    "schedule": lambda issue: reverse("admin:newsletter_issue_schedule", args=[issue.pk]),
    "progress": lambda issue: reverse("admin:newsletter_issue_progress", args=[issue.pk]),
    "cancel": lambda issue: reverse("admin:newsletter_issue_cancel", args=[issue.pk]),
    "subscriber changelist": lambda issue: reverse("admin:newsletter_subscriber_changelist"),
    "subscriber change": lambda issue: reverse(
        "admin:newsletter_subscriber_change", args=[Subscriber.objects.get().pk]
    ),
    "subscriber import": lambda issue: reverse("admin:newsletter_subscriber_import"),
    "subscriber export": lambda issue: reverse("admin:newsletter_subscriber_export"),
    "delivery changelist": lambda issue: reverse("admin:newsletter_delivery_changelist"),
    "newsletter changelist": lambda issue: reverse("admin:newsletter_newsletter_changelist"),
}
POSTS = {
    "send a test": "admin:newsletter_issue_send_test",
    "send now": "admin:newsletter_issue_send_now",
    "schedule": "admin:newsletter_issue_schedule",
    "pause": "admin:newsletter_issue_pause",
    "resume": "admin:newsletter_issue_resume",
    "cancel": "admin:newsletter_issue_cancel",
}


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.mark.parametrize(
    ("page", "role", "expected"),
    [
        (page, role, outcome)
        for page in PAGES
        for role, outcome in zip(ROLES, EDITORS_ONLY, strict=True)
    ],
)
def test_each_role_reaches_only_the_newsletter_pages_it_may(newsletter, page, role, expected):
    factories.create_subscriber(email="ann@example.org")
    issue = factories.create_issue(newsletter=newsletter)

    response = factories.client_as(role).get(PAGES[page](issue))

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(
    ("action", "role", "expected"),
    [
        (action, role, outcome)
        for action in POSTS
        for role, outcome in zip(ROLES, EDITORS_ONLY, strict=True)
    ],
)
def test_sending_steps_are_refused_to_everyone_but_editors(
    newsletter, mailoutbox, action, role, expected
):
    factories.create_subscriber(email="ann@example.org")
    issue = factories.create_issue(newsletter=newsletter)
    tomorrow = timezone.localtime() + timedelta(days=1)

    response = factories.client_as(role).post(
        reverse(POSTS[action], args=[issue.pk]), {"send_at": f"{tomorrow:%Y-%m-%dT%H:%M}"}
    )

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    else:
        assert response.status_code == (302 if expected == OK else FORBIDDEN)
    if expected != OK:
        assert mailoutbox == []
        assert Issue.objects.get().status == Issue.Status.DRAFT
        assert not Delivery.objects.exists()


# A new issue, prefilled


def test_a_new_issue_is_prefilled_with_the_articles_since_the_last_issue_went_out(
    editor_client, newsletter
):
    now = timezone.now()
    factories.create_issue(
        newsletter=newsletter, status=Issue.Status.SENT, sent_at=now - timedelta(days=2)
    )
    before = factories.create_article(title="Old news", published_at=now - timedelta(days=3))
    after = factories.create_article(title="Fresh grain", published_at=now - timedelta(days=1))
    draft = factories.create_article(title="Not yet", status="draft")

    response = editor_client.get(reverse("admin:newsletter_issue_add"))

    form = response.context["adminform"].form
    assert form.initial["newsletter"] == newsletter.pk
    assert form.initial["articles"] == [after.pk]
    offered = list(form.fields["articles"].queryset)
    assert offered == [after, before]
    assert draft not in offered
    assert f'type="checkbox" name="articles" value="{after.pk}"' in response.text


def test_an_issue_keeps_offering_its_own_older_articles(editor_client, newsletter):
    old = factories.create_article(title="Old", published_at=timezone.now() - timedelta(days=90))
    factories.create_article(title="Older", published_at=timezone.now() - timedelta(days=91))
    issue = factories.create_issue(newsletter=newsletter, articles=[old])

    response = editor_client.get(reverse("admin:newsletter_issue_change", args=[issue.pk]))

    assert list(response.context["adminform"].form.fields["articles"].queryset) == [old]


def test_without_an_earlier_issue_the_prefill_takes_the_last_seven_days(editor_client, newsletter):
    now = timezone.now()
    week = factories.create_article(title="This week", published_at=now - timedelta(days=6))
    factories.create_article(title="Last month", published_at=now - timedelta(days=30))

    response = editor_client.get(reverse("admin:newsletter_issue_add"))

    assert response.context["adminform"].form.initial["articles"] == [week.pk]


def test_the_suggested_subject_names_the_newsletter_and_its_next_sending_day(
    editor_client, newsletter
):
    slot = timezone.localtime(SiteSettings.current().next_newsletter_slot())

    response = editor_client.get(reverse("admin:newsletter_issue_add"))

    subject = response.context["adminform"].form.initial["subject"]
    assert subject == f"{newsletter.name}, {slot:%A} {slot.day} {slot:%B}"


def test_another_newsletter_can_be_chosen_before_the_prefill(editor_client, newsletter):
    other = factories.create_newsletter(name="Darkroom notes")

    response = editor_client.get(reverse("admin:newsletter_issue_add") + f"?newsletter={other.pk}")

    form = response.context["adminform"].form
    assert form.initial["newsletter"] == other.pk
    assert form.initial["subject"].startswith("Darkroom notes, ")
    assert f'href="?newsletter={other.pk}"' in response.text


def test_saving_a_new_issue_records_who_wrote_it(editor_client, editor, newsletter, article):
    response = editor_client.post(
        reverse("admin:newsletter_issue_add"),
        {
            "newsletter": newsletter.pk,
            "subject": "Monday light",
            "intro": "Good *morning*.",
            "articles": [article.pk],
        },
    )

    assert response.status_code == 302
    issue = Issue.objects.get()
    assert issue.created_by == editor
    assert "<em>morning</em>" in issue.intro_html
    assert list(issue.articles.all()) == [article]


# Preview


def test_the_preview_page_frames_the_mail_and_links_the_text(editor_client, newsletter):
    issue = factories.create_issue(newsletter=newsletter, subject="Monday light")

    response = editor_client.get(reverse("admin:newsletter_issue_preview", args=[issue.pk]))

    html_url = reverse("admin:newsletter_issue_preview_html", args=[issue.pk])
    assert f'<iframe class="nl-preview-frame" src="{html_url}"' in response.text
    assert "sandbox" in response.text
    assert reverse("admin:newsletter_issue_preview_text", args=[issue.pk]) in response.text


def test_the_html_preview_is_the_mail_under_a_policy_with_inline_styles_and_no_script(
    editor_client, newsletter, article
):
    issue = factories.create_issue(
        newsletter=newsletter, intro="Hello from the *darkroom*.", articles=[article]
    )

    response = editor_client.get(reverse("admin:newsletter_issue_preview_html", args=[issue.pk]))

    assert "<em>darkroom</em>" in response.text
    assert article.title in response.text
    assert "%%" not in response.text
    policy = response["Content-Security-Policy"]
    assert "style-src 'unsafe-inline'" in policy
    assert "sandbox" in policy
    assert "script-src" not in policy and "default-src 'none'" in policy
    assert "frame-ancestors 'self'" in policy
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_site_pages_keep_the_strict_policy(editor_client, newsletter):
    issue = factories.create_issue(newsletter=newsletter)

    response = editor_client.get(reverse("admin:newsletter_issue_preview", args=[issue.pk]))

    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_the_text_preview_shows_the_text_part(editor_client, newsletter, article):
    issue = factories.create_issue(newsletter=newsletter, intro="Plain words.", articles=[article])

    response = editor_client.get(reverse("admin:newsletter_issue_preview_text", args=[issue.pk]))

    text = response.context["text"]
    assert "Plain words." in text and article.title in text and "%%" not in text
    assert "<pre" in response.text


# Test send


def test_a_test_goes_to_the_editor_alone_with_the_list_headers(
    editor_client, editor, newsletter, django_capture_on_commit_callbacks, mailoutbox
):
    factories.create_subscriber(email="ann@example.org")
    factories.create_subscriber(email=editor.email)
    issue = factories.create_issue(newsletter=newsletter, subject="Monday light")

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse("admin:newsletter_issue_send_test", args=[issue.pk]))

    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [[editor.email]]
    message = mailoutbox[0]
    assert message.subject == "[Test] Monday light"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"Test sent to {editor.email}."
    ]
    assert not Delivery.objects.exists()
    assert Issue.objects.get().status == Issue.Status.DRAFT


def test_an_editor_who_is_no_subscriber_gets_the_test_too(
    editor_client, editor, newsletter, django_capture_on_commit_callbacks, mailoutbox
):
    issue = factories.create_issue(newsletter=newsletter, subject="Monday light")

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(reverse("admin:newsletter_issue_send_test", args=[issue.pk]))

    assert [m.to for m in mailoutbox] == [[editor.email]]
    assert not Subscriber.objects.exists()


# Sending now


def test_the_send_page_says_how_many_confirmed_readers_will_receive_it(editor_client, newsletter):
    factories.create_subscriber(email="ann@example.org")
    factories.create_subscriber(email="bo@example.org")
    factories.create_subscriber(email="cy@example.org", status=Subscription.Status.PENDING)
    factories.create_subscriber(email="dee@example.org")
    Subscriber.objects.filter(email="dee@example.org").update(status="bounced")
    issue = factories.create_issue(newsletter=newsletter)

    response = editor_client.get(reverse("admin:newsletter_issue_send_now", args=[issue.pk]))

    assert "2 confirmed readers" in response.text
    assert Issue.objects.get().status == Issue.Status.DRAFT
    assert not Delivery.objects.exists()


def test_sending_from_the_confirmation_page_delivers_to_each_confirmed_reader(
    editor_client, newsletter, django_capture_on_commit_callbacks, mailoutbox
):
    factories.create_subscriber(email="ann@example.org")
    factories.create_subscriber(email="bo@example.org")
    factories.create_subscriber(email="cy@example.org", status=Subscription.Status.PENDING)
    issue = factories.create_issue(newsletter=newsletter, subject="Monday light")

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse("admin:newsletter_issue_send_now", args=[issue.pk]))

    assert response["Location"] == reverse("admin:newsletter_issue_change", args=[issue.pk])
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert sorted(issue.deliveries.values_list("subscriber__email", "status")) == [
        ("ann@example.org", "sent"),
        ("bo@example.org", "sent"),
    ]
    assert sorted(m.to[0] for m in mailoutbox) == ["ann@example.org", "bo@example.org"]


def test_a_sent_issue_is_read_only_and_shows_its_progress(editor_client, newsletter):
    factories.create_subscriber(email="ann@example.org")
    issue = factories.create_issue(newsletter=newsletter, status=Issue.Status.SENT)
    Delivery.objects.create(issue=issue, subscriber=Subscriber.objects.get(), status="sent")

    response = editor_client.get(reverse("admin:newsletter_issue_change", args=[issue.pk]))
    refused = editor_client.post(
        reverse("admin:newsletter_issue_change", args=[issue.pk]),
        {"newsletter": newsletter.pk, "subject": "Changed", "intro": ""},
    )

    assert response.context["has_change_permission"] is False
    assert f'href="{issue.get_absolute_url()}"' in response.text  # View on site: the archive
    assert '<progress max="1" value="1"' in response.text
    assert "1 of 1 reader handled (100%)" in response.text
    assert "Send now" not in response.text
    assert refused.status_code == 403
    assert Issue.objects.get().subject == issue.subject


# Scheduling


def test_scheduling_suggests_the_next_slot_and_says_when(editor_client, newsletter):
    issue = factories.create_issue(newsletter=newsletter)
    slot = timezone.localtime(SiteSettings.current().next_newsletter_slot())
    url = reverse("admin:newsletter_issue_schedule", args=[issue.pk])

    page = editor_client.get(url)
    response = editor_client.post(url, {"send_at": slot.strftime("%Y-%m-%dT%H:%M")})

    assert f'value="{slot:%Y-%m-%dT%H:%M}"' in page.text
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SCHEDULED
    assert issue.send_at == slot
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"Scheduled for {slot:%A} {slot.day} {slot:%B, %H:%M}."
    ]


def test_a_moment_in_the_past_is_refused(editor_client, newsletter):
    issue = factories.create_issue(newsletter=newsletter)
    past = timezone.localtime() - timedelta(hours=1)

    response = editor_client.post(
        reverse("admin:newsletter_issue_schedule", args=[issue.pk]),
        {"send_at": past.strftime("%Y-%m-%dT%H:%M")},
    )

    assert response.status_code == 200
    assert "Choose a moment in the future" in response.text
    assert Issue.objects.get().status == Issue.Status.DRAFT


# Pause, resume, cancel


BUTTONS = {
    Issue.Status.DRAFT: {"Send now", "Schedule"},
    Issue.Status.SCHEDULED: {"Send now", "Schedule", "cancel it"},
    Issue.Status.SENDING: {"Pause", "Cancel…"},
    Issue.Status.PAUSED: {"Resume", "Cancel…"},
    Issue.Status.SENT: set(),
    Issue.Status.CANCELLED: set(),
}


@pytest.mark.parametrize("status", list(BUTTONS))
def test_the_issue_page_offers_the_steps_its_status_allows(editor_client, newsletter, status):
    issue = factories.create_issue(newsletter=newsletter, status=status)

    response = editor_client.get(reverse("admin:newsletter_issue_change", args=[issue.pk]))

    offered = {
        label
        for label in ("Send now", "Schedule", "Pause", "Resume", "Cancel…", "cancel it")
        if f">{label}<" in response.text
    }
    assert offered == BUTTONS[status]
    assert ("View on site" in response.text) == (status == Issue.Status.SENT)


def test_pause_resume_and_cancel_move_a_sending_issue(
    editor_client, newsletter, django_capture_on_commit_callbacks
):
    ann = factories.create_subscriber(email="ann@example.org")
    issue = factories.create_issue(newsletter=newsletter, status=Issue.Status.SENDING)
    Delivery.objects.create(issue=issue, subscriber=ann)

    editor_client.post(reverse("admin:newsletter_issue_pause", args=[issue.pk]))
    paused = Issue.objects.get().status
    cancel_page = editor_client.get(reverse("admin:newsletter_issue_cancel", args=[issue.pk]))
    still_paused = Issue.objects.get().status
    editor_client.post(reverse("admin:newsletter_issue_cancel", args=[issue.pk]))

    assert paused == still_paused == Issue.Status.PAUSED
    assert "1 reader still waiting" in cancel_page.text
    assert Issue.objects.get().status == Issue.Status.CANCELLED
    assert Delivery.objects.get().status == Delivery.Status.CANCELLED


def test_a_step_the_status_does_not_allow_is_refused_with_a_message(editor_client, newsletter):
    issue = factories.create_issue(newsletter=newsletter, status=Issue.Status.SENT)

    response = editor_client.post(reverse("admin:newsletter_issue_resume", args=[issue.pk]))

    assert [str(m) for m in get_messages(response.wsgi_request)] == ["This issue is sent."]
    assert Issue.objects.get().status == Issue.Status.SENT


def test_the_progress_fragment_counts_each_state(editor_client, newsletter):
    issue = factories.create_issue(newsletter=newsletter, status=Issue.Status.SENDING)
    for n, status in enumerate(["sent", "sent", "sent", "failed", "queued"]):
        subscriber = factories.create_subscriber(email=f"r{n}@example.org")
        Delivery.objects.create(issue=issue, subscriber=subscriber, status=status)

    response = editor_client.get(reverse("admin:newsletter_issue_progress", args=[issue.pk]))

    assert response.text.lstrip().startswith("{#") is False
    assert 'id="issue-progress"' in response.text
    assert 'data-done="false"' in response.text
    assert '<progress max="5" value="4"' in response.text
    assert "4 of 5 readers handled (80%)" in response.text
    assert "<dt>Failed</dt><dd>1</dd>" in response.text
    assert "<html" not in response.text


def test_the_issue_list_shows_status_and_sent_of_total(editor_client, newsletter):
    issue = factories.create_issue(newsletter=newsletter, subject="Friday", status="sending")
    for n, status in enumerate(["sent", "sent", "queued"]):
        subscriber = factories.create_subscriber(email=f"r{n}@example.org")
        Delivery.objects.create(issue=issue, subscriber=subscriber, status=status)

    response = editor_client.get(reverse("admin:newsletter_issue_changelist"))

    assert "2 / 3" in response.text
    assert "Sending" in response.text


def test_the_deliveries_list_filters_an_issue_s_failures(editor_client, newsletter):
    issue = factories.create_issue(newsletter=newsletter, status="sent")
    ok = factories.create_subscriber(email="ok@example.org")
    bad = factories.create_subscriber(email="bad@example.org")
    Delivery.objects.create(issue=issue, subscriber=ok, status="sent")
    Delivery.objects.create(issue=issue, subscriber=bad, status="failed", error="550 no such")

    response = editor_client.get(
        reverse("admin:newsletter_delivery_changelist")
        + f"?issue__id__exact={issue.pk}&status__exact=failed"
    )

    assert "bad@example.org" in response.text and "550 no such" in response.text
    assert "ok@example.org" not in response.text


# Subscribers


def test_the_subscriber_list_shows_newsletters_source_and_dates_in_few_queries(
    editor_client, newsletter
):
    for n in range(60):
        factories.create_subscriber(email=f"reader{n}@example.org")
    url = reverse("admin:newsletter_subscriber_changelist")
    editor_client.get(url)  # sessions, permissions and content types warmed

    with CaptureQueriesContext(connection) as queries:
        response = editor_client.get(url)

    assert response.status_code == 200
    assert f"{escape(newsletter.name)} (confirmed)" in response.text
    assert response.text.count("(confirmed)") == 60
    assert len(queries) <= 9, [q["sql"][:90] for q in queries]


def test_subscribers_filter_by_newsletter_and_subscription_status_together(
    editor_client, newsletter
):
    other = factories.create_newsletter(name="Darkroom notes")
    factories.create_subscriber(email="both@example.org")
    Subscription.objects.create(
        subscriber=Subscriber.objects.get(email="both@example.org"),
        newsletter=other,
        status="pending",
    )
    factories.create_subscriber(email="pending@example.org", status="pending")

    response = editor_client.get(
        reverse("admin:newsletter_subscriber_changelist")
        + f"?newsletter={newsletter.pk}&subscription=pending"
    )

    assert "pending@example.org" in response.text
    assert "both@example.org" not in response.text


def test_unsubscribing_from_everything_goes_through_the_record(editor_client, newsletter):
    ann = factories.create_subscriber(email="ann@example.org")

    editor_client.post(
        reverse("admin:newsletter_subscriber_changelist"),
        {"action": "unsubscribe_everything", "_selected_action": [ann.pk]},
    )

    assert Subscription.objects.get().status == Subscription.Status.UNSUBSCRIBED
    change = SubscriptionChange.objects.get(status="unsubscribed")
    assert change.source == Source.ADMIN
    assert "editor@example.com" in change.note


@pytest.mark.parametrize(
    ("action", "status"),
    [("record_hard_bounce", "bounced"), ("record_complaint", "complained")],
)
def test_bounces_and_complaints_stop_all_mail(editor_client, newsletter, action, status):
    ann = factories.create_subscriber(email="ann@example.org")

    editor_client.post(
        reverse("admin:newsletter_subscriber_changelist"),
        {"action": action, "_selected_action": [ann.pk]},
    )

    ann.refresh_from_db()
    assert ann.status == status
    assert Subscription.objects.get().status == Subscription.Status.UNSUBSCRIBED
    assert SubscriptionChange.objects.filter(source=Source.BOUNCE).exists()


def test_ticking_and_unticking_newsletters_on_a_subscriber_is_recorded_as_staff(
    editor_client, newsletter
):
    other = factories.create_newsletter(name="Darkroom notes", is_public=False)
    ann = factories.create_subscriber(email="ann@example.org")
    url = reverse("admin:newsletter_subscriber_change", args=[ann.pk])
    form = {
        "email": "ann@example.org",
        "name": "Ann",
        "user": "",
        "subscriptions-TOTAL_FORMS": "1",
        "subscriptions-INITIAL_FORMS": "1",
        "subscriptions-MIN_NUM_FORMS": "0",
        "subscriptions-MAX_NUM_FORMS": "1000",
        "subscriptions-0-id": str(Subscription.objects.get().pk),
        "subscriptions-0-subscriber": str(ann.pk),
    }

    response = editor_client.post(url, {**form, "newsletters": [other.pk]})

    assert response.status_code == 302, response.context["adminform"].form.errors
    statuses = dict(Subscription.objects.values_list("newsletter__name", "status"))
    assert statuses == {newsletter.name: "unsubscribed", "Darkroom notes": "confirmed"}
    assert set(SubscriptionChange.objects.values_list("source", flat=True)) >= {Source.ADMIN}
    page = editor_client.get(url)
    assert "Staff, in the admin" in page.text


def test_a_pending_subscription_left_unticked_stays_pending(editor_client, newsletter):
    ann = factories.create_subscriber(email="ann@example.org", status="pending")

    editor_client.post(
        reverse("admin:newsletter_subscriber_change", args=[ann.pk]),
        {
            "email": "ann@example.org",
            "name": "",
            "user": "",
            "subscriptions-TOTAL_FORMS": "1",
            "subscriptions-INITIAL_FORMS": "1",
            "subscriptions-MIN_NUM_FORMS": "0",
            "subscriptions-MAX_NUM_FORMS": "1000",
            "subscriptions-0-id": str(Subscription.objects.get().pk),
            "subscriptions-0-subscriber": str(ann.pk),
        },
    )

    assert Subscription.objects.get().status == Subscription.Status.PENDING
