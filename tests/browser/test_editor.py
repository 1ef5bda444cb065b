"""An editor writes and publishes an article in the admin, and the reader sees it."""

from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from tests import factories


def test_editor_writes_publishes_and_views_an_article(page, live_server, transactional_db):
    factories.create_category(name="Technique", slug="technique")
    factories.create_author(name="Nell Hargreaves", slug="nell-hargreaves")
    editor = factories.create_staff(
        email="editor@example.com", password="editor-password-1", groups=("Editors",)
    )
    EmailAddress.objects.create(user=editor, email=editor.email, verified=True, primary=True)

    page.goto(live_server.url + "/admin/")
    page.locator("main").get_by_label("Email", exact=True).fill("editor@example.com")
    page.get_by_label("Password").fill("editor-password-1")
    page.get_by_role("button", name="Sign In").click()
    page.locator("a[href$='/admin/articles/article/add/']").first.click()

    # The slug fills itself from the title (the admin's own script, under our CSP).
    page.get_by_label("Title").press_sequentially("Metering for snow")
    expect(page.get_by_label("Slug")).to_have_value("metering-for-snow")
    page.get_by_label("Standfirst").fill("Why white comes out grey, and what to do about it.")
    page.get_by_label("Body").fill("## Open up\n\nGive it **one and a half stops** more.")
    page.get_by_label("Category").select_option(label="Technique")
    page.get_by_label("Author").select_option(label="Nell Hargreaves")
    page.get_by_label("Status").select_option(label="Published")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    page.get_by_role("link", name="View on site").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Metering for snow")
    expect(page.locator(".prose strong")).to_have_text("one and a half stops")
    page.goto(live_server.url + "/")
    expect(page.get_by_role("link", name="Metering for snow", exact=True)).to_be_visible()
