"""A member turns on their public profile, opens it, follows one of their comments into its
thread, and reads their own list of comments with what became of each; axe on each page.
PROFILES_SHOTS names a folder to save screenshots of every look in (desktop-light and
phone-dark only without it)."""

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from forum.comments.models import Comment
from tests import factories

SHOTS = os.environ.get("PROFILES_SHOTS")

LOOKS = [
    pytest.param(({"width": 1280, "height": 900}, "light"), id="1280-light"),
    pytest.param(({"width": 1280, "height": 900}, "dark"), id="1280-dark"),
    pytest.param(({"width": 390, "height": 844}, "light"), id="390-light"),
    pytest.param(({"width": 390, "height": 844}, "dark"), id="390-dark"),
]
if not SHOTS:
    LOOKS = LOOKS[::3]


def shot(page, name, look):
    if SHOTS:
        viewport, scheme = look
        path = Path(SHOTS) / f"{name}-{viewport['width']}-{scheme}.png"
        page.screenshot(path=path, full_page=True)


@pytest.fixture
def look(request):
    return request.param


@pytest.fixture
def ines(transactional_db):
    """A member with a discussion behind her: published comments on two articles, one
    waiting for a moderator and one taken down."""
    member = factories.create_user(email="ines.okafor@example.com", display_name="Inês Okafor")
    author = factories.create_author(name="Ada Lowe", slug="ada-lowe")
    m6 = factories.create_article(title="Living with an M6", slug="m6", author=author)
    fog = factories.create_article(title="Photographing the harbour in fog", slug="fog")
    now = timezone.now()
    writing = [
        (
            m6,
            "approved",
            30,
            "The rangefinder patch is the whole point for me: I focus on an "
            "edge, recompose, and the shutter is so quiet the dog on the quay never looks up.",
        ),
        (
            fog,
            "approved",
            20,
            "Meter for the fog itself and open up a stop and a half. The "
            "grey turns to a silver you can almost touch, and the masts stay dark.",
        ),
        (
            m6,
            "approved",
            9,
            "Mine came back from the repairer with a new light seal and a note "
            "in pencil: 'good for another forty years'. I believe it.",
        ),
        (fog, "pending", 3, "Has anyone tried a yellow filter for this? I keep meaning to."),
        (m6, "removed", 2, "Buy cheap lenses here, link in my profile!!!"),
    ]
    for article, status, hours, body in writing:
        factories.create_comment(
            article=article, user=member, body=body, status=status,
            created=now - timedelta(hours=hours),
        )  # fmt: skip
    return member


def signed_in_page(open_context, live_server, member, look):
    client = Client()
    client.force_login(member)
    viewport, scheme = look
    context = open_context(viewport=viewport, color_scheme=scheme)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context.new_page()


@pytest.mark.parametrize("look", LOOKS, indirect=True)
def test_a_member_shows_their_profile_and_follows_a_comment_into_its_thread(
    look, open_context, live_server, ines, assert_accessible
):
    page = signed_in_page(open_context, live_server, ines, look)
    profile_path = f"/members/{ines.username}/"
    # Until she chooses, there is no page about her.
    assert page.goto(live_server.url + profile_path).status == 404

    page.goto(live_server.url + "/accounts/profile/")
    expect(page.locator(".profile-fields")).to_contain_text("Off unless you turn it on")
    page.get_by_label("Show my profile page to everyone").check()
    page.get_by_label("About you").fill(
        "Harbour pilot by day, black and white by night.\nDevelops her own Tri-X in the kitchen."
    )
    page.get_by_label("Website").fill("ines-okafor.example/harbour")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("status")).to_contain_text("Your profile is saved.")
    shot(page, "profile-form", look)
    assert_accessible(page)

    page.get_by_role("link", name="your profile page").click()
    expect(page).to_have_url(live_server.url + profile_path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Inês Okafor")
    expect(page.locator(".member-card__bio")).to_contain_text("Develops her own Tri-X")
    website = page.get_by_role("link", name="ines-okafor.example/harbour")
    expect(website).to_have_attribute("href", "https://ines-okafor.example/harbour")
    expect(website).to_have_attribute("rel", "nofollow ugc noopener")
    summaries = page.locator(".comment-summary")
    expect(summaries).to_have_count(3)  # the published ones only
    expect(page.locator("main")).not_to_contain_text("yellow filter")
    expect(page.locator("main")).not_to_contain_text("cheap lenses")
    expect(page.locator("main")).not_to_contain_text("ines.okafor@")
    shot(page, "public-profile", look)
    assert_accessible(page)

    # The newest comment first; its link lands on it in its thread.
    newest = Comment.objects.filter(user=ines, status="approved").latest("created")
    summaries.first.get_by_role("link", name="Read it in the discussion").click()
    expect(page).to_have_url(re.compile(rf"/m6/.*#comment-{newest.pk}$"))
    comment = page.locator(f"#comment-{newest.pk}")
    expect(comment).to_be_in_viewport()
    # Her name beside it leads back to her page.
    comment.get_by_role("link", name="Inês Okafor", exact=True).click()
    expect(page).to_have_url(live_server.url + profile_path)

    page.get_by_role("navigation", name="Your account").get_by_role(
        "link", name="Your comments"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your comments")
    expect(page.locator(".status-tag")).to_have_text(
        ["Not published", "Awaiting moderation", "Published", "Published", "Published"]
    )
    shot(page, "own-comments", look)
    assert_accessible(page)


def test_a_refused_website_is_said_beside_the_field_and_nothing_is_lost(
    open_context, live_server, ines, assert_accessible
):
    page = signed_in_page(
        open_context, live_server, ines, ({"width": 1280, "height": 900}, "light")
    )
    page.goto(live_server.url + "/accounts/profile/")
    page.get_by_label("Show my profile page to everyone").check()
    page.get_by_label("About you").fill("Harbour pilot.")
    page.get_by_label("Website").fill("javascript:alert(1)")
    page.get_by_role("button", name="Save profile").click()

    website = page.get_by_label("Website")
    expect(website).to_have_accessible_description(
        re.compile("Please enter a full web address, like https://example.com.")
    )
    expect(page.get_by_label("About you")).to_have_value("Harbour pilot.")
    expect(page.get_by_label("Show my profile page to everyone")).to_be_checked()
    assert_accessible(page)
    assert Client().get(f"/members/{ines.username}/").status_code == 404
