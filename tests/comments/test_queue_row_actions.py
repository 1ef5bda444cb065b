"""The queue's one-click row actions (Approve, Spam, Remove, Ban) and what each row shows:
the whole text (or its first 300 characters and the rest on demand), the article, the date,
why the comment is held and its open reports."""

import re
from html import unescape
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from forum.comments.models import AuditEntry, Ban, Comment
from tests import factories

CHANGELIST = "admin:comments_comment_changelist"
APPROVED, PENDING = Comment.Status.APPROVED, Comment.Status.PENDING
SPAM, REMOVED = Comment.Status.SPAM, Comment.Status.REMOVED
LONG = " ".join(["The harbour frames hold their shadows better than any I printed."] * 12)


def moderate_url(comment, **query) -> str:
    url = reverse("admin:comments_comment_moderate", args=[comment.pk])
    return f"{url}?{urlencode(query)}" if query else url


def status_of(comment) -> str:
    return Comment.objects.get(pk=comment.pk).status


def staff_with(*codenames: str):
    """A staff member with only these permissions on comments."""
    user = factories.create_staff(email=f"{'-'.join(codenames) or 'nobody'}@example.com")
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="comments", codename__in=codenames)
    )
    return user


def client_for(user, **options) -> Client:
    client = Client(**options)
    client.force_login(user)
    return client


def buttons(response) -> list[str]:
    """Each row action button's accessible name, in page order."""
    html = response.content.decode()
    found = re.findall(r'<button [^>]*name="do"[^>]*>(.*?)</button>', html, re.S)
    return [unescape(re.sub(r"<[^>]+>", "", name)) for name in found]


@pytest.fixture
def held(article):
    return factories.create_comment(
        article=article,
        body="Does the M6 meter read the centre?",
        name="Mina Hale",
        email="mina@example.com",
        status=PENDING,
        status_reasons=["first comment from this email"],
    )


@pytest.mark.parametrize(
    ("do", "status"), [("approve", APPROVED), ("spam", SPAM), ("remove", REMOVED)]
)
def test_each_row_action_changes_the_status_and_logs_the_moderator(
    held, moderator, moderator_client, do, status
):
    response = moderator_client.post(moderate_url(held), {"do": do})

    assert response.status_code == 302
    assert status_of(held) == status
    entry = AuditEntry.objects.filter(comment=held).latest("pk")
    assert (entry.actor, entry.old_status, entry.new_status) == (moderator, PENDING, status)
    assert str(moderator) in entry.reason


def test_a_row_action_names_the_comment_and_a_removed_comment_leaves_the_pending_view(
    held, moderator_client
):
    other = factories.create_comment(article=held.article, body="Still waiting", status=PENDING)

    response = moderator_client.post(moderate_url(held), {"do": "remove"}, follow=True)

    assertContains(
        response,
        "The comment by Mina Hale on Living with an M6 was removed: "
        "“Does the M6 meter read the centre?”",
    )
    assertNotContains(response, "Does the M6 meter read the centre?</a>")
    assertContains(response, f'id="queue-row-{other.pk}"')


def test_a_row_action_returns_to_the_same_list_and_filters_at_the_next_row(held, moderator_client):
    after = factories.create_comment(article=held.article, status=PENDING)
    filters = "status=pending&q=meter&p=1"

    response = moderator_client.post(
        moderate_url(held, _changelist_filters=filters, next=after.pk), {"do": "approve"}
    )

    assert response.url == f"{reverse(CHANGELIST)}?{filters}#queue-row-{after.pk}"


def test_the_queue_posts_row_actions_to_their_comment_with_the_lists_filters(
    held, moderator_client
):
    after = factories.create_comment(
        article=held.article, body="Does the meter lie?", status=PENDING
    )

    response = moderator_client.get(reverse(CHANGELIST), {"q": "meter"})

    html = response.content.decode()
    query = urlencode({"next": after.pk, "_changelist_filters": "q=meter"})
    assert f'formaction="{moderate_url(held)}?{query}"'.replace("&", "&amp;") in html


def test_row_actions_refuse_get(held, moderator_client):
    response = moderator_client.get(moderate_url(held), {"do": "approve"})

    assert response.status_code == 405
    assert status_of(held) == PENDING


def test_an_unknown_row_action_changes_nothing(held, moderator_client):
    response = moderator_client.post(moderate_url(held), {"do": "delete"})

    assert response.status_code == 400
    assert status_of(held) == PENDING


@pytest.mark.parametrize("token", [None, "forged" * 8])
def test_a_row_action_without_the_pages_csrf_token_is_refused(held, moderator, token):
    client = client_for(moderator, enforce_csrf_checks=True)
    data = {"do": "spam"} if token is None else {"do": "spam", "csrfmiddlewaretoken": token}

    response = client.post(moderate_url(held), data)

    assert response.status_code == 403
    assert status_of(held) == PENDING
    assert not AuditEntry.objects.filter(comment=held, actor=moderator).exists()


def test_a_row_action_sent_from_the_queues_form_passes_the_csrf_check(held, moderator):
    client = client_for(moderator, enforce_csrf_checks=True)
    page = client.get(reverse(CHANGELIST)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    response = client.post(moderate_url(held), {"do": "approve", "csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert status_of(held) == APPROVED


def test_each_row_offers_its_actions_named_for_the_commenter(held, moderator_client):
    response = moderator_client.get(reverse(CHANGELIST))

    assert buttons(response) == [
        "Approve comment by Mina Hale",
        "Spam comment by Mina Hale",
        "Remove comment by Mina Hale",
        "Ban commenter Mina Hale",
    ]


def test_a_published_reported_comment_is_offered_keep_which_settles_the_reports(
    article, moderator_client
):
    shown = factories.create_comment(article=article, name="Tomasz")
    factories.create_report(comment=shown)
    url = reverse(CHANGELIST)

    response = moderator_client.get(url, {"status": "reported"})

    assert buttons(response) == [
        "Keep comment by Tomasz",
        "Spam comment by Tomasz",
        "Remove comment by Tomasz",
        "Ban commenter Tomasz",
    ]
    moderator_client.post(reverse("admin:comments_comment_moderate", args=[shown.pk]),
                          {"do": "approve"})  # fmt: skip
    shown.refresh_from_db()
    assert (shown.status, shown.report_count) == (Comment.Status.APPROVED, 0)
    assert buttons(moderator_client.get(url, {"status": "reported"})) == []


def test_a_moderator_sees_only_the_row_actions_their_permissions_allow(held):
    cannot_ban = client_for(staff_with("view_comment", "change_comment"))
    looks_only = client_for(staff_with("view_comment", "add_ban"))

    assert buttons(cannot_ban.get(reverse(CHANGELIST))) == [
        "Approve comment by Mina Hale",
        "Spam comment by Mina Hale",
        "Remove comment by Mina Hale",
    ]
    assert buttons(looks_only.get(reverse(CHANGELIST))) == ["Ban commenter Mina Hale"]


@pytest.mark.parametrize(
    ("codenames", "do"),
    [
        (("view_comment", "add_ban"), "approve"),
        (("view_comment", "add_ban"), "remove"),
        (("view_comment", "change_comment"), "ban"),
        ((), "spam"),
    ],
)
def test_a_forged_row_action_without_the_permission_is_forbidden(held, codenames, do):
    client = client_for(staff_with(*codenames))

    response = client.post(moderate_url(held), {"do": do})

    assert response.status_code == 403
    assert status_of(held) == PENDING
    assert not Ban.objects.exists()


def test_an_editor_cannot_use_row_actions(held, editor_client):
    response = editor_client.post(moderate_url(held), {"do": "approve"})

    assert response.status_code == 403
    assert status_of(held) == PENDING


def test_the_ban_row_action_opens_the_ban_form_for_that_commenter_and_returns_to_the_list(
    held, moderator_client
):
    filters = "status=pending&q=meter"

    form = moderator_client.post(moderate_url(held, _changelist_filters=filters), {"do": "ban"})

    assert form.status_code == 200
    assertContains(form, "<strong>Mina Hale</strong> &lt;mina@example.com&gt;", html=False)
    answer_url = f"{reverse(CHANGELIST)}?{filters}"
    assertContains(form, f'action="{answer_url.replace("&", "&amp;")}"')
    assertContains(form, f'<input type="hidden" name="_selected_action" value="{held.pk}">')

    response = moderator_client.post(
        answer_url,
        {
            "action": "ban",
            "_selected_action": [held.pk],
            "apply": "Ban",
            "email": "on",
            "length": "week",
            "reason": "Rude",
        },
    )

    assert response.status_code == 302
    assert response.url == answer_url
    assert Ban.objects.get().email == "mina@example.com"


def test_a_long_comment_shows_its_first_300_characters_and_the_rest_on_demand(
    article, moderator_client
):
    factories.create_comment(article=article, body=LONG, status=PENDING)

    html = moderator_client.get(reverse(CHANGELIST)).content.decode()

    shown = unescape(
        re.search(r'<th class="field-excerpt"><a href="[^"]*">(.*?)</a>', html).group(1)
    )
    rest = unescape(re.search(r"<details[^>]*>.*?<p[^>]*>(.*?)</p>", html, re.S).group(1))
    assert len(shown) >= 300
    assert LONG.startswith(shown.removesuffix("…"))
    assert f"{shown.removesuffix('…')} {rest}" == LONG
    assert "Show the rest" in html


def test_a_row_shows_the_article_the_date_the_reasons_and_the_open_reports(
    article, moderator_client
):
    held = factories.create_comment(
        article=article,
        body="Hidden by readers",
        status=PENDING,
        status_reasons=["hidden after 3 reader reports"],
    )
    factories.create_report(comment=held, reason="abusive")
    factories.create_report(comment=held, reason="abusive")
    factories.create_report(comment=held, reason="off_topic")

    response = moderator_client.get(reverse(CHANGELIST), {"status": "reported"})

    assertContains(response, f'<a href="{article.get_absolute_url()}">Living with an M6</a>')
    assertContains(response, "minutes ago</time>")
    assertContains(response, "hidden after 3 reader reports")
    assertContains(response, "Reported: Abusive or hateful ×2, Off-topic")
