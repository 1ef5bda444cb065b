"""The name a member shows beside their comments: any name readers can see, or none at all."""

import re
from html import unescape

import pytest
from django.urls import reverse

from forum.members.forms import ProfileForm
from tests import factories

NO_LETTER = "Please give a name with at least one letter or number."


def display_name_error(response) -> str:
    match = re.search(
        r'<ul class="errorlist" id="id_display_name_error">(.*?)</ul>',
        response.content.decode(),
        re.S,
    )
    return unescape(match.group(1)) if match else ""


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("\u200b", id="zero-width space"),
        pytest.param("\u200d\u2060\ufeff", id="joiners and byte order mark"),
        pytest.param("\u202e", id="right-to-left override"),
        pytest.param("\u3164\u3164", id="hangul fillers"),
        pytest.param("-- --", id="dashes"),
    ],
)
def test_a_display_name_without_a_letter_or_digit_is_refused(reader, name):
    form = ProfileForm({"display_name": name}, instance=reader)

    assert not form.is_valid()
    assert form.errors["display_name"] == [NO_LETTER]


@pytest.mark.parametrize("name", ["", "Mina Hale", "abc\u202edef", "Ольга", "K2"])
def test_a_display_name_with_a_letter_or_digit_or_none_at_all_is_accepted(reader, name):
    form = ProfileForm({"display_name": name}, instance=reader)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["display_name"] == name


def test_the_profile_page_says_why_beside_the_name_field(reader, client):
    client.force_login(reader)

    response = client.post(reverse("members:profile"), {"display_name": "\u200b\u200b"})

    assert response.status_code == 200
    assert display_name_error(response) == f"<li>{NO_LETTER}</li>"
    reader.refresh_from_db()
    assert reader.display_name == ""


def test_the_profile_page_isolates_the_name_so_it_cannot_reverse_the_text_around_it(db, client):
    name = "abc\u202edef"
    client.force_login(factories.create_user(display_name=name))

    response = client.get(reverse("members:profile"))

    assert f"Shown as <strong><bdi>{name}</bdi></strong>" in response.content.decode()
    assert f"<bdi>{name}</bdi></a></li>" in response.content.decode()  # the site menu
