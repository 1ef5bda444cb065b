"""The reading meter: an invitation to support the magazine after the month's free articles,
counted in a signed cookie, never shown to supporters, staff or crawlers, never blocking."""

import pytest
from django.core import signing
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains

from forum.donations import meter
from forum.donations.views import mark_supporter
from forum.site_settings.models import SiteSettings
from tests import factories
from tests.articles.test_views import ARTICLE_QUERIES, full_article  # noqa: F401

INVITATION = "You have read"
PAID_FOR = "is free to read and paid for by its readers"


@pytest.fixture
def free_articles(db):
    """Turn the meter on at `n` free articles a month."""

    def set_to(n: int) -> None:
        settings = SiteSettings.current()
        settings.free_articles_a_month = n
        settings.save()

    return set_to


@pytest.fixture
def articles(subcategory, author):
    return [
        factories.create_article(title=f"Field notes {n}", category=subcategory, author=author)
        for n in range(1, 6)
    ]


def read(client, article, **headers):
    response = client.get(article.get_absolute_url(), headers=headers)
    assert response.status_code == 200
    assertContains(response, article.title)
    return response


def invited(response) -> bool:
    return INVITATION in response.content.decode()


def meter_cookie(data: dict) -> str:
    return signing.dumps(data, salt=meter.SALT, compress=True)


def test_the_meter_is_off_by_default_no_cookie_and_no_invitation(client, subcategory, author):
    for n in range(50):
        article = factories.create_article(title=f"Darkroom diary {n}", category=subcategory)
        response = read(client, article)
        assert not invited(response)
        assert meter.COOKIE not in response.cookies
    assert meter.COOKIE not in client.cookies


def test_the_invitation_shows_from_the_article_after_the_free_ones(client, articles, free_articles):
    free_articles(2)

    first, second, third = (read(client, article) for article in articles[:3])

    assert not invited(first)
    assert not invited(second)
    assert invited(third)
    assertContains(third, "You have read 2 articles this month")
    assertContains(third, PAID_FOR)
    assertContains(third, f'<a class="button" href="{reverse("donations:support")}">'
                          "Support the magazine</a>", html=True)  # fmt: skip
    assertContains(third, '<a class="button button--secondary" href="/newsletter/">'
                          "Join the newsletter</a>", html=True)  # fmt: skip
    assertContains(third, "Not now</button>")
    # Never a paywall: the whole article is there, the invitation after it.
    html = third.content.decode()
    assert articles[2].body_html in html
    assert html.index(articles[2].body_html) < html.index(INVITATION)
    assert html.index(INVITATION) < html.index('id="comments"')


def test_reading_the_same_article_again_counts_once(client, articles, free_articles):
    free_articles(2)

    for article in [articles[0], articles[0], articles[1], articles[1], articles[0]]:
        assert not invited(read(client, article))

    assert invited(read(client, articles[2]))
    # Past the free articles, any article shows it, one read before as well.
    assert invited(read(client, articles[0]))


def test_the_cookie_holds_the_month_and_at_most_one_more_than_the_free_articles(
    client, articles, free_articles
):
    free_articles(2)

    for article in articles:
        read(client, article)

    data = signing.loads(client.cookies[meter.COOKIE].value, salt=meter.SALT)
    assert data["m"] == meter.this_month()
    assert data["a"] == [a.pk for a in articles[:3]]
    assert client.cookies[meter.COOKIE]["httponly"]


def test_a_head_request_is_not_a_read(client, articles, free_articles):
    free_articles(1)
    for article in articles:
        assert client.head(article.get_absolute_url()).status_code == 200

    assert not invited(read(client, articles[0]))
    assert invited(read(client, articles[1]))


def test_a_new_month_starts_the_count_again(client, articles, free_articles):
    free_articles(2)
    last_month = [a.pk for a in articles[:3]]
    client.cookies[meter.COOKIE] = meter_cookie({"m": "2000-01", "a": last_month, "d": True})

    assert not invited(read(client, articles[3]))

    data = signing.loads(client.cookies[meter.COOKIE].value, salt=meter.SALT)
    assert data == {"m": meter.this_month(), "a": [articles[3].pk]}


def test_a_tampered_cookie_is_ignored(client, articles, free_articles):
    free_articles(2)
    for article in articles[:3]:
        read(client, article)
    value = client.cookies[meter.COOKIE].value
    # A reader who forges "dismissed" (signed with another salt) or edits the signature.
    forged = signing.dumps({"m": meter.this_month(), "a": [], "d": True}, salt="another")
    for tampered in [forged, value[:-2] + ("AA" if not value.endswith("AA") else "BB")]:
        client.cookies[meter.COOKIE] = tampered
        for article in articles[:2]:
            assert not invited(read(client, article))
        assert invited(read(client, articles[2]))


def test_a_browser_that_gave_this_month_never_sees_it(client, articles, free_articles):
    free_articles(1)
    thanks = HttpResponse()
    mark_supporter(thanks)  # what the return page does once the gift is confirmed
    client.cookies[meter.SUPPORTER_COOKIE] = thanks.cookies[meter.SUPPORTER_COOKIE].value

    for article in articles:
        response = read(client, article)
        assert not invited(response)
        assert meter.COOKIE not in response.cookies


def test_a_supporter_cookie_from_last_month_no_longer_counts(client, articles, free_articles):
    free_articles(1)
    client.cookies[meter.SUPPORTER_COOKIE] = signing.get_cookie_signer(
        salt=meter.SUPPORTER_COOKIE + meter.SUPPORTER_SALT
    ).sign("2000-01")

    read(client, articles[0])

    assert invited(read(client, articles[1]))


def test_a_member_with_an_active_monthly_gift_never_sees_it(client, articles, free_articles):
    free_articles(1)
    member = factories.create_user()
    factories.create_donation(user=member, kind="monthly", status="active")
    client.force_login(member)

    for article in articles:
        assert not invited(read(client, article))


@pytest.mark.parametrize(
    ("kind", "status"),
    [("one_off", "paid"), ("monthly", "cancelled"), ("monthly", "pending"), (None, None)],
)
def test_a_member_without_a_running_monthly_gift_is_invited(
    client, articles, free_articles, kind, status
):
    free_articles(1)
    member = factories.create_user()
    if kind:
        factories.create_donation(user=member, kind=kind, status=status)
    client.force_login(member)

    read(client, articles[0])

    assert invited(read(client, articles[1]))


def test_a_members_gift_is_looked_up_once_a_month_and_only_when_the_invitation_would_show(
    client, articles, free_articles
):
    free_articles(2)
    member = factories.create_user()
    factories.create_donation(user=member, kind="monthly", status="active")
    client.force_login(member)

    def donation_queries(article) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert not invited(read(client, article))
        return sum('"donations_donation"' in q["sql"] for q in queries.captured_queries)

    assert [donation_queries(article) for article in articles] == [0, 0, 1, 0, 0]


def test_another_member_in_the_same_browser_is_asked_about_afresh(client, articles, free_articles):
    free_articles(1)
    giver, other = factories.create_user(), factories.create_user()
    factories.create_donation(user=giver, kind="monthly", status="active")
    client.force_login(giver)
    read(client, articles[0])
    assert not invited(read(client, articles[1]))

    client.force_login(other)

    assert invited(read(client, articles[2]))


@pytest.mark.parametrize("role", ["moderator", "editor", "superuser"])
def test_staff_never_see_it(articles, free_articles, role):
    free_articles(1)
    client = factories.client_as(role)

    for article in articles:
        response = read(client, article)
        assert not invited(response)
        assert meter.COOKIE not in response.cookies


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)",
        "Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 (KHTML, like Gecko) Applebot/0.1",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)",
        "Some-Crawler/3.0",
        "archive spider",
    ],
)
def test_crawlers_never_see_it_and_get_no_cookie(client, articles, free_articles, agent):
    free_articles(1)

    for article in articles:
        response = read(client, article, user_agent=agent)
        assert not invited(response)
        assert meter.COOKIE not in response.cookies


def test_not_now_works_without_javascript_for_the_rest_of_the_month(
    client, articles, free_articles
):
    free_articles(1)
    read(client, articles[0])
    page = articles[1].get_absolute_url()
    assertContains(read(client, articles[1]), f'name="next" value="{page}#comments"')

    response = client.post(reverse("donations:meter-dismiss"), {"next": f"{page}#comments"})

    assert response.status_code == 303
    assert response["Location"] == f"{page}#comments"
    for article in articles:
        assert not invited(read(client, article))


def test_not_now_from_the_script_is_answered_without_a_redirect(client, articles, free_articles):
    free_articles(1)
    read(client, articles[0])

    response = client.post(
        reverse("donations:meter-dismiss"),
        {"next": articles[0].get_absolute_url()},
        headers={"accept": "application/json"},
    )

    assert response.status_code == 204
    assert not invited(read(client, articles[1]))


def test_not_now_needs_the_forms_csrf_token(articles, free_articles):
    free_articles(1)
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("donations:meter-dismiss"), {"next": "/"})

    assert response.status_code == 403


@pytest.mark.parametrize(
    "elsewhere",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", ""],
)
def test_not_now_never_sends_the_reader_to_another_site(client, free_articles, elsewhere):
    free_articles(1)

    response = client.post(reverse("donations:meter-dismiss"), {"next": elsewhere})

    assert response.status_code == 303
    assert response["Location"] == "/"


def test_not_now_only_answers_a_post(client):
    assert client.get(reverse("donations:meter-dismiss")).status_code == 405


def test_a_metered_page_is_never_shared_between_readers_by_a_cache(client, articles, free_articles):
    free_articles(1)
    read(client, articles[0])

    response = read(client, articles[1])

    assert "Cookie" in response["Vary"]
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("free", [0, 1])
def test_the_article_page_keeps_its_query_count_with_the_meter_on(
    client,
    full_article,  # noqa: F811  (the article page's own fixture, with tags and links)
    subcategory,
    free_articles,
    django_assert_max_num_queries,
    free,
):
    free_articles(free)
    other = factories.create_article(title="Another roll", category=subcategory)
    read(client, other)

    with django_assert_max_num_queries(ARTICLE_QUERIES):
        response = read(client, full_article)

    assert invited(response) is bool(free)


def test_the_meter_adds_no_query_to_the_article_page(client, articles, free_articles):
    def queries_for(article) -> int:
        with CaptureQueriesContext(connection) as queries:
            read(client, article)
        return len(queries)

    read(client, articles[0])
    off = queries_for(articles[1])
    free_articles(1)
    read(client, articles[2])
    on = queries_for(articles[3])

    assert on == off
