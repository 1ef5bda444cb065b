"""Editors change the standing pages in the admin; readers and moderators cannot."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from forum.pages.models import Page
from tests import factories

OK, FORBIDDEN, LOGIN = 200, 403, "login"
ROLES = {
    "anonymous": LOGIN,
    "member": LOGIN,
    "moderator": FORBIDDEN,
    "editor": OK,
    "superuser": OK,
}


def change_url(slug: str) -> str:
    return reverse("admin:pages_page_change", args=[Page.objects.get(slug=slug).pk])


@pytest.mark.parametrize(("role", "expected"), ROLES.items())
def test_who_may_open_a_pages_change_form(role, expected, db):
    response = factories.client_as(role).get(change_url("privacy"))

    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
    else:
        assert response.status_code == expected


def test_an_editor_changes_a_page_and_readers_see_the_change(client, editor, db):
    before = Page.objects.get(slug="comment-policy").updated_at
    client.force_login(editor)

    response = client.post(
        change_url("comment-policy"),
        {"title": "House rules", "body": "## Be generous\n\nAssume the **best** of others."},
    )

    assertRedirects(response, reverse("admin:pages_page_changelist"))
    page = client.get("/comment-policy/")
    assertContains(page, "<h1>House rules</h1>", html=True)
    assertContains(page, "<h2>Be generous</h2>", html=True)
    assertContains(page, "<p>Assume the <strong>best</strong> of others.</p>", html=True)
    assert Page.objects.get(slug="comment-policy").updated_at > before


def test_a_pages_address_cannot_be_changed_once_it_exists(client, editor, db):
    client.force_login(editor)

    client.post(change_url("about"), {"slug": "privacy", "title": "About", "body": "Text."})

    assert Page.objects.filter(slug="about").exists()
    assert client.get("/about/").status_code == 200


def test_editors_can_add_back_a_missing_page_but_not_delete_one(client, editor, db):
    Page.objects.filter(slug="contact").delete()
    client.force_login(editor)

    response = client.post(
        reverse("admin:pages_page_add"),
        {"slug": "contact", "title": "Write to us", "body": "<editors@frameandgrain.test>"},
    )

    assert response.status_code == 302
    assertContains(client.get("/contact/"), "<h1>Write to us</h1>", html=True)
    delete = reverse("admin:pages_page_delete", args=[Page.objects.get(slug="contact").pk])
    assert client.get(delete).status_code == FORBIDDEN
