"""The site settings page in the admin: moderators change the moderation settings and only
those, superusers change everything, everyone else is kept out."""

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from forum.site_settings.models import SiteSettings
from tests import factories

MODERATION = {
    "moderation_mode": "hold_all",
    "trusted_after": "2",
    "link_limit": "3",
    "blocked_words": "casino\npayday loan",
    "watched_words": "crypto",
    "flood_seconds": "20",
    "rate_limit": "4",
    "min_seconds_to_post": "2",
    "report_threshold": "5",
    "moderator_email": "hourly",
}
COMMENTS = {
    "comment_depth": "2",
    "comment_max_length": "3000",
    "edit_window_minutes": "5",
    "close_comments_after_days": "",
}
NEWSLETTER = {"newsletter_days": "Tue Thu", "newsletter_time": "08:30"}
SUPPORT = {
    "support_text": "We are **volunteers**.",
    "donation_amounts": "4 8 15",
    "donation_goal": "300",
    "free_articles_a_month": "6",
}
EVERYTHING = {**COMMENTS, **MODERATION, **NEWSLETTER, **SUPPORT}


def settings_url() -> str:
    return reverse("admin:site_settings_sitesettings_change", args=[SiteSettings.current().pk])


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def moderator_client(db):
    return client_for(factories.create_staff(email="mod@example.com", groups=("Moderators",)))


@pytest.fixture
def superuser_client(db):
    return client_for(
        factories.create_user(email="root@example.com", is_staff=True, is_superuser=True)
    )


def test_a_moderator_sees_only_the_moderation_settings(moderator_client):
    response = moderator_client.get(settings_url())

    assert response.status_code == 200
    assertContains(response, 'name="blocked_words"')
    assertContains(response, 'name="watched_words"')
    assertContains(response, 'name="moderation_mode"')
    assertNotContains(response, 'name="comment_depth"')
    assertNotContains(response, "Reply depth limit")


def test_a_moderator_saves_the_word_lists_but_cannot_change_the_reply_depth(moderator_client):
    response = moderator_client.post(settings_url(), {**MODERATION, "comment_depth": "1"})

    assert response.status_code == 302
    saved = SiteSettings.current()
    assert saved.blocked_terms == ["casino", "payday loan"]
    assert saved.watched_words == "crypto"
    assert (saved.moderation_mode, saved.report_threshold) == ("hold_all", 5)
    assert saved.comment_depth == 5  # the forged value is not a field of their form


def test_moderators_find_the_settings_on_the_admin_front_page(moderator_client):
    response = moderator_client.get(reverse("admin:index"))

    assertContains(response, reverse("admin:site_settings_sitesettings_changelist"))


def test_the_superuser_changes_every_setting(superuser_client):
    response = superuser_client.get(settings_url())
    assertContains(response, 'name="comment_depth"')
    assertContains(response, 'name="blocked_words"')

    response = superuser_client.post(settings_url(), EVERYTHING)

    assert response.status_code == 302
    saved = SiteSettings.current()
    assert saved.comment_depth == 2
    assert (saved.newsletter_days, f"{saved.newsletter_time:%H:%M}") == ("Tue Thu", "08:30")
    assert saved.donation_presets == [4, 8, 15]
    assert (saved.donation_goal, saved.free_articles_a_month) == (300, 6)


@pytest.mark.parametrize("amounts", ["5 ten 20", "0 5", "", "-3 5", "2.50"])
def test_preset_amounts_that_are_not_whole_numbers_above_zero_are_refused(
    superuser_client, amounts
):
    response = superuser_client.post(settings_url(), {**EVERYTHING, "donation_amounts": amounts})

    assert response.status_code == 200
    assertContains(
        response,
        "Give whole amounts above 0, separated by spaces" if amounts else "This field is required",
    )
    assert SiteSettings.current().donation_presets == [3, 5, 10, 25]


def test_newsletter_days_that_are_not_day_names_are_refused_beside_the_field(superuser_client):
    response = superuser_client.post(
        settings_url(), {**EVERYTHING, "newsletter_days": "Mon Funday"}
    )

    assert response.status_code == 200
    assertContains(response, "Name the days as Mon Tue Wed Thu Fri Sat Sun")
    assert SiteSettings.current().newsletter_days == "Mon Wed Fri"


@pytest.mark.parametrize("role", ["member", "editor"])
def test_members_and_editors_may_not_open_the_settings(db, role):
    user = {
        "member": lambda: factories.create_user(email="member@example.com"),
        "editor": lambda: factories.create_staff(email="editor@example.com", groups=("Editors",)),
    }[role]()
    client = client_for(user)

    assert client.get(settings_url()).status_code == (302 if role == "member" else 403)
    assert client.post(settings_url(), MODERATION).status_code in (302, 403)
    assert SiteSettings.current().blocked_words == ""


def test_anonymous_visitors_are_sent_to_the_login(db):
    response = Client().get(settings_url())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("who", ["moderator_client", "superuser_client"])
def test_the_settings_page_names_site_settings_once_in_its_breadcrumb(request, who):
    client = request.getfixturevalue(who)

    response = client.get(settings_url())

    html = response.text
    crumbs = html[html.index('<ol class="breadcrumbs">') : html.index("</ol>")]
    assert crumbs.count("Site settings") == 1
    assertContains(
        response,
        '<ol class="breadcrumbs"><li><a href="/admin/">Home</a></li>'
        '<li aria-current="page">Site settings</li></ol>',
        html=True,
    )


def test_the_settings_list_opens_the_one_row(moderator_client):
    response = moderator_client.get(reverse("admin:site_settings_sitesettings_changelist"))

    assert response.status_code == 302
    assert response["Location"] == settings_url()
