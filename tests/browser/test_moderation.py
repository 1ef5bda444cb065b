"""A moderator works the queue in the admin; readers report comments that break the rules."""

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from forum.comments.models import Ban, Comment
from forum.site_settings.models import SiteSettings
from tests import factories

from .test_comments import PASSWORD, PENDING, fill_guest, post, respond_form, sign_in

MODERATOR = "moderator@example.com"


@pytest.fixture
def moderator(transactional_db):
    user = factories.create_staff(email=MODERATOR, password=PASSWORD, groups=("Moderators",))
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def admin_login(page, live_server, email=MODERATOR):
    page.goto(live_server.url + "/admin/")
    page.locator("main").get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def member(n: int):
    user = factories.create_user(
        email=f"reader{n}@example.com", password=PASSWORD, display_name=f"Reader {n}"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_first_comment_waits_for_a_moderator_who_finds_it_first_in_the_queue(
    page, live_server, article, moderator, open_context
):
    factories.create_comment(article=article, body="An older published remark.")
    url = live_server.url + article.get_absolute_url()
    page.goto(url)
    fill_guest(page, "Does the M6 meter read the centre or the whole frame?")
    pk = post(page)
    expect(page.locator(f"#comment-{pk}")).to_contain_text(PENDING)

    desk = open_context().new_page()
    admin_login(desk, live_server)
    # The moderator lands on the admin home and the waiting count takes them to the queue.
    desk.get_by_role("link", name="1 comment waiting").first.click()
    first_row = desk.locator("#result_list tbody tr").first
    expect(first_row).to_contain_text("Does the M6 meter read the centre")
    expect(first_row).to_contain_text("first comment from this email")
    first_row.locator("input.action-select").check()
    desk.locator("select[name=action]").select_option(label="Approve")
    desk.get_by_role("button", name="Run").click()
    expect(desk.locator(".messagelist")).to_contain_text("1 comment approved")

    page.reload()
    comment = page.locator(f"#comment-{pk}")
    expect(comment).to_contain_text("Does the M6 meter read the centre")
    expect(comment).not_to_contain_text(PENDING)
    stranger = open_context().new_page()
    stranger.goto(url)
    expect(stranger.locator(f"#comment-{pk}")).to_be_visible()
    assert Comment.objects.get(pk=pk).audit_entries.filter(actor=moderator).exists()


def test_three_readers_report_a_comment_which_disappears_into_the_reported_queue(
    live_server, article, moderator, open_context, assert_accessible
):
    rude = factories.create_comment(
        article=article, name="Tomasz", body="Film shooters are wasting everyone's time."
    )
    url = live_server.url + article.get_absolute_url()
    for n in range(3):
        reader = open_context().new_page()
        member(n)
        sign_in(reader, live_server.url + "/accounts/login/", f"reader{n}@example.com")
        reader.goto(url)
        reader.get_by_role("link", name="Report the comment by Tomasz").click()
        expect(reader.get_by_role("heading", level=1)).to_have_text("Report a comment")
        if n == 0:
            assert_accessible(reader)
        reader.get_by_label("Abusive or hateful").check()
        reader.get_by_label("Anything a moderator should know?").fill(f"Report number {n + 1}")
        reader.get_by_role("button", name="Send report").click()
        expect(reader.locator(".messages, [role=status]").first).to_contain_text(
            "Thank you for the report"
        )

    anyone = open_context().new_page()
    anyone.goto(url)
    expect(anyone.locator("#comments")).not_to_contain_text("wasting everyone's time")
    expect(anyone.locator(f"#comment-{rude.pk}")).to_have_count(0)

    desk = open_context().new_page()
    admin_login(desk, live_server)
    desk.goto(live_server.url + "/admin/comments/comment/")
    desk.locator("#changelist-filter").get_by_role("link", name="Reported (1)").click()
    row = desk.locator("#result_list tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("wasting everyone's time")
    expect(row).to_contain_text("hidden after 3 reader reports")


def test_a_form_sent_the_instant_it_loads_is_refused_and_can_be_sent_again(
    page, live_server, article, form_timer
):
    page.goto(live_server.url + article.get_absolute_url())
    fill_guest(page, "Quick thoughts on the rangefinder patch.")
    respond_form(page).get_by_role("button", name="Post comment").click()

    form = respond_form(page)
    expect(form.locator(".errorlist.nonfield")).to_contain_text("That was very quick")
    expect(form.get_by_label("Comment", exact=True)).to_have_value(
        "Quick thoughts on the rangefinder patch."
    )
    form_timer(4)  # the reader took their time
    pk = post(page)
    expect(page.locator(f"#comment-{pk}")).to_contain_text(PENDING)


def test_a_banned_commenter_is_told_plainly_and_keeps_their_text(page, live_server, article):
    factories.create_ban(email="mina@example.com")
    page.goto(live_server.url + article.get_absolute_url())
    fill_guest(page, "Let me back in.", email="mina@example.com")
    respond_form(page).get_by_role("button", name="Post comment").click()

    form = respond_form(page)
    expect(form.locator(".errorlist.nonfield")).to_contain_text(
        "You can’t comment here: this email address is banned from commenting"
    )
    expect(form.get_by_label("Comment", exact=True)).to_have_value("Let me back in.")
    assert not Comment.objects.exists()


def test_a_moderator_edits_the_word_lists_and_sees_no_other_setting(
    page, live_server, moderator, assert_accessible
):
    admin_login(page, live_server)
    # The admin's front page lists the settings among the moderator's pages.
    page.locator("#content-main th").get_by_role("link", name="Site settings").click()

    expect(page.locator(".breadcrumbs li")).to_have_text(["Home", "Site settings"])
    expect(page.get_by_label("Blocked words")).to_be_visible()
    expect(page.get_by_text("Reply depth limit")).to_have_count(0)
    assert_accessible(page, "#content-main")
    page.get_by_label("Blocked words").fill("casino\npayday loan")
    page.get_by_label("Watched words").fill("crypto")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    saved = SiteSettings.current()
    assert (saved.blocked_terms, saved.watched_terms) == (["casino", "payday loan"], ["crypto"])
    assert saved.comment_depth == 5


def test_a_moderator_reads_the_reports_once_and_bans_for_a_week(
    page, live_server, article, moderator
):
    rude = factories.create_comment(
        article=article, name="Tomasz", email="tomasz@example.com", body="Film is a waste."
    )
    for note in ("Rude", "Off topic"):
        factories.create_report(comment=rude, note=note)
    factories.create_ban(email="old@example.com", reason="Link farm")
    admin_login(page, live_server)

    page.goto(f"{live_server.url}/admin/comments/comment/{rude.pk}/change/")
    expect(page.locator("#content h2").first).to_have_text(
        "Tomasz on Living with an M6: Film is a waste."
    )
    reports = page.locator("#reports-group")
    expect(reports.get_by_role("heading")).to_have_text("Reader reports")
    expect(reports.locator("tbody tr")).to_have_count(2)
    expect(reports).not_to_contain_text(f"on comment {rude.pk}")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(f"{live_server.url}/admin/comments/comment/?status=all")
    page.locator("#result_list tbody tr").first.locator("input.action-select").check()
    page.locator("select[name=action]").select_option(label="Ban the commenter")
    page.get_by_role("button", name="Run").click()
    # Giving an end picks "Until…"; a preset clears it again.
    page.get_by_label("Ends").fill("2099-01-01")
    expect(page.get_by_label("Until the day below")).to_be_checked()
    page.get_by_label("A week").check()
    expect(page.get_by_label("Ends")).to_have_value("")
    page.get_by_label("Reason").fill("Rude to readers")
    page.get_by_role("button", name="Ban", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Banned until")

    ban = Ban.objects.get(email="tomasz@example.com")
    assert 6 <= (ban.expires - ban.created).days <= 7
    page.goto(f"{live_server.url}/admin/comments/ban/")
    rows = page.locator("#result_list tbody tr")
    expect(rows.filter(has_text="tomasz@example.com")).to_contain_text("Rude to readers")
    expect(rows.filter(has_text="old@example.com").locator(".field-ends")).to_have_text("permanent")
