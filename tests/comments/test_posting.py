"""Posting a comment: the form for each role, the moderation rules, the redirect, the cookies."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from forum.comments.forms import read_token
from forum.comments.models import Comment
from forum.comments.tree import THREADS_PER_PAGE
from tests import factories

from .pages import (
    BODY,
    comment_html,
    comment_ids,
    guest_data,
    has_input,
    input_value,
    member_data,
    post,
)

APPROVED, PENDING = Comment.Status.APPROVED, Comment.Status.PENDING


def only_comment() -> Comment:
    [comment] = Comment.objects.all()
    return comment


def test_guest_form_carries_a_token_and_asks_for_name_and_email(article, client):
    response = client.get(article.get_absolute_url())

    token = input_value(response, "token")
    assert read_token(token, article_id=article.pk) is not None
    for field in ("body", "name", "email", "website", "remember"):
        assert has_input(response, field), field


def test_member_form_asks_only_for_the_text(article, member_client):
    response = member_client.get(article.get_absolute_url())

    assert has_input(response, "body")
    assert has_input(response, "token")
    for field in ("name", "email", "website", "remember"):
        assert not has_input(response, field), field
    assertContains(response, "Commenting as <strong>")


def test_guest_first_comment_is_held_with_a_reason(article, client):
    response = post(client, article, guest_data(article, website="https://jo.example"))

    comment = only_comment()
    assert (comment.status, comment.status_reasons) == (PENDING, ["first comment from this email"])
    assert (comment.name, comment.email, comment.user) == ("Jo Bloggs", "jo@example.com", None)
    assert comment.website == "https://jo.example"
    assert comment.body == BODY
    article.refresh_from_db()
    assert article.comment_count == 0
    assertRedirects(
        response,
        f"{article.get_absolute_url()}#comment-{comment.pk}",
        fetch_redirect_response=False,
    )


def test_guest_known_by_name_and_email_is_published_at_once(article, client):
    factories.create_comment(article=article, name="Jo Bloggs", email="JO@example.com")

    post(client, article, guest_data(article, name="jo  bloggs"))

    newest = Comment.objects.latest("pk")
    assert newest.status == APPROVED
    assert newest.status_reasons == ["1 approved comment before"]


def test_a_guest_is_known_by_their_email_whatever_name_they_give_this_time(article, client):
    factories.create_comment(article=article, name="Jo B.", email="jo@example.com")

    post(client, article, guest_data(article, name="Jo Bloggs"))

    assert Comment.objects.latest("pk").status == APPROVED


@pytest.mark.parametrize(
    "earlier",
    [
        {"name": "Jo Bloggs", "email": "jo@example.com", "status": PENDING},
        {"name": "Jo Bloggs", "email": "jo@example.com", "status": Comment.Status.SPAM},
    ],
)
def test_guest_without_an_approved_comment_under_that_email_is_held(article, client, earlier):
    factories.create_comment(article=article, **earlier)

    post(client, article, guest_data(article))

    assert Comment.objects.latest("pk").status == PENDING


def test_guest_cannot_borrow_a_members_approved_record(article, reader, client):
    factories.create_comment(article=article, user=reader)

    post(client, article, guest_data(article, name=reader.public_name, email=reader.email))

    assert Comment.objects.latest("pk").status == PENDING


def test_staff_comment_is_published_at_once(article, editor_client):
    post(editor_client, article, member_data(article))

    assert (only_comment().status, only_comment().status_reasons) == (APPROVED, ["staff"])


def test_articles_author_is_published_at_once(subcategory, client):
    writer = factories.create_user(display_name="Ada Writer")
    article = factories.create_article(
        category=subcategory, author=factories.create_author(user=writer)
    )
    client.force_login(writer)

    post(client, article, member_data(article))

    comment = only_comment()
    assert (comment.status, comment.status_reasons) == (APPROVED, ["the article's author"])


def test_author_of_another_article_is_held_like_any_member(article, subcategory, client):
    writer = factories.create_user()
    factories.create_author(user=writer)
    client.force_login(writer)

    post(client, article, member_data(article))

    assert only_comment().status == PENDING


def test_members_first_comment_is_held(article, reader, member_client):
    post(member_client, article, member_data(article))

    comment = only_comment()
    assert (comment.status, comment.status_reasons) == (
        PENDING,
        ["first comment from this account"],
    )
    assert (comment.user, comment.email, comment.name) == (reader, reader.email, reader.public_name)


def test_member_with_an_approved_comment_elsewhere_is_published_at_once(
    article, subcategory, reader, member_client
):
    elsewhere = factories.create_article(category=subcategory)
    factories.create_comment(article=elsewhere, user=reader)

    post(member_client, article, member_data(article))

    assert article.comments.get().status == APPROVED


def test_member_cannot_post_under_another_name_or_email(article, reader, member_client):
    data = member_data(
        article, name="The Editor", email="boss@example.com", website="https://x.example"
    )

    post(member_client, article, data)

    comment = only_comment()
    assert (comment.name, comment.email, comment.website) == (reader.public_name, reader.email, "")


def test_published_comment_is_counted_and_shown_to_everyone(article, editor_client, client):
    response = post(editor_client, article, member_data(article, body="Welcome, all."))

    article.refresh_from_db()
    assert article.comment_count == 1
    page = client.get(article.get_absolute_url())
    assert comment_ids(page) == [only_comment().pk]
    assertContains(page, "Welcome, all.")
    assertContains(editor_client.get(response["Location"]), "Your comment is published.")


def test_guest_sees_their_held_comment_with_a_notice(article, client):
    response = post(client, article, guest_data(article), follow=True)

    comment = only_comment()
    assert comment_ids(response) == [comment.pk]
    assert "Your comment is awaiting moderation." in comment_html(response, comment.pk)
    assertContains(response, "will appear to others once a moderator approves it")
    assert client.cookies["my_comments"].value


@pytest.mark.parametrize("who", ["anonymous", "member", "staff"])
def test_others_do_not_see_a_guests_held_comment(request, article, client, who):
    post(client, article, guest_data(article, body="Held for a moment"))
    other = Client()
    if who != "anonymous":
        other.force_login(request.getfixturevalue("reader" if who == "member" else "editor"))

    response = other.get(article.get_absolute_url())

    assert comment_ids(response) == []
    assertNotContains(response, "Held for a moment")


def test_a_forged_ownership_cookie_reveals_nothing(article, client):
    held = factories.create_comment(article=article, status=PENDING, body="Not yours to read")
    client.cookies["my_comments"] = f"{article.pk}.{held.pk}"

    response = client.get(article.get_absolute_url())

    assertNotContains(response, "Not yours to read")


def test_member_sees_their_held_comment_with_a_notice(article, member_client, client):
    post(member_client, article, member_data(article, body="My first words here"))
    comment = only_comment()

    mine = member_client.get(article.get_absolute_url())

    assert "Your comment is awaiting moderation." in comment_html(mine, comment.pk)
    assertNotContains(client.get(article.get_absolute_url()), "My first words here")


def test_guests_held_reply_is_shown_to_them_in_place(article, comment, client):
    post(client, article, guest_data(article, parent=comment.pk))
    reply = Comment.objects.latest("pk")

    response = client.get(article.get_absolute_url())

    assert (reply.parent, reply.thread, reply.depth) == (comment, comment, 2)
    assert comment_ids(response) == [comment.pk, reply.pk]
    assert comment_ids(Client().get(article.get_absolute_url())) == [comment.pk]


def test_reply_is_placed_in_its_thread_one_level_down(article, comment, editor_client):
    reply_response = post(editor_client, article, member_data(article, parent=comment.pk))
    reply = Comment.objects.latest("pk")
    post(editor_client, article, member_data(article, parent=reply.pk))
    answer = Comment.objects.latest("pk")

    assert (reply.parent, reply.thread, reply.depth) == (comment, comment, 2)
    assert (answer.parent, answer.thread, answer.depth) == (reply, comment, 3)
    assert reply_response["Location"] == f"{article.get_absolute_url()}#comment-{reply.pk}"


def test_new_comment_on_the_second_page_redirects_there(article, editor_client):
    for _ in range(THREADS_PER_PAGE):
        factories.create_comment(article=article)

    response = post(editor_client, article, member_data(article))

    newest = Comment.objects.latest("pk")
    assert response["Location"] == f"{article.get_absolute_url()}?cpage=2#comment-{newest.pk}"


def test_remember_me_fills_in_the_form_on_the_next_visit(article, client):
    data = guest_data(article, website="https://jo.example", remember="on")
    post(client, article, data)

    response = client.get(article.get_absolute_url())

    assert input_value(response, "name") == "Jo Bloggs"
    assert input_value(response, "email") == "jo@example.com"
    assert input_value(response, "website") == "https://jo.example"
    assertContains(response, 'name="remember" id="id_remember" checked')


def test_without_remember_me_the_form_starts_empty(article, client):
    post(client, article, guest_data(article))

    response = client.get(article.get_absolute_url())

    assert input_value(response, "name") is None
    assert input_value(response, "email") is None
    assert not getattr(client.cookies.get("commenter"), "value", "")


def test_unticking_remember_me_forgets_the_commenter(article, client, configure):
    configure(flood_seconds=0)  # two comments in a row
    post(client, article, guest_data(article, remember="on"))
    post(client, article, guest_data(article, body="Second thoughts."))

    response = client.get(article.get_absolute_url())

    assert input_value(response, "name") is None
    assert input_value(response, "email") is None


def test_a_forged_commenter_cookie_fills_in_nothing(article, client):
    client.cookies["commenter"] = '{"name": "Mallory", "email": "m@example.com"}'

    response = client.get(article.get_absolute_url())

    assert input_value(response, "name") is None


def test_same_token_posted_twice_makes_one_comment(article, client):
    data = guest_data(article)

    first = post(client, article, data)
    second = post(client, article, data)

    comment = only_comment()
    assert first["Location"] == second["Location"]
    assert first["Location"].endswith(f"#comment-{comment.pk}")


def test_the_network_part_of_the_address_is_kept_not_the_reader(article, client):
    post(client, article, guest_data(article), REMOTE_ADDR="203.0.113.77", HTTP_USER_AGENT="Lynx")

    comment = only_comment()
    assert (comment.ip, comment.user_agent) == ("203.0.113.0", "Lynx")


@pytest.mark.parametrize("status", ["draft", "scheduled"])
def test_posting_to_an_unpublished_article_is_not_found(subcategory, client, status):
    article = factories.create_article(
        category=subcategory,
        status="draft" if status == "draft" else "published",
        published_at=timezone.now() + timedelta(days=1) if status == "scheduled" else None,
    )

    response = post(client, article, guest_data(article))

    assert response.status_code == 404
    assert not Comment.objects.exists()
