"""Bans, reader reports and trusted commenters in the admin: the "Ban the commenter" action
and its page, bans made by hand, the report list and the trust list."""

import re
from datetime import date, datetime, time, timedelta
from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from forum.articles.models import Article
from forum.comments.models import AuditEntry, Ban, Comment, TrustedCommenter
from tests import factories

from .pages import GUEST

CHANGELIST = "admin:comments_comment_changelist"
APPROVED, PENDING, REMOVED = (
    Comment.Status.APPROVED,
    Comment.Status.PENDING,
    Comment.Status.REMOVED,
)


def ask_to_ban(client, comments, **answers):
    """Choose "Ban the commenter" in the queue; with `answers`, also send the ban page."""
    data = {"action": "ban", "_selected_action": [c.pk for c in comments]}
    if answers:
        data.update(apply="Ban", **answers)
    return client.post(reverse(CHANGELIST), data)


def in_ten_days() -> date:
    return timezone.localdate() + timedelta(days=10)


def field_error(response, name: str) -> str:
    """The error shown in the form row of field `name`."""
    html = response.text
    start = html.index(f'class="form-row field-{name}')
    row = html[start : html.index('<div class="form-row', start + 1)]
    match = re.search(r'<ul class="errorlist"[^>]*>(.*?)</ul>', row, re.S)
    return unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip() if match else ""


# The "Ban the commenter" action


def test_the_ban_action_asks_what_to_ban_before_banning(article, moderator_client):
    first = factories.create_comment(article=article, body="Buy cheap lenses", **GUEST)
    second = factories.create_comment(article=article, body="Cheap lenses again", **GUEST)

    response = ask_to_ban(moderator_client, [first, second])

    assert response.status_code == 200
    assertTemplateUsed(response, "admin/comments/comment/ban.html")
    assertTemplateUsed(response, "admin/base_site.html")
    for label in (
        "Ban their email",
        "Ban their account",
        "Ban their network (the /24 or /48 their address belongs to)",
        "Ends",
        "Reason",
        "Also remove all of their comments",
    ):
        assertContains(response, f">{label}")
    assertContains(response, '<input type="date" name="ends"', count=1)
    assertContains(response, "Jo Bloggs</strong> &lt;jo@example.com&gt;", count=1)
    assertContains(response, "Buy cheap lenses")
    assertContains(response, 'name="csrfmiddlewaretoken"')
    assertContains(response, '<input type="hidden" name="action" value="ban">', html=True)
    for comment in (first, second):
        assertContains(
            response,
            f'<input type="hidden" name="_selected_action" value="{comment.pk}">',
            html=True,
        )
    assert not Ban.objects.exists()


def test_banning_from_the_queue_bans_each_commenter_once_until_the_end_day(
    article, reader, moderator, moderator_client
):
    guest = [factories.create_comment(article=article, **GUEST) for _ in range(2)]
    member = factories.create_comment(article=article, user=reader)
    ends = in_ten_days()

    response = ask_to_ban(
        moderator_client,
        [*guest, member],
        email="on",
        account="on",
        ends=ends.isoformat(),
        reason="Advertising",
    )

    assert response.status_code == 302
    assert response["Location"] == reverse(CHANGELIST)
    expires = timezone.make_aware(datetime.combine(ends, time.min))
    bans = Ban.objects.values_list(
        "email", "user_id", "ip_range", "expires", "reason", "created_by_id"
    )
    assert sorted(bans, key=str) == sorted(
        [
            ("jo@example.com", None, "", expires, "Advertising", moderator.pk),
            (reader.email, None, "", expires, "Advertising", moderator.pk),
            ("", reader.pk, "", expires, "Advertising", moderator.pk),
        ],
        key=str,
    )
    logged = AuditEntry.objects.filter(action=AuditEntry.Action.BANNED, actor=moderator)
    assert logged.count() == 3
    assert logged.filter(reason__startswith="banned jo@example.com until").exists()
    # Their comments stay unless the moderator says otherwise.
    assert set(Comment.objects.values_list("status", flat=True)) == {APPROVED}
    messages = moderator_client.get(response["Location"]).text
    assert f"Banned until {ends:%-d %B %Y}: {reader.public_name}, Jo Bloggs." in messages


def test_a_ban_without_an_end_day_lasts(article, comment, moderator_client):
    ask_to_ban(moderator_client, [comment], email="on", ends="")

    ban = Ban.objects.get()
    assert (ban.email, ban.expires, ban.is_active) == (comment.email, None, True)


def test_banning_can_remove_all_of_the_commenters_comments(
    article, subcategory, moderator, moderator_client
):
    other = factories.create_article(category=subcategory)
    theirs = [
        factories.create_comment(article=article, **GUEST),
        factories.create_comment(article=other, status=PENDING, **GUEST),
        factories.create_comment(article=other, **GUEST),
    ]
    kept = factories.create_comment(article=article)

    ask_to_ban(moderator_client, theirs[:1], email="on", remove_comments="on")

    assert [Comment.objects.get(pk=c.pk).status for c in theirs] == [REMOVED] * 3
    assert Comment.objects.get(pk=kept.pk).status == APPROVED
    assert Article.objects.get(pk=article.pk).comment_count == 1
    assert Article.objects.get(pk=other.pk).comment_count == 0
    removal = AuditEntry.objects.get(comment=theirs[1], action=AuditEntry.Action.STATUS)
    assert (removal.actor, removal.old_status, removal.new_status) == (moderator, PENDING, REMOVED)
    assert removal.reason == f"commenter banned by {moderator}"


def test_banning_their_network_bans_the_range_their_address_belongs_to(article, moderator_client):
    comment = factories.create_comment(article=article, ip="203.0.113.0")

    ask_to_ban(moderator_client, [comment], network="on")

    assert list(Ban.objects.values_list("email", "user_id", "ip_range")) == [
        ("", None, "203.0.113.0/24")
    ]


def test_a_guest_has_no_account_to_ban(article, comment, moderator_client):
    response = ask_to_ban(moderator_client, [comment], account="on")

    assert not Ban.objects.exists()
    messages = moderator_client.get(response["Location"]).text
    assert "Nothing to ban for Mina Hale: guests have no account to ban." in messages


def test_an_incomplete_ban_page_is_shown_again_with_its_errors(article, comment, moderator_client):
    response = ask_to_ban(
        moderator_client,
        [comment],
        ends=(timezone.localdate() - timedelta(days=1)).isoformat(),
        reason="x" * 301,
    )

    assert response.status_code == 200
    assertContains(response, "Please correct the errors below.")
    assertContains(response, "Choose what to ban: their email, account or network.")
    assert field_error(response, "ends") == "Choose a day after today, or leave this empty."
    assert "at most 300 characters" in field_error(response, "reason")
    assertContains(response, 'value="x')  # what was typed is kept
    assert not Ban.objects.exists()


def test_the_ban_page_from_a_comments_own_page_answers_to_the_queue(comment, moderator_client):
    response = moderator_client.post(
        reverse("admin:comments_comment_change", args=[comment.pk]),
        {"CHANGE_FORM-action": "ban", "_selected_action": [comment.pk]},
    )

    assertContains(response, f'<form method="post" action="{reverse(CHANGELIST)}" id="ban-form"')


def test_staff_who_may_not_ban_are_not_offered_the_ban_action(article, comment):
    staff = factories.create_staff(email="helper@example.com")
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_comment", "change_comment"])
    )
    client = Client()
    client.force_login(staff)

    queue = client.get(reverse(CHANGELIST), {"status": "all"})
    response = ask_to_ban(client, [comment], email="on")

    assertNotContains(queue, "Ban the commenter")
    assertNotContains(queue, "Approve and trust the commenter")
    assertContains(queue, "Mark as spam")
    assert response.status_code == 302
    assert not Ban.objects.exists()


# Bans made by hand


def add_ban(client, **fields):
    data = {"email": "", "user": "", "ip_range": "", "expires_0": "", "expires_1": ""}
    data.update(fields)
    return client.post(reverse("admin:comments_ban_add"), data)


def test_a_ban_made_by_hand_records_its_maker_and_is_logged(moderator, moderator_client):
    response = add_ban(moderator_client, email="Spam@Example.com", reason="Link farm")

    assert response.status_code == 302
    ban = Ban.objects.get()
    assert (ban.email, ban.created_by, ban.reason) == ("spam@example.com", moderator, "Link farm")
    entry = AuditEntry.objects.get()
    assert (entry.comment, entry.actor, entry.action) == (None, moderator, "banned")
    assert entry.reason == f"banned spam@example.com by {moderator}: Link farm"
    assertContains(
        moderator_client.get(reverse("admin:comments_auditentry_changelist")),
        "banned spam@example.com",
    )


def test_a_ban_made_by_hand_can_remove_their_comments(article, reader, moderator, moderator_client):
    by_account = factories.create_comment(article=article, user=reader)
    by_email = factories.create_comment(article=article, **GUEST)
    kept = factories.create_comment(article=article)

    add_ban(moderator_client, user=str(reader.pk), remove_comments="on")
    add_ban(moderator_client, email="jo@example.com", remove_comments="on")

    statuses = [Comment.objects.get(pk=c.pk).status for c in (by_account, by_email, kept)]
    assert statuses == [REMOVED, REMOVED, APPROVED]
    assert Article.objects.get(pk=article.pk).comment_count == 1
    assert AuditEntry.objects.get(comment=by_email).actor == moderator


def test_a_network_ban_made_by_hand_removes_the_comments_from_inside_the_range(
    article, moderator_client
):
    inside = factories.create_comment(article=article, ip="203.0.113.0")
    next_door = factories.create_comment(article=article, ip="203.0.112.0")
    outside = factories.create_comment(article=article, ip="198.51.100.0")
    ipv6 = factories.create_comment(article=article, ip="2001:db8:1::")

    add_ban(moderator_client, ip_range="203.0.113.0/24", remove_comments="on")
    add_ban(moderator_client, ip_range="2001:db8::/32", remove_comments="on")

    statuses = [Comment.objects.get(pk=c.pk).status for c in (inside, next_door, outside, ipv6)]
    assert statuses == [REMOVED, APPROVED, APPROVED, REMOVED]


def test_a_ban_made_by_hand_leaves_their_comments_unless_asked(article, moderator_client):
    comment = factories.create_comment(article=article, **GUEST)

    add_ban(moderator_client, email="jo@example.com")

    assert Comment.objects.get(pk=comment.pk).status == APPROVED


def test_a_ban_needs_someone_to_ban(moderator_client):
    response = add_ban(moderator_client, reason="Who, though?")

    assertContains(response, "Give an email, an account or a network address to ban.")
    assert not Ban.objects.exists()
    assert not AuditEntry.objects.exists()


def test_only_the_add_form_offers_to_remove_their_comments(moderator_client):
    ban = factories.create_ban(email="jo@example.com")

    assertContains(moderator_client.get(reverse("admin:comments_ban_add")), "remove_comments")
    change = moderator_client.get(reverse("admin:comments_ban_change", args=[ban.pk]))
    assertNotContains(change, "remove_comments")


@pytest.mark.parametrize(
    ("in_force", "shown"), [("active", ["lasting", "for now"]), ("expired", ["over"])]
)
def test_the_ban_list_tells_active_bans_from_ended_ones(moderator_client, in_force, shown):
    now = timezone.now()
    factories.create_ban(email="lasting@example.com")
    factories.create_ban(email="for-now@example.com", expires=now + timedelta(days=1))
    factories.create_ban(email="over@example.com", expires=now - timedelta(days=1))

    response = moderator_client.get(
        reverse("admin:comments_ban_changelist"), {"in_force": in_force}
    )

    listed = re.findall(r'<th class="field-target"><a [^>]*>([\w-]+)@', response.text)
    assert sorted(listed) == sorted(s.replace(" ", "-") for s in shown)


def test_the_ban_list_shows_what_each_ban_stops_and_who_made_it(reader, moderator_client):
    factories.create_ban(user=reader, expires=timezone.now() - timedelta(hours=1))
    Ban.objects.update(created_by=reader)

    response = moderator_client.get(reverse("admin:comments_ban_changelist"))

    assertContains(response, f"the account {reader}")
    assertContains(response, '<td class="field-active"><img src="/static/admin/img/icon-no.svg"')
    assertContains(response, f"by {reader}</td>")
    for column in ("Banned", "Reason", "Ends", "Made"):
        assertContains(response, column)


def test_the_ban_list_names_everything_one_ban_stops(reader, moderator_client):
    factories.create_ban(email="jo@example.com", user=reader, ip_range="203.0.113.0/24")

    response = moderator_client.get(reverse("admin:comments_ban_changelist"))

    assertContains(
        response, f"jo@example.com<br>the account {reader}<br>the network 203.0.113.0/24"
    )


def test_the_ban_list_shows_each_bans_reason_and_end(moderator_client):
    ends = timezone.now() + timedelta(days=3)
    factories.create_ban(email="lasting@example.com", reason="Link farm")
    factories.create_ban(email="cooling@example.com", expires=ends, reason="Heated thread")

    response = moderator_client.get(reverse("admin:comments_ban_changelist"))

    assertContains(response, '<td class="field-reason">Link farm</td>', html=True)
    assertContains(response, '<td class="field-reason">Heated thread</td>', html=True)
    assertContains(response, '<td class="field-ends">permanent</td>', html=True)
    assertContains(
        response,
        f'<td class="field-ends">{timezone.localtime(ends):%-d %b %Y, %H:%M}</td>',
        html=True,
    )


PRESETS = [("day", timedelta(days=1)), ("week", timedelta(weeks=1)), ("month", timedelta(days=30))]


@pytest.mark.parametrize(("length", "lasts"), PRESETS)
def test_the_ban_action_offers_preset_lengths(article, comment, moderator_client, length, lasts):
    before = timezone.now()

    ask_to_ban(moderator_client, [comment], email="on", length=length, ends="")

    ban = Ban.objects.get()
    assert before + lasts <= ban.expires <= timezone.now() + lasts


@pytest.mark.parametrize(("length", "lasts"), PRESETS)
def test_a_ban_made_by_hand_offers_preset_lengths(moderator_client, length, lasts):
    before = timezone.now()

    response = add_ban(moderator_client, email="spam@example.com", length=length)

    assert response.status_code == 302
    ban = Ban.objects.get()
    assert before + lasts <= ban.expires <= timezone.now() + lasts


def test_both_ban_forms_offer_a_day_a_week_a_month_for_good_or_a_chosen_end(
    comment, moderator_client
):
    action = ask_to_ban(moderator_client, [comment])
    by_hand = moderator_client.get(reverse("admin:comments_ban_add"))

    for response, until in ((action, "Until the day below"), (by_hand, "Until the end below")):
        for value, label in [
            ("day", "A day"),
            ("week", "A week"),
            ("month", "A month"),
            ("for-good", "For good"),
            ("until", until),
        ]:
            assertContains(response, f'value="{value}"')
            assertContains(response, label)
        assertContains(response, 'value="for-good" class="ban-length" id="id_length_3" checked')
        assertContains(response, "admin-extra/ban-length.js")


def test_for_good_and_a_chosen_end_still_ban_as_asked(article, moderator_client):
    first = factories.create_comment(article=article, email="a@example.com")
    second = factories.create_comment(article=article, email="b@example.com")
    ends = in_ten_days()

    ask_to_ban(moderator_client, [first], email="on", length="for-good", ends="")
    ask_to_ban(moderator_client, [second], email="on", length="until", ends=ends.isoformat())

    assert Ban.objects.get(email="a@example.com").expires is None
    assert timezone.localtime(Ban.objects.get(email="b@example.com").expires).date() == ends


def test_a_preset_length_and_an_end_together_are_sent_back(comment, moderator_client):
    response = ask_to_ban(
        moderator_client, [comment], email="on", length="week", ends=in_ten_days().isoformat()
    )

    assert response.status_code == 200
    assert field_error(response, "length").startswith("You gave an end as well")
    assert not Ban.objects.exists()


def test_until_without_an_end_is_sent_back(comment, moderator_client):
    response = ask_to_ban(moderator_client, [comment], email="on", length="until", ends="")

    assert field_error(response, "ends") == "Give the end, or choose a length above."
    assert not Ban.objects.exists()


# Reader reports and trusted commenters


def test_reader_reports_are_listed_read_only_and_filter_by_reason(
    article, reader, moderator_client
):
    comment = factories.create_comment(article=article, body="Rude remark")
    factories.create_report(comment=comment, user=reader, reason="abusive", note="Too far")
    factories.create_report(comment=comment, reason="spam", ip="203.0.113.0")
    url = reverse("admin:comments_report_changelist")

    everything = moderator_client.get(url)
    abusive = moderator_client.get(url, {"reason__exact": "abusive"})

    assertContains(everything, "Too far")
    assertContains(everything, "guest")
    assertContains(everything, reverse("admin:comments_comment_change", args=[comment.pk]))
    assertContains(abusive, "Too far")
    assertNotContains(abusive, "Spam or advertising</td>")
    assertNotContains(everything, reverse("admin:comments_report_add"))
    assert moderator_client.get(reverse("admin:comments_report_add")).status_code == 403


def test_a_moderator_trusts_a_guest_by_email(moderator, moderator_client):
    response = moderator_client.post(
        reverse("admin:comments_trustedcommenter_add"), {"email": "Jo@Example.com", "user": ""}
    )

    assert response.status_code == 302
    trust = TrustedCommenter.objects.get()
    assert (trust.email, trust.user, trust.created_by) == ("jo@example.com", None, moderator)
    assert TrustedCommenter.vouches_for(email="jo@example.com")
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.comment) == ("trusted", moderator, None)


@pytest.mark.parametrize("given", ["neither", "both"])
def test_trust_goes_to_an_email_or_an_account(reader, moderator_client, given):
    data = {"email": "", "user": ""}
    if given == "both":
        data = {"email": "jo@example.com", "user": str(reader.pk)}

    response = moderator_client.post(reverse("admin:comments_trustedcommenter_add"), data)

    assertContains(response, "Give either an email (for a guest) or an account (a member).")
    assert not TrustedCommenter.objects.exists()


def test_a_moderator_withdraws_trust(reader, moderator_client):
    trust = factories.create_trusted_commenter(user=reader)
    url = reverse("admin:comments_trustedcommenter_changelist")

    assertContains(moderator_client.get(url), str(reader))
    moderator_client.post(
        reverse("admin:comments_trustedcommenter_delete", args=[trust.pk]), {"post": "yes"}
    )

    assert not TrustedCommenter.objects.exists()
