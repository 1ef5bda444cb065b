"""A guest and a moderator in Chromium through nginx: the held comment, approved in the
admin on whichever app server nginx chose, is on the reader's page at the next reload."""

import re

from playwright.sync_api import expect

from forum.comments.models import Comment
from tests.browser.conftest import AXE_JS, format_violations, run_axe
from tests.cluster.conftest import make_article, member, unique

PASSWORD = "a-long-cluster-password"  # noqa: S105


def watch(context, errors):
    def on_console(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            errors.append(f"CSP: {message.text}")

    context.on("weberror", lambda web_error: errors.append(f"JS: {web_error.error}"))
    context.on("console", on_console)


def test_a_held_guest_comment_approved_in_the_admin_shows_on_reload(chromium, nginx, open_posting):
    site = f"http://127.0.0.1:{nginx}"
    article = make_article()
    moderator = member(moderator=True, password=PASSWORD)
    body = f"The sleeve notes on this roll are a delight ({unique('note')})."
    errors = []

    reader_context = chromium.new_context(reduced_motion="reduce")
    watch(reader_context, errors)
    reader = reader_context.new_page()
    reader.goto(site + article.get_absolute_url())
    form = reader.locator("#respond form")
    form.get_by_label("Comment", exact=True).fill(body)
    form.get_by_label("Name").fill("Ines Okafor")
    form.get_by_label("Email", exact=True).fill(f"{unique('ines')}@example.net")
    form.get_by_role("button", name="Post comment").click()
    expect(reader).to_have_url(re.compile(r"#comment-\d+$"))
    comment = Comment.objects.get(article=article, body=body)
    assert comment.status == Comment.Status.PENDING

    desk_context = chromium.new_context()
    watch(desk_context, errors)
    desk = desk_context.new_page()
    desk.goto(site + "/admin/")
    desk.locator("main").get_by_label("Email", exact=True).fill(moderator.email)
    desk.get_by_label("Password").fill(PASSWORD)
    desk.get_by_role("button", name="Sign In").click()
    desk.goto(site + "/admin/comments/comment/?status=pending")
    desk.locator(f'input[name="_selected_action"][value="{comment.pk}"]').check()
    desk.locator('select[name="action"]').select_option("approve")
    desk.locator('button[name="index"]').first.click()
    expect(desk.locator(".messagelist")).to_be_visible()

    reader.reload()
    expect(reader.locator(f"#comment-{comment.pk}")).to_contain_text(body)
    assert AXE_JS.exists(), "axe-core is missing: `make tools` installs it (make test-cluster does)"
    violations = run_axe(reader, AXE_JS.read_text())
    assert not violations, format_violations(violations)
    assert not errors, errors
    reader_context.close()
    desk_context.close()


def test_a_site_setting_saved_in_the_admin_on_app1_shows_on_app2_at_once(
    chromium, apps, http_client
):
    """The settings are cached in Redis: saving on app1 must not leave app2 a stale copy."""
    app1, app2 = apps
    editor = member(password=PASSWORD)
    editor.is_staff = editor.is_superuser = True
    editor.save()
    reader = http_client(app2)
    status, _, html = reader.get("/support/")  # app2 has the settings in its cache now
    assert status == 200
    words = f"Film costs money; so does the darkroom ({unique('appeal')})."
    assert words not in html

    context = chromium.new_context()
    desk = context.new_page()
    desk.goto(f"http://127.0.0.1:{app1}/admin/")
    desk.locator("main").get_by_label("Email", exact=True).fill(editor.email)
    desk.get_by_label("Password").fill(PASSWORD)
    desk.get_by_role("button", name="Sign In").click()
    desk.goto(f"http://127.0.0.1:{app1}/admin/site_settings/sitesettings/")
    desk.locator("#id_support_text").fill(words)
    desk.locator('input[name="_save"]').click()
    expect(desk.locator(".messagelist")).to_be_visible()
    context.close()

    status, _, html = reader.get("/support/")
    assert status == 200
    assert words in html
