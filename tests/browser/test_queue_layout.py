"""The moderation queue at 1280 pixels: nothing cut off or scrolled sideways, the comment's
text in sight, and a comment approved from the keyboard with one row action."""

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from forum.comments.models import Comment
from tests import factories

from .test_comments import PASSWORD
from .test_moderation import MODERATOR, admin_login

LONG = (
    "I have printed from Tri-X negatives for twelve years, mostly on fibre paper, and the "
    "grain in the harbour series matches what I see when I push the film two stops in "
    "Rodinal. What surprised me was the shadow detail in the third frame: did you pre-flash "
    "the paper, or is that a generous exposure at the taking stage? I would love to hear "
    "about your development times, because my own attempts at the same look come out muddy "
    "in the mid-tones however carefully I agitate. Perhaps it is the water here, which is "
    "very hard, or perhaps it is the developer, which I mix from powder every other week."
)

FITS = """() => {
    const results = document.querySelector("#changelist-form .results");
    const table = document.querySelector("#result_list");
    return {
        page: document.documentElement.scrollWidth <= window.innerWidth,
        results: results.scrollWidth <= results.clientWidth,
        table: table.getBoundingClientRect().right <= window.innerWidth,
    };
}"""


@pytest.fixture
def moderator(transactional_db):
    user = factories.create_staff(email=MODERATOR, password=PASSWORD, groups=("Moderators",))
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def queue(article):
    """A long held comment with its reasons, a short one, and a published comment reported
    by three readers."""
    long = factories.create_comment(
        article=article,
        body=LONG,
        name="Harriet Okonkwo-Baptiste",
        email="harriet.okonkwo.baptiste@a-rather-long-domain.example.org",
        status=Comment.Status.PENDING,
        status_reasons=["first comment from this email", "2 links"],
    )
    short = factories.create_comment(
        article=article, body="Which stop bath smells least?", status=Comment.Status.PENDING
    )
    reported = factories.create_comment(article=article, body=LONG.replace("Tri-X", "HP5"))
    for reason in ("abusive", "abusive", "off_topic"):
        factories.create_report(comment=reported, reason=reason)
    return {"long": long, "short": short, "reported": reported}


def shown_text(row) -> str:
    return row.locator("th.field-excerpt > a").inner_text()


@pytest.mark.parametrize("sidebar", ["open", "closed"])
def test_the_queue_and_the_reported_view_fit_1280_pixels_with_the_text_in_sight(
    page, live_server, moderator, queue, sidebar
):
    page.set_viewport_size({"width": 1280, "height": 800})
    admin_login(page, live_server)
    page.goto(live_server.url + "/admin/comments/comment/")
    if sidebar == "closed":
        page.locator("#toggle-nav-sidebar").click()
        expect(page.locator("#nav-sidebar")).to_be_hidden()

    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(2)
    assert page.evaluate(FITS) == {"page": True, "results": True, "table": True}
    long = rows.filter(has_text="Harriet Okonkwo-Baptiste")
    assert len(shown_text(long)) >= 300
    expect(long).to_contain_text("first comment from this email; 2 links")
    expect(long.get_by_role("link", name="Living with an M6")).to_be_visible()
    long.get_by_text("Show the rest").click()
    expect(long.locator("details")).to_contain_text("which I mix from powder every other week.")
    assert page.evaluate(FITS) == {"page": True, "results": True, "table": True}

    page.locator("#changelist-filter").get_by_role("link", name="Reported (1)").click()
    row = page.locator("#result_list tbody tr")
    expect(row).to_have_count(1)
    assert page.evaluate(FITS) == {"page": True, "results": True, "table": True}
    assert len(shown_text(row)) >= 300
    expect(row).to_contain_text("Reported: Abusive or hateful ×2, Off-topic")
    expect(row.locator(".field-report_count")).to_have_text("3")
    for name in ("Spam", "Remove", "Ban"):
        expect(row.get_by_role("button", name=name)).to_be_in_viewport()


def test_a_moderator_approves_a_comment_from_the_keyboard_and_lands_at_the_next_one(
    page, live_server, moderator, queue, assert_accessible
):
    page.set_viewport_size({"width": 1280, "height": 800})
    admin_login(page, live_server)
    page.goto(live_server.url + "/admin/comments/comment/")
    assert_accessible(page)

    first = page.locator("#result_list tbody tr").first
    expect(first).to_contain_text("Which stop bath smells least?")
    first.locator("th.field-excerpt > a").focus()
    approve = first.get_by_role("button", name="Approve comment by")
    for _ in range(6):
        if approve.evaluate("button => button === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(approve).to_be_focused()
    expect(approve).to_have_accessible_name(f"Approve comment by {queue['short'].name}")
    assert approve.evaluate("button => getComputedStyle(button).outlineStyle") != "none"
    page.keyboard.press("Enter")

    expect(page.locator(".messagelist")).to_contain_text(
        f"The comment by {queue['short'].name} on Living with an M6 was approved"
    )
    assert Comment.objects.get(pk=queue["short"].pk).status == Comment.Status.APPROVED
    assert queue["short"].audit_entries.filter(actor=moderator).exists()
    # The page opens at the row that took its place; Tab goes on to that row's Approve.
    assert page.url.endswith(f"#queue-row-{queue['long'].pk}")
    # Tab starts from the fragment once the page has loaded and scrolled to it (a reader
    # takes longer than that to press a key; the test must wait for it).
    page.wait_for_load_state("load")
    page.keyboard.press("Tab")
    expect(
        page.get_by_role("button", name="Approve comment by Harriet Okonkwo-Baptiste")
    ).to_be_focused()
