"""Public member profiles (opt-in, at /members/<username>/) and a member's own list of comments
with what became of each (/accounts/profile/comments/)."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from forum.articles.models import Article
from forum.comments.models import Comment
from tests import factories

PROFILE = reverse("members:profile")
OWN_COMMENTS = reverse("members:comments")


def profile_url(member) -> str:
    return reverse("public_profiles:detail", kwargs={"username": member.username})


def form_data(**changes) -> dict:
    return {"display_name": "", "bio": "", "website": "", **changes}


def field_error(response, field: str) -> str:
    match = re.search(
        rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', response.content.decode(), re.S
    )
    return unescape(re.sub(r"<[^>]+>", "", match.group(1))) if match else ""


def page_of(response) -> str:
    """The page, less the form token that differs at every answer."""
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", response.content.decode())


@pytest.fixture
def mina(db):
    return factories.create_user(
        email="mina.hale@example.com",
        username="minahale",
        display_name="Mina Hale",
        bio="Shoots Tri-X on the harbour wall.\nPrints at home.",
        website="https://minahale.example/photos/",
        public_profile=True,
    )


@pytest.fixture
def mina_client(mina):
    client = Client()
    client.force_login(mina)
    return client


# -- Who sees the public page --------------------------------------------------------------


@pytest.mark.parametrize("role", factories.ROLES)
def test_everyone_sees_the_page_of_a_member_who_chose_to_show_it(role, mina):
    response = factories.client_as(role).get(profile_url(mina))

    assert response.status_code == 200
    assert response.context["member"] == mina
    assert b"<h1><bdi>Mina Hale</bdi></h1>" in response.content


@pytest.mark.parametrize("role", [*factories.ROLES, "the member"])
def test_nobody_sees_the_page_of_a_member_who_did_not_choose_to_show_it(role, mina):
    mina.public_profile = False
    mina.save()
    client = factories.client_as(role) if role != "the member" else Client()
    if role == "the member":
        client.force_login(mina)

    response = client.get(profile_url(mina))
    unknown = client.get(profile_url(get_user_model()(username="nobody8")))

    assert response.status_code == unknown.status_code == 404
    # The same answer as for a name nobody has (but for the address it names): nothing tells
    # a member from a stranger.
    assert page_of(response).replace("minahale", "nobody8") == page_of(unknown)
    assert role == "the member" or b"Mina Hale" not in response.content


def test_a_closed_account_shows_no_page_even_if_it_had_chosen_to(client, mina):
    mina.is_active = False
    mina.save()

    assert client.get(profile_url(mina)).status_code == 404


def test_the_page_shows_who_the_member_is_and_never_their_email(client, mina):
    response = client.get(profile_url(mina))

    page = response.content.decode()
    assert "Shoots Tri-X on the harbour wall.<br>Prints at home." in page
    assert (
        '<a href="https://minahale.example/photos/" rel="nofollow ugc noopener">'
        "minahale.example/photos</a>" in page
    )
    assert f'Member since <time datetime="{mina.date_joined:%Y-%m-%d}">' in page
    assert '<span class="avatar avatar--' in page  # initials, as beside the comments
    assert "mina.hale@" not in page and "example.com" not in page
    assert '<meta name="robots" content="noindex">' in page


def test_the_page_shows_only_published_comments_on_public_articles(client, mina, article):
    draft = factories.create_article(title="Still a draft", status=Article.Status.DRAFT)
    scheduled = factories.create_article(
        title="Coming Friday", published_at=timezone.now() + timedelta(days=2)
    )
    shown = factories.create_comment(article=article, user=mina, body="Published and kept.")
    for status in (Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.REMOVED):
        factories.create_comment(
            article=article, user=mina, body=f"Secret {status} words.", status=status
        )
    deleted = factories.create_comment(article=article, user=mina, body="Secret deleted words.")
    factories.create_comment(article=article, parent=deleted, body="A reply keeps it.")
    Comment.objects.filter(pk=deleted.pk).update(status="removed", deleted=timezone.now())
    factories.create_comment(article=draft, user=mina, body="Secret draft words.")
    factories.create_comment(article=scheduled, user=mina, body="Secret scheduled words.")
    factories.create_comment(article=article, body="Secret words of someone else.")

    response = client.get(profile_url(mina))

    page = response.content.decode()
    assert [comment.pk for comment in response.context["page"]] == [shown.pk]
    assert "Published and kept." in page
    assert f'href="{shown.get_absolute_url()}"' in page
    assert f'<a href="{article.get_absolute_url()}">Living with an M6</a>' in page
    assert "Secret" not in page and "Still a draft" not in page and "Coming Friday" not in page
    assert "1 comment</h2>" in page


def test_comments_are_newest_first_twenty_a_page(client, mina, article):
    now = timezone.now()
    made = [
        factories.create_comment(
            article=article, user=mina, body=f"Note {n}", created=now - timedelta(hours=n)
        )
        for n in range(25)
    ]

    first = client.get(profile_url(mina))
    second = client.get(profile_url(mina), {"page": 2})

    assert [c.pk for c in first.context["page"]] == [c.pk for c in made[:20]]
    assert [c.pk for c in second.context["page"]] == [c.pk for c in made[20:]]
    assert b'rel="next" href="?page=2">Older comments' in first.content


def test_a_long_comment_is_cut_to_an_excerpt_of_its_text(client, mina, article):
    body = "**Grain** matters. " + "Silver halide and patience. " * 20
    factories.create_comment(article=article, user=mina, body=body)

    [comment] = client.get(profile_url(mina)).context["page"]

    assert comment.excerpt.startswith("Grain matters. Silver halide")  # text, not Markdown
    assert len(comment.excerpt) == 200 and comment.excerpt.endswith("…")


@pytest.mark.parametrize("count", [1, 25])
def test_the_page_reads_the_same_few_queries_whatever_the_count(
    client, mina, article, subcategory, count, django_assert_num_queries
):
    articles = [article, factories.create_article(title="Another", category=subcategory)]
    for n in range(count):
        factories.create_comment(article=articles[n % 2], user=mina)

    # The member, the count of their comments, one page of them with their articles; the
    # header's sections and the footer's newsletter.
    with django_assert_num_queries(5):
        response = client.get(profile_url(mina))

    assert len(response.context["page"]) == min(count, 20)


# -- What the member writes about themselves -----------------------------------------------

HOSTILE_BIOS = [
    "<script>alert('bio')</script>",
    '<img src=x onerror="alert(1)">',
    '"><a href="javascript:alert(1)">click</a>',
    "<b onmouseover=alert(1)>hover</b>",
]


@pytest.mark.parametrize("bio", HOSTILE_BIOS)
def test_a_hostile_bio_is_shown_as_the_text_it_is(client, mina, mina_client, bio):
    response = mina_client.post(PROFILE, form_data(bio=bio, public_profile="on"))
    assert response.status_code == 302

    page = client.get(profile_url(mina)).content.decode()

    bio_html = re.search(r'<p class="member-card__bio">(.*?)</p>', page, re.S).group(1)
    assert "<" not in bio_html and unescape(bio_html) == bio


@pytest.mark.parametrize(
    "website",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://files.example/",
        'https://x.example/" onmouseover="alert(1)',
    ],
)
def test_a_website_that_is_not_a_web_address_is_refused_beside_the_field(
    mina_client, mina, website
):
    response = mina_client.post(
        PROFILE, form_data(display_name="Mina H", bio="Kept as typed.", website=website)
    )

    assert response.status_code == 200
    assert field_error(response, "website") == (
        "Please enter a full web address, like https://example.com."
    )
    # Nothing the member typed is lost, and nothing is saved.
    form = response.context["form"]
    assert (form["bio"].value(), form["display_name"].value()) == ("Kept as typed.", "Mina H")
    mina.refresh_from_db()
    assert mina.website == "https://minahale.example/photos/"


def test_a_website_stored_some_other_way_is_not_linked(client, mina):
    get_user_model().objects.filter(pk=mina.pk).update(website="javascript:alert(1)")

    page = client.get(profile_url(mina)).content.decode()

    assert "javascript:" not in page
    assert "member-card__website" not in page


def test_a_website_without_its_scheme_is_taken_as_https(mina_client, mina):
    mina_client.post(PROFILE, form_data(website="grain.example/me"))

    mina.refresh_from_db()
    assert mina.website == "https://grain.example/me"


def test_a_website_link_shows_the_host_it_really_goes_to(client, mina):
    mina.website = "https://trusted.example@elsewhere.example/"
    mina.save()

    page = client.get(profile_url(mina)).content.decode()

    assert ">elsewhere.example</a>" in page


def test_a_bio_too_long_is_refused_beside_the_field(mina_client, mina):
    response = mina_client.post(PROFILE, form_data(bio="x" * 301, website="https://a.example"))

    assert field_error(response, "bio") == "Please keep it to 300 characters; this has 301."
    assert response.context["form"]["website"].value() == "https://a.example"


def test_blank_lines_in_a_bio_are_kept_to_one(mina_client, mina):
    mina_client.post(PROFILE, form_data(bio="  First line.\r\n\r\n\r\n\r\nSecond.  \r\n"))

    mina.refresh_from_db()
    assert mina.bio == "First line.\n\nSecond."


def test_the_profile_page_is_off_until_the_member_turns_it_on(client, reader):
    member = Client()
    member.force_login(reader)
    form = member.get(PROFILE)
    assert reader.public_profile is False
    assert b"Off unless you turn it on" in form.content
    assert client.get(profile_url(reader)).status_code == 404

    member.post(PROFILE, form_data(public_profile="on", bio="Hello."))

    assert client.get(profile_url(reader)).status_code == 200
    page = member.get(PROFILE).content.decode()
    assert 'Everyone can see <a href="' + profile_url(reader) + '">your profile page</a>' in page
    assert '<label for="id_public_profile">Show my profile page to everyone</label>' in page


def test_a_refused_form_does_not_say_the_page_is_public_before_it_is(mina_client, mina):
    mina.public_profile = False
    mina.save()

    response = mina_client.post(PROFILE, form_data(public_profile="on", website="javascript:x"))

    assert b"Off unless you turn it on" in response.content
    mina.refresh_from_db()
    assert mina.public_profile is False


# -- The member's name beside their comments -----------------------------------------------


def test_the_name_beside_a_comment_links_to_a_public_profile(client, mina, reader, article):
    factories.create_comment(article=article, user=mina, body="From the harbour.")
    factories.create_comment(article=article, user=reader, body="From inland.")

    page = client.get(article.get_absolute_url()).content.decode()

    assert f'<a class="comment__author" href="{profile_url(mina)}">Mina Hale</a>' in page
    assert profile_url(reader) not in page


def test_turning_the_profile_on_or_off_shows_at_once_in_the_discussion(
    client, mina, mina_client, article
):
    factories.create_comment(article=article, user=mina, body="From the harbour.")
    assert profile_url(mina) in client.get(article.get_absolute_url()).content.decode()

    mina_client.post(PROFILE, form_data(display_name="Mina Hale"))  # unticked

    assert profile_url(mina) not in client.get(article.get_absolute_url()).content.decode()


# -- The member's own list -----------------------------------------------------------------


def test_the_own_list_needs_a_signed_in_member(client):
    response = client.get(OWN_COMMENTS)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def own_entries(response) -> dict[str, tuple[str, str]]:
    """Each listed comment's excerpt: (its status in words, its link or "")."""
    return {
        comment.excerpt: (comment.state_label, comment.link) for comment in response.context["page"]
    }


def test_the_own_list_says_what_became_of_every_comment(mina_client, mina, article):
    draft = factories.create_article(title="Taken down since", status=Article.Status.DRAFT)
    published = factories.create_comment(article=article, user=mina, body="Out there.")
    waiting = factories.create_comment(
        article=article, user=mina, body="Waiting.", status=Comment.Status.PENDING
    )
    factories.create_comment(article=article, user=mina, body="Spammy.", status="spam")
    factories.create_comment(article=article, user=mina, body="Rude.", status="removed")
    deleted = factories.create_comment(article=article, user=mina, body="Regretted.")
    factories.create_comment(article=article, parent=deleted, body="A reply keeps it.")
    Comment.objects.filter(pk=deleted.pk).update(
        status="removed", deleted=timezone.now(), body="", body_html=""
    )
    factories.create_comment(article=draft, user=mina, body="On a draft.")
    factories.create_comment(article=article, body="Someone else's.")

    response = mina_client.get(OWN_COMMENTS)

    assert own_entries(response) == {
        "Out there.": ("Published", published.get_absolute_url()),
        "Waiting.": ("Awaiting moderation", waiting.get_absolute_url()),
        "Spammy.": ("Not published", ""),
        "Rude.": ("Not published", ""),
        "": ("Deleted by you", ""),
        "On a draft.": ("Published", ""),
    }
    page = response.content.decode()
    assert '<span class="status-tag status-tag--waiting">Awaiting moderation</span>' in page
    assert 'Taken down since <span class="small">(no longer published)</span>' in page
    assert "Someone else" not in page


@pytest.mark.parametrize("count", [1, 25])
def test_the_own_list_reads_the_same_few_queries_whatever_the_count(
    mina_client, mina, article, count, django_assert_num_queries
):
    for n in range(count):
        factories.create_comment(article=article, user=mina, status=["approved", "pending"][n % 2])

    # The session, the member, the count, one page of comments with their articles; the
    # header's sections and the footer's newsletter.
    with django_assert_num_queries(6):
        response = mina_client.get(OWN_COMMENTS)

    assert len(response.context["page"]) == min(count, 20)


def test_the_own_list_is_linked_from_the_header_and_the_profile_page(mina_client):
    page = mina_client.get(PROFILE).content.decode()

    assert page.count(f'href="{OWN_COMMENTS}"') == 2


def test_a_username_with_dots_and_signs_has_its_page_and_link(client, article):
    member = factories.create_user(
        username="ines.o+film@harbour", display_name="Inês O", public_profile=True
    )
    factories.create_comment(article=article, user=member, body="From the quay.")

    thread = client.get(article.get_absolute_url()).content.decode()
    href = re.search(r'<a class="comment__author" href="([^"]+)">Inês O</a>', thread).group(1)

    assert client.get(unescape(href)).context["member"] == member
