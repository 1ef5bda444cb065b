"""Readers discuss an article in threaded comments; a moderator approves them in the admin."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from forum.comments.models import Comment
from forum.comments.tree import THREADS_PER_PAGE
from tests import factories

PASSWORD = "darkroom-safelight-9"
PENDING = "Your comment is awaiting moderation."


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Without smooth scrolling, Playwright need not wait for each scroll to settle.
    return {**browser_context_args, "reduced_motion": "reduce"}


def respond_form(page):
    return page.locator("#respond form")


def fill_guest(page, body, *, name="Mina Hale", email="mina@example.com", website=""):
    form = respond_form(page)
    form.get_by_label("Comment", exact=True).press_sequentially(body)
    form.get_by_label("Name").press_sequentially(name)
    form.get_by_label("Email", exact=True).press_sequentially(email)
    if website:
        form.get_by_label("Website").fill(website)


def post(page) -> int:
    """Click "Post comment" and return the pk of the comment the reader lands on."""
    respond_form(page).get_by_role("button", name="Post comment").click()
    return landed_on(page)


def landed_on(page) -> int:
    expect(page).to_have_url(re.compile(r"#comment-\d+$"))
    pk = int(page.url.rpartition("-")[2])
    expect(page.locator(f"#comment-{pk}")).to_be_in_viewport()
    return pk


def reply_in(page, parent_pk: int, pk: int):
    """Comment `pk`, found only if it is nested as a reply directly under `parent_pk`."""
    return page.locator(
        f"li.comment-item:has(> #comment-{parent_pk}) > ol.comment-replies "
        f"> li.comment-item > article#comment-{pk}"
    )


def sign_in(page, url: str, email: str, *, button: str = "Sign In"):
    page.goto(url)
    page.locator("main").get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=button).click()


def test_guest_comment_is_shown_only_to_its_poster_while_pending(
    page, live_server, article, open_context
):
    url = live_server.url + article.get_absolute_url()
    page.goto(url)
    fill_guest(page, "The meter reads a stop hot under tungsten.")
    pk = post(page)

    comment = page.locator(f"#comment-{pk}")
    expect(comment.locator(".comment__text")).to_have_text(
        "The meter reads a stop hot under tungsten."
    )
    expect(comment.get_by_role("status")).to_have_text(PENDING)
    assert Comment.objects.get(pk=pk).status == Comment.Status.PENDING

    stranger = open_context().new_page()
    stranger.goto(url)
    expect(stranger.locator("#comments")).to_contain_text("No comments yet.")
    expect(stranger.get_by_text("a stop hot under tungsten")).to_have_count(0)


def test_moderator_approves_a_pending_comment_in_the_admin(
    page, live_server, article, open_context
):
    moderator = factories.create_staff(email="moderator@example.com", password=PASSWORD)
    moderator.user_permissions.add(*Permission.objects.filter(content_type__app_label="comments"))
    EmailAddress.objects.create(user=moderator, email=moderator.email, verified=True, primary=True)
    page.goto(live_server.url + article.get_absolute_url())
    fill_guest(page, "Which film did you use for the harbour frames?")
    pk = post(page)

    admin = open_context().new_page()
    sign_in(admin, live_server.url + "/admin/", "moderator@example.com")
    admin.locator("tr.model-comment").get_by_role("link", name="Comments").click()
    admin.locator("#changelist-filter").get_by_role("link", name="Pending").click()
    row = admin.locator("#result_list tbody tr", has_text="Which film did you use")
    expect(row).to_contain_text("Mina Hale <mina@example.com>")
    row.get_by_role("checkbox").check()
    admin.get_by_role("combobox", name="Action").select_option(label="Approve")
    admin.get_by_role("button", name="Run").click()  # "Go" before Django 6
    expect(admin.locator(".messagelist")).to_have_text("1 comment approved.")
    assert Comment.objects.get(pk=pk).status == Comment.Status.APPROVED

    page.reload()
    comment = page.locator(f"#comment-{pk}")
    expect(comment.locator(".comment__number")).to_have_text("#1")
    expect(comment).to_contain_text("Which film did you use for the harbour frames?")
    expect(page.get_by_text(PENDING)).to_have_count(0)


def test_reader_replies_in_place_with_javascript(page, live_server, article):
    first = factories.create_comment(article=article, name="Mina Hale", body="First light.")
    # Ravi had a comment approved before (on another article), so his reply shows at once.
    factories.create_comment(
        article=factories.create_article(), name="Ravi Shah", email="ravi@example.com"
    )
    page.goto(live_server.url + article.get_absolute_url())
    page.get_by_role("link", name="Reply to Mina Hale").click()

    respond = page.locator(f"li.comment-item:has(> #comment-{first.pk}) > #respond")
    expect(respond).to_be_visible()
    expect(respond.get_by_role("heading")).to_have_text("Reply to Mina Hale")
    expect(respond.locator("#replying-to")).to_contain_text("Replying to Mina Hale")
    expect(respond.get_by_label("Comment", exact=True)).to_be_focused()
    expect(respond.locator("input[name=parent]")).to_have_value(str(first.pk))
    fill_guest(page, "Same pier, an hour later.", name="Ravi Shah", email="ravi@example.com")
    pk = post(page)

    reply = reply_in(page, first.pk, pk)
    expect(reply).to_have_attribute("data-depth", "2")
    expect(reply).to_contain_text("Same pier, an hour later.")
    expect(reply.get_by_role("status")).to_have_count(0)
    assert Comment.objects.get(pk=pk).parent_id == first.pk


def test_reader_replies_without_javascript(live_server, article, open_context):
    first = factories.create_comment(article=article, name="Mina Hale", body="First light.")
    page = open_context(java_script_enabled=False).new_page()
    page.goto(live_server.url + article.get_absolute_url())
    page.get_by_role("link", name="Reply to Mina Hale").click()
    expect(page).to_have_url(re.compile(rf"/m6/\?replyto={first.pk}#respond$"))
    expect(page.locator("#replying-to")).to_be_visible()
    expect(page.locator("#replying-to")).to_contain_text("Replying to Mina Hale")
    # A mistake: the reply target survives the errors, and Cancel (from the form's own
    # address now, not the article's) leads back to the article.
    respond_form(page).get_by_role("button", name="Post comment").click()
    expect(page.locator("#replying-to")).to_contain_text("Replying to Mina Hale")
    page.get_by_role("link", name="Cancel reply").click()
    expect(page).to_have_url(re.compile(r"/m6/#respond$"))
    expect(page.locator("#replying-to")).to_be_hidden()
    page.get_by_role("link", name="Reply to Mina Hale").click()
    fill_guest(page, "Same pier, an hour later.", name="Ravi Shah", email="ravi@example.com")
    pk = post(page)

    reply = reply_in(page, first.pk, pk)
    expect(reply).to_have_attribute("data-depth", "2")
    expect(reply.get_by_role("status")).to_have_text(PENDING)
    assert Comment.objects.get(pk=pk).parent_id == first.pk


# (what is typed, what the reader must see of it); Markdown's typographer curls quotes.
HOSTILE_BODIES = [
    ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    ("<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"),
    ("<svg onload=alert(1)>", "<svg onload=alert(1)>"),
    ("[x](javascript:alert(1))", "[x](javascript:alert(1))"),
    ("[x](&#x6a;avascript:alert(1))", "[x](javascript:alert(1))"),
    ("[x](%6Aavascript:alert(1))", "x"),
    ("[x](jav&#x09;ascript:alert(1))", "x"),
    ("[x](vbscript:msgbox(1))", "[x](vbscript:msgbox(1))"),
    ("![x](javascript:alert(1))", "![x](javascript:alert(1))"),
    ("[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "[x](data:text/html"),
    ('<a href="javascript:alert(1)">click</a>', "javascript:alert(1)"),
    ("<a href=&#106;&#97;&#118;&#97;&#115;cript:alert(1)>e</a>", "<a href=javascript:"),
    ("<iframe src=javascript:alert(1)>", "<iframe src=javascript:alert(1)>"),
    ("<scr<script>ipt>alert(1)</script>", "<scr<script>ipt>alert(1)</script>"),
    ("<details open ontoggle=alert(1)>", "<details open ontoggle=alert(1)>"),
    (
        "<math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
        "<mglyph><style></math><img src onerror=alert(1)>",
    ),
    ("<style>*{background:url(javascript:alert(1))}</style>", "background:url("),
    ("<form action=javascript:alert(1)><button>go</button></form>", "<button>go</button>"),
    ('[t](https://example.com "t\\" onmouseover=\\"alert(1)")', "t"),
    ('[u](https://example.com/"onmouseover="alert(1))', "u"),
    ('![i](https://example.com/a.png" onerror="alert(1))', "onerror="),
    ('www.example.com/?q="><img src=x onerror=alert(1)>', "<img src=x onerror=alert(1)>"),
    ("```\n<script>alert(1)</script>\n```", "<script>alert(1)</script>"),
]
# Guests: (name, website); a javascript: website is refused first, then this one is used.
HOSTILE_GUESTS = [
    ("<img src=x onerror=alert(1)>", 'https://example.com/"onmouseover="alert(1)'),
    ('"><svg onload=alert(1)>', "https://example.com/'><script>alert(1)</script>"),
]
HOSTILE_MEMBER = "<svg onload=alert(1)> Vera"

RECORD_EXECUTION = """
window.__ran = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
    window[name] = (...args) => {
        window.__ran.push(`${name}(${args.join(",")})`);
        console.log(`payload ran: ${name}`);
    };
}
"""
# Whatever in the comment section could run script: elements, handlers, dangerous URLs.
FIND_DANGER = """section => {
    const found = [];
    for (const el of section.querySelectorAll(".comment__text *")) {
        if (/^(script|iframe|svg|img|math|style|object|embed|form)$/i.test(el.localName))
            found.push(`<${el.localName}> in a comment`);
    }
    for (const el of [section, ...section.querySelectorAll("*")]) {
        for (const attr of el.attributes) {
            if (attr.name.startsWith("on") || attr.name === "style")
                found.push(`${attr.name}= on <${el.localName}>`);
            if (/^\\s*(javascript|data|vbscript):/i.test(attr.value))
                found.push(`${attr.name}=${attr.value}`);
        }
        if (el.href && !["http:", "https:", "mailto:"].includes(new URL(el.href).protocol))
            found.push(`link to ${el.href}`);
    }
    // Handlers that need a reader's gesture get one.
    for (const el of section.querySelectorAll("*"))
        for (const type of ["mouseover", "focus", "toggle", "animationstart"])
            el.dispatchEvent(new Event(type));
    return found;
}"""


def watch_execution(context) -> list:
    """Every sign of a payload running in `context`: dialogs and recorded calls."""
    ran = []
    context.add_init_script(RECORD_EXECUTION)
    context.on("dialog", lambda dialog: (ran.append(f"dialog {dialog.message}"), dialog.dismiss()))
    context.on(
        "console", lambda message: "payload ran" in message.text and ran.append(message.text)
    )
    return ran


def danger_on(page, ran: list) -> list:
    found = page.locator("#comments").evaluate(FIND_DANGER)
    page.wait_for_timeout(100)  # let an onerror or a timer fire
    return found + ran + page.evaluate("window.__ran || []")


def test_xss_detector_notices_a_payload_that_runs(open_context):
    context = open_context()
    ran = watch_execution(context)
    page = context.new_page()
    page.set_content(
        '<section id="comments"><div class="comment__text">'
        '<img src="x" onerror="alert(1)"><a href="javascript:alert(2)">x</a></div></section>'
    )
    found = danger_on(page, ran)
    assert "<img> in a comment" in found
    assert "onerror= on <img>" in found
    assert "href=javascript:alert(2)" in found
    assert any("alert(1)" in sign or "dialog 1" in sign for sign in found)


def test_hostile_comments_names_and_websites_run_nothing(
    page, live_server, article, open_context, site_settings
):
    site_settings(rate_limit=0, flood_seconds=0)  # two dozen comments in a row
    url = live_server.url + article.get_absolute_url()
    member = factories.create_user(
        email="vera@example.com", password=PASSWORD, display_name=HOSTILE_MEMBER
    )
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    factories.create_comment(article=factories.create_article(), user=member)  # trusted
    sign_in(page, live_server.url + "/accounts/login/", "vera@example.com")
    page.goto(url)
    shown = {}
    for body, visible in HOSTILE_BODIES:
        respond_form(page).get_by_label("Comment", exact=True).fill(body)
        shown[post(page)] = visible

    guest = open_context().new_page()
    guest.goto(url)
    for name, website in HOSTILE_GUESTS:
        fill_guest(guest, f"Posted as {name}", name=name, website="javascript:alert(1)")
        respond_form(guest).get_by_role("button", name="Post comment").click()
        field = respond_form(guest).locator(".field--error")
        expect(field).to_have_count(1)
        expect(field).to_contain_text("Please enter a full web address")
        expect(field.get_by_label("Website")).to_have_value("javascript:alert(1)")
        respond_form(guest).get_by_label("Website").fill(website)
        pk = post(guest)
        Comment.objects.get(pk=pk).approve()
        shown[pk] = f"Posted as {name}"

    for bypass_csp in (False, True):
        context = open_context(bypass_csp=bypass_csp)
        ran = watch_execution(context)
        reader = context.new_page()
        reader.goto(url)
        expect(reader.locator("#comment-list article")).to_have_count(len(shown))
        assert danger_on(reader, ran) == [], f"bypass_csp={bypass_csp}"
        for pk, visible in shown.items():
            expect(reader.locator(f"#comment-{pk} .comment__text")).to_contain_text(visible)
        for name, _ in HOSTILE_GUESTS:
            expect(reader.locator(".comment__author", has_text=name)).to_have_count(1)
        expect(reader.get_by_text(HOSTILE_MEMBER).first).to_be_visible()
        # The script copies a commenter's name into the inline form: as text.
        name = HOSTILE_GUESTS[0][0]
        reader.get_by_role("link", name=f"Reply to {name}").click()
        expect(reader.locator("#respond-heading")).to_have_text(f"Reply to {name}")
        assert danger_on(reader, ran) == [], f"bypass_csp={bypass_csp}"


def test_guest_sees_each_mistake_beside_its_field_and_keeps_the_text(page, live_server, article):
    page.goto(live_server.url + article.get_absolute_url())
    respond_form(page).get_by_role("button", name="Post comment").click()
    form = respond_form(page)
    for label, message in [
        ("Comment", "Please write your comment."),
        ("Name", "Please give a name to show with your comment."),
        ("Email", "Please give your email address; it is never shown."),
    ]:
        expect(
            form.locator(".field--error", has=page.get_by_label(label, exact=True))
        ).to_contain_text(message)
        expect(form.get_by_label(label, exact=True)).to_have_accessible_description(
            re.compile(message)
        )
        expect(form.get_by_label(label, exact=True)).to_have_attribute("aria-invalid", "true")
    expect(form.locator(".field--error")).to_have_count(3)
    # Signing in instead returns to the article, not to the address the form posted to.
    expect(page.locator("#respond").get_by_role("link", name="sign in")).to_have_attribute(
        "href", "/accounts/login/?next=/articles/m6/%23respond"
    )

    long_text = "The rangefinder patch goes dim against the light. " * 40
    form.get_by_label("Comment", exact=True).fill(long_text)
    form.get_by_label("Name").fill("Mina Hale")
    form.get_by_label("Email", exact=True).fill("mina.example.com")
    form.get_by_role("button", name="Post comment").click()
    error = form.locator(".field--error")
    expect(error).to_have_count(1)
    expect(error).to_contain_text("That doesn’t look like an email address.")
    expect(error.get_by_label("Email", exact=True)).to_have_value("mina.example.com")
    expect(form.get_by_label("Comment", exact=True)).to_have_value(long_text)
    expect(form.get_by_label("Name")).to_have_value("Mina Hale")
    assert not Comment.objects.exists()


def post_twice_on_a_slow_line(page) -> int:
    """Click "Post comment", and again while the answer to the first post (which the server
    has handled) is held back, as on a slow connection. Returns how many posts were sent."""
    posts, held = [], []

    def handle(route):
        posts.append(route.request)
        if held:
            route.continue_()
        else:
            held.append((route, route.fetch(max_redirects=0)))

    page.route("**/comments/post/**", handle)
    button = respond_form(page).get_by_role("button", name="Post comment")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    # The raw mouse: Playwright's click() would wait for the first post's navigation.
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(20)
    page.mouse.click(x, y)
    page.wait_for_timeout(200)  # time for a second post to leave
    route, response = held[0]
    route.fulfill(response=response)
    landed_on(page)
    return len(posts)


def test_posting_twice_in_a_hurry_makes_one_comment(page, live_server, article, open_context):
    url = live_server.url + article.get_absolute_url()
    page.goto(url)
    fill_guest(page, "Posted with a double click.")
    assert post_twice_on_a_slow_line(page) == 1  # the script holds back the second click

    # Without JavaScript both posts reach the server: the form's one-time key must tell.
    plain = open_context(java_script_enabled=False).new_page()
    plain.goto(url)
    fill_guest(plain, "Posted twice without JavaScript.", name="Ravi Shah", email="ravi@x.org")
    assert post_twice_on_a_slow_line(plain) == 2
    assert list(Comment.objects.order_by("pk").values_list("body", flat=True)) == [
        "Posted with a double click.",
        "Posted twice without JavaScript.",
    ]


def test_show_more_comments_adds_threads_in_place_or_opens_the_next_page(
    page, live_server, article, open_context
):
    n = THREADS_PER_PAGE
    threads = [
        factories.create_comment(article=article, body=f"Thread {k} on the M6.")
        for k in range(1, n + 3)
    ]
    factories.create_comment(article=article, parent=threads[n], body="A reply on page two.")
    url = live_server.url + article.get_absolute_url()
    page.goto(url)
    items = page.locator("#comment-list > li")
    expect(items).to_have_count(n)
    page.get_by_role("link", name="Show more comments").click()
    expect(items).to_have_count(n + 2)
    new = page.locator(f"#comment-{threads[n].pk}")
    expect(new.locator(".comment__number")).to_have_text(f"#{n + 1}")
    expect(new).to_be_focused()
    expect(reply_in(page, threads[n].pk, threads[-1].pk + 1)).to_contain_text("page two")
    expect(page.locator(".comment__number").first).to_have_text("#1")
    expect(page).to_have_url(url)
    expect(page.get_by_role("link", name="Show more comments")).to_have_count(0)

    plain = open_context(java_script_enabled=False).new_page()
    plain.goto(url)
    plain.get_by_role("link", name="Show more comments").click()
    expect(plain).to_have_url(url + "?cpage=2#comments")
    expect(plain.locator(".comment__number")).to_have_text([f"#{n + 1}", f"#{n + 2}"])
    expect(plain.get_by_text(f"Thread {n + 1} on the M6.")).to_be_visible()

    # A shared link to a reply on the second page lands on that page, at the reply.
    reply = Comment.objects.get(body="A reply on page two.")
    shared = open_context().new_page()
    shared.goto(f"{url}#comment-{reply.pk}")
    expect(shared).to_have_url(f"{url}?cpage=2#comment-{reply.pk}")
    expect(shared.locator(f"#comment-{reply.pk}")).to_be_in_viewport()


def test_discussion_is_accessible_and_replying_works_from_the_keyboard(
    page, live_server, article, assert_accessible
):
    first = factories.create_comment(article=article, name="Mina Hale", body="First light.")
    factories.create_comment(article=article, parent=first, name="Ravi Shah", body="Later.")
    page.goto(live_server.url + article.get_absolute_url())
    fill_guest(page, "Does the meter work without a battery?", name="Jo Park")
    pk = post(page)
    respond_form(page).get_by_role("button", name="Post comment").click()
    expect(page.locator(f"#comment-{pk}").get_by_role("status")).to_have_text(PENDING)
    expect(respond_form(page).locator(".field--error")).to_have_count(3)
    expect(page.locator("article[data-depth='2']")).to_have_count(1)
    assert_accessible(page)

    page.goto(live_server.url + article.get_absolute_url())
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('a.comment__reply')"):
            break
    expect(page.get_by_role("link", name="Reply to Mina Hale")).to_be_focused()
    page.keyboard.press("Enter")
    expect(respond_form(page).get_by_label("Comment", exact=True)).to_be_focused()
    expect(page.locator("#respond-heading")).to_have_text("Reply to Mina Hale")
    assert_accessible(page)
