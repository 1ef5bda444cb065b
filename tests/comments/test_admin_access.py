"""Who may open each moderation page of the admin: anonymous visitors and members are sent to
the admin's login, moderators work the queue and the moderation settings but leave articles
and the other site settings alone,
editors see no moderation page, superusers see everything."""

import pytest
from django.test import Client
from django.urls import reverse

from forum.site_settings.models import SiteSettings
from tests import factories

OK, FORBIDDEN, LOGIN = 200, 403, "login"

# Each page, and what each role gets there.
MATRIX = {
    #                       anonymous member  moderator  editor     superuser
    "comment changelist": (LOGIN, LOGIN, OK, FORBIDDEN, OK),
    "comment change page": (LOGIN, LOGIN, OK, FORBIDDEN, OK),
    "ban action page": (LOGIN, LOGIN, OK, FORBIDDEN, OK),
    "ban changelist": (LOGIN, LOGIN, OK, FORBIDDEN, OK),
    "ban add": (LOGIN, LOGIN, OK, FORBIDDEN, OK),
    "report changelist": (LOGIN, LOGIN, OK, FORBIDDEN, OK),
    "trusted commenter changelist": (LOGIN, LOGIN, OK, FORBIDDEN, OK),
    "audit log changelist": (LOGIN, LOGIN, OK, FORBIDDEN, OK),
    # Moderators see the moderation settings only (tests/site_settings/test_admin.py).
    "site settings change page": (LOGIN, LOGIN, OK, FORBIDDEN, OK),
    "article add": (LOGIN, LOGIN, FORBIDDEN, OK, OK),
}
ROLES = factories.ROLES


def open_page(client: Client, page: str, comment):
    if page == "ban action page":
        return client.post(
            reverse("admin:comments_comment_changelist"),
            {"action": "ban", "_selected_action": [comment.pk]},
        )
    url = {
        "comment changelist": reverse("admin:comments_comment_changelist"),
        "comment change page": reverse("admin:comments_comment_change", args=[comment.pk]),
        "ban changelist": reverse("admin:comments_ban_changelist"),
        "ban add": reverse("admin:comments_ban_add"),
        "report changelist": reverse("admin:comments_report_changelist"),
        "trusted commenter changelist": reverse("admin:comments_trustedcommenter_changelist"),
        "audit log changelist": reverse("admin:comments_auditentry_changelist"),
        "site settings change page": reverse(
            "admin:site_settings_sitesettings_change", args=[SiteSettings.current().pk]
        ),
        "article add": reverse("admin:articles_article_add"),
    }[page]
    return client.get(url)


@pytest.mark.parametrize(
    ("page", "role", "expected"),
    [
        (page, role, outcome)
        for page, outcomes in MATRIX.items()
        for role, outcome in zip(ROLES, outcomes, strict=True)
    ],
)
def test_each_role_reaches_only_its_moderation_pages(comment, page, role, expected):
    response = open_page(factories.client_as(role), page, comment)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    else:
        assert response.status_code == expected


def test_the_ban_action_page_is_the_ban_form_for_those_who_may_ban(comment):
    response = open_page(factories.client_as("moderator"), "ban action page", comment)

    assert [t.name for t in response.templates][0] == "admin/comments/comment/ban.html"
