"""Signing up: the forms in the footer, under each article and on /newsletter/, the same answer
for any address, errors that keep what was typed, the robot trap and the rate limits; a member's
one-click subscribe from their account page."""

import pytest
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from forum.newsletter import services
from forum.newsletter.models import SignupAttempt, Source, Subscriber, Subscription
from tests import factories

from .reader_pages import input_value, last_sources, main_text, statuses, without_csrf

CONFIRMED = Subscription.Status.CONFIRMED
PENDING = Subscription.Status.PENDING
UNSUBSCRIBED = Subscription.Status.UNSUBSCRIBED
SUBSCRIBE = "/newsletter/subscribe/"


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """Send a sign-up form as a reader's browser would, running what waits for the commit."""

    def send(data, *, follow=False, ip="198.51.100.7", client=client):
        fields = {f"newsletter-{name}": value for name, value in data.items()}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(SUBSCRIBE, fields, follow=follow, REMOTE_ADDR=ip)

    return send


def signup_form(response, field_id_prefix: str) -> str:
    html = response.content.decode()
    start = html.index(f'id="{field_id_prefix}newsletter-email"')
    form_start = html.rindex("<form", 0, start)
    return html[form_start : html.index("</form>", start)]


def test_every_page_has_a_signup_form_in_the_footer(client, newsletter):
    for path in ("/", "/about/", "/newsletter/archive/"):
        form = signup_form(client.get(path), "footer-nl-")
        assert 'action="/newsletter/subscribe/#signup"' in form
        assert '<label for="footer-nl-newsletter-email">Email</label>' in form
        assert "csrfmiddlewaretoken" in form
        assert newsletter.description.replace("'", "&#x27;") in form
        assert ">Subscribe</button>" in form


def test_the_article_panel_and_the_newsletter_page_ask_for_email_and_an_optional_name(
    client, article, newsletter
):
    panel = signup_form(client.get(article.get_absolute_url()), "panel-nl-")
    page = signup_form(client.get("/newsletter/"), "id_")

    for form in (panel, page):
        assert ">Email</label>" in form
        assert ">Name</label>" in form
        assert ">Subscribe</button>" in form
    assert newsletter.description.replace("'", "&#x27;") in panel


def test_signing_up_waits_for_confirmation_and_sends_one_mail(client, post, newsletter, mailoutbox):
    response = post({"email": "Ada@Example.org", "name": "Ada Lowe"})

    assertRedirects(response, "/newsletter/check-your-email/")
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.name) == ("ada@example.org", "Ada Lowe")
    assert statuses(subscriber) == {"magazine": PENDING}
    assert last_sources(subscriber) == {"magazine": Source.FORM}
    [mail] = mailoutbox
    assert mail.to == ["ada@example.org"]
    assert "/newsletter/confirm/" in mail.body
    page = client.get(response["Location"])
    assert "Check your email" in main_text(page)
    assert "Ada@Example.org" in main_text(page)  # as typed


def test_a_get_of_the_subscribe_address_goes_to_the_newsletter_page(client, db):
    assertRedirects(client.get(SUBSCRIBE), "/newsletter/")


ADDRESS = "ada@example.org"


def in_state(state, newsletter):
    """Make ADDRESS known in `state` (or not at all)."""
    if state == "new":
        return
    if state == "bounced":
        factories.create_subscriber(email=ADDRESS, status=UNSUBSCRIBED, newsletter=newsletter)
        Subscriber.objects.filter(email=ADDRESS).update(status=Subscriber.Status.BOUNCED)
        return
    factories.create_subscriber(email=ADDRESS, status=state, newsletter=newsletter)


def test_the_answer_is_the_same_whatever_the_address_state(newsletter, post, django_db_blocker):
    answers = {}
    for state in ("new", PENDING, CONFIRMED, UNSUBSCRIBED, "bounced"):
        Subscriber.objects.all().delete()
        SignupAttempt.objects.all().delete()
        in_state(state, newsletter)
        reader = Client()
        response = post({"email": ADDRESS, "name": ""}, client=reader)
        page = reader.get(response["Location"])
        answers[state] = (response.status_code, response["Location"], without_csrf(page))

    assert len(set(answers.values())) == 1, answers.keys()


def test_over_the_silent_limit_the_answer_is_the_same_and_no_more_mail_goes(
    newsletter, post, mailoutbox
):
    answers = []
    for _ in range(services.CONFIRMATIONS_PER_ADDRESS_PER_DAY + 2):
        reader = Client()
        response = post({"email": ADDRESS}, client=reader)
        answers.append(without_csrf(reader.get(response["Location"])))

    assert len(mailoutbox) == services.CONFIRMATIONS_PER_ADDRESS_PER_DAY
    assert len(set(answers)) == 1


def test_a_confirmed_reader_signing_up_again_stays_confirmed_and_gets_no_mail(
    newsletter, post, mailoutbox
):
    subscriber = factories.create_subscriber(email=ADDRESS, newsletter=newsletter)

    post({"email": ADDRESS})

    assert statuses(subscriber) == {"magazine": CONFIRMED}
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Please give the email address the newsletter should go to."),
        ("ada at example", "That doesn’t look like an email address. Please check it."),
    ],
)
def test_a_bad_address_comes_back_on_the_newsletter_page_with_the_name_kept(
    newsletter, post, email, message
):
    response = post({"email": email, "name": "Ada <b>Lowe</b>"})

    assert response.status_code == 400
    assert response.templates[0].name == "newsletter/about.html"
    assertContains(response, message, status_code=400)
    assertContains(response, 'id="signup-errors" role="alert"', status_code=400)
    assert input_value(response, "newsletter-name") == "Ada <b>Lowe</b>"
    assert input_value(response, "newsletter-email") == (email or None)
    assert Subscriber.objects.count() == 0


def test_a_filled_in_trap_is_refused_with_what_was_typed_kept(newsletter, post, mailoutbox):
    response = post({"email": ADDRESS, "name": "Robot", "homepage": "http://spam.example"})

    assertContains(response, "Leave this field empty", status_code=400)
    assertContains(response, "This form could not be sent", status_code=400)
    assert input_value(response, "newsletter-email") == ADDRESS
    assert Subscriber.objects.count() == 0
    assert mailoutbox == []


def test_the_trap_is_hidden_from_people_and_screen_readers(client, newsletter):
    html = client.get("/newsletter/").content.decode()

    trap = html[html.index('<div class="trap">') :]
    trap = trap[: trap.index("</div>")]
    assert 'tabindex="-1"' in trap
    assert 'autocomplete="off"' in trap


def test_one_network_is_limited_but_its_neighbours_elsewhere_are_not(newsletter, post):
    for n in range(services.SIGNUPS_PER_NETWORK_PER_HOUR):
        assert post({"email": f"r{n}@example.org"}, ip=f"203.0.113.{n}").status_code == 302

    refused = post({"email": "late@example.org", "name": "Late"}, ip="203.0.113.200")
    other = post({"email": "other@example.org"}, ip="192.0.2.9")

    assertContains(refused, "Too many sign-ups have come from your network", status_code=400)
    assert input_value(refused, "newsletter-email") == "late@example.org"
    assert input_value(refused, "newsletter-name") == "Late"
    assert not Subscriber.objects.filter(email="late@example.org").exists()
    assert other.status_code == 302


def test_with_two_newsletters_the_page_offers_both_with_the_default_ticked(
    client, newsletter, post
):
    other = factories.create_newsletter(name="Darkroom notes", slug="darkroom")

    page = client.get("/newsletter/").content.decode()
    post({"email": ADDRESS, "newsletters": [other.pk], "choosing": "1"})

    assert f'value="{newsletter.pk}" id="id_newsletter-newsletters_0" checked' in page
    assert "Darkroom notes" in page
    assert statuses(Subscriber.objects.get()) == {"darkroom": PENDING}


def test_the_footer_form_subscribes_to_the_default_newsletter_when_there_are_two(newsletter, post):
    factories.create_newsletter(name="Darkroom notes", slug="darkroom")

    post({"email": ADDRESS})

    assert statuses(Subscriber.objects.get()) == {"magazine": PENDING}


def test_forms_post_with_csrf(newsletter):
    strict = Client(enforce_csrf_checks=True)

    assert strict.post(SUBSCRIBE, {"newsletter-email": ADDRESS}).status_code == 403


XSS = '<script>alert("x")</script>'


def test_a_name_and_a_description_with_markup_are_escaped(
    client, newsletter, post, mailoutbox, article, reader
):
    newsletter.description = f"Weekly <em>news</em> {XSS}"
    newsletter.save()

    post({"email": ADDRESS, "name": XSS})
    pages = [client.get(path) for path in ("/", "/newsletter/", article.get_absolute_url())]
    refused = post({"email": "bad", "name": XSS})
    client.force_login(reader)
    pages.append(client.get("/accounts/profile/"))

    for response in [*pages, refused]:
        assertNotContains(response, XSS, status_code=response.status_code)
        assertNotContains(response, "<em>news</em>", status_code=response.status_code)
    for response in pages:
        assertContains(response, "Weekly &lt;em&gt;news&lt;/em&gt;")
    [mail] = mailoutbox
    html = mail.alternatives[0][0]
    assert XSS not in html
    assert "&lt;script&gt;" in html


# A member's one-click subscribe, on their account page.


@pytest.fixture
def member_client(client, reader):
    client.force_login(reader)
    return client


def test_a_member_sees_each_newsletter_and_subscribes_in_one_click(
    member_client, reader, newsletter, mailoutbox
):
    page = member_client.get("/accounts/profile/")
    assertContains(page, '<h2 id="member-newsletters-title">Newsletter</h2>', html=True)
    assertContains(page, "Not subscribed")

    response = member_client.post(
        "/newsletter/account/", {"newsletter": newsletter.pk, "action": "subscribe"}
    )

    assertRedirects(response, "/accounts/profile/#newsletter", fetch_redirect_response=False)
    subscriber = Subscriber.objects.get(user=reader)
    assert statuses(subscriber) == {"magazine": CONFIRMED}
    assert last_sources(subscriber) == {"magazine": Source.ACCOUNT}
    assert mailoutbox == []
    assertContains(member_client.get("/accounts/profile/"), "Subscribed</span>")


def test_a_member_unsubscribes_in_one_click(member_client, reader, newsletter):
    services.subscribe_member(user=reader, newsletter=newsletter)

    member_client.post("/newsletter/account/", {"newsletter": newsletter.pk, "action": "leave"})

    subscriber = Subscriber.objects.get(user=reader)
    assert statuses(subscriber) == {"magazine": UNSUBSCRIBED}
    assert last_sources(subscriber) == {"magazine": Source.ACCOUNT}


def test_a_members_address_subscribed_by_form_is_theirs_on_the_account_page(
    member_client, reader, newsletter
):
    factories.create_subscriber(email=reader.email, newsletter=newsletter)

    assertContains(member_client.get("/accounts/profile/"), "Subscribed</span>")


def test_the_member_buttons_need_a_signed_in_member_and_a_post(client, reader, newsletter):
    data = {"newsletter": newsletter.pk, "action": "subscribe"}
    assert client.post("/newsletter/account/", data).status_code == 302  # to sign in
    assert Subscriber.objects.count() == 0
    client.force_login(reader)
    assert client.get("/newsletter/account/").status_code == 405


def test_a_new_description_shows_in_the_footer_at_once(client, newsletter):
    client.get("/")  # the footer's sentence is now cached
    newsletter.description = "Film, fixer and friends, every Tuesday."
    newsletter.save()

    footer = client.get("/").content.decode().split('class="site-footer"')[1]

    assert "Film, fixer and friends, every Tuesday." in footer
