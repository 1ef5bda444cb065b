"""A member's picture: cropped to a small square, refused when it would cost the server too much
to open, and its old file gone once it is replaced or removed."""

import re
import struct
import time
import warnings
import zlib
from html import unescape

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests import factories

PROFILE = reverse("members:profile")


def png_bomb(width: int = 13_000, height: int = 13_000) -> SimpleUploadedFile:
    """A valid black-and-white PNG of width x height pixels, about 20 kB on disk: opening it
    takes hundreds of megabytes and seconds. Written chunk by chunk, which is quicker than
    asking Pillow to compress it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1 bit, greyscale
    row = b"\0" * (1 + (width + 7) // 8)  # filter type, then the row's bits
    content = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height, 9))
        + chunk(b"IEND", b"")
    )
    return SimpleUploadedFile("holiday.png", content, content_type="image/png")


def jpeg(name: str = "me.jpg", size=(640, 360)) -> SimpleUploadedFile:
    photo = factories.jpeg_file(size=size)
    return SimpleUploadedFile(name, photo.read(), content_type="image/jpeg")


def field_error(response, field: str) -> str:
    match = re.search(
        rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', response.content.decode(), re.S
    )
    return unescape(match.group(1)) if match else ""


@pytest.fixture
def member_client(client, reader):
    client.force_login(reader)
    return client


def test_a_picture_becomes_a_small_square(
    member_client, reader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(PROFILE, {"display_name": "", "avatar": jpeg()})

    assert response.status_code == 302
    reader.refresh_from_db()
    with Image.open(reader.avatar) as image:
        assert (image.format, image.size) == ("JPEG", (160, 160))


def test_a_decompression_bomb_is_refused_before_it_is_opened(member_client, reader):
    bomb = png_bomb()
    assert bomb.size < 50_000

    started = time.perf_counter()
    with warnings.catch_warnings():
        # As in production: below twice its own limit, Pillow only warns and decodes anyway.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        response = member_client.post(PROFILE, {"display_name": "Mina Hale", "avatar": bomb})
    elapsed = time.perf_counter() - started

    assert response.status_code == 200
    assert field_error(response, "avatar").startswith("<li>That picture is too large")
    assert elapsed < 3, elapsed  # opening it takes seconds (a loose bound: CI machines are busy)
    # Nothing else the member typed is lost, and nothing is saved.
    assert response.context["form"]["display_name"].value() == "Mina Hale"
    reader.refresh_from_db()
    assert reader.display_name == ""
    assert not reader.avatar


def test_a_picture_just_under_the_pixel_limit_is_accepted(member_client, reader):
    response = member_client.post(PROFILE, {"display_name": "", "avatar": png_bomb(6000, 6000)})

    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.avatar


@pytest.mark.parametrize(
    "change",
    [{"avatar": "new picture"}, {"remove_avatar": "on"}],
    ids=["replaced", "removed"],
)
def test_the_old_picture_is_deleted_once_the_change_is_saved(
    member_client, reader, django_capture_on_commit_callbacks, change
):
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(PROFILE, {"display_name": "", "avatar": jpeg()})
    reader.refresh_from_db()
    old = reader.avatar.name
    if "avatar" in change:
        change = {"avatar": jpeg("new.jpg")}

    with django_capture_on_commit_callbacks() as callbacks:
        member_client.post(PROFILE, {"display_name": "", **change})
    # Until the database has the change, the old file is what pages show.
    assert default_storage.exists(old)
    for callback in callbacks:
        callback()

    reader.refresh_from_db()
    assert reader.avatar.name != old
    assert not reader.avatar or default_storage.exists(reader.avatar.name)
    assert not default_storage.exists(old)


def test_saving_only_a_new_name_keeps_the_picture(
    member_client, reader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(PROFILE, {"display_name": "", "avatar": jpeg()})
    reader.refresh_from_db()
    picture = reader.avatar.name

    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(PROFILE, {"display_name": "Mina Hale"})

    reader.refresh_from_db()
    assert reader.avatar.name == picture
    assert default_storage.exists(picture)


def test_a_picture_replaced_outside_the_profile_page_is_deleted_too(
    reader, django_capture_on_commit_callbacks
):
    """The admin, a shell or an import save the member like the profile page does."""
    member = type(reader).objects.get(pk=reader.pk)
    member.avatar = factories.jpeg_file(name="first.jpg")
    with django_capture_on_commit_callbacks(execute=True):
        member.save()
    old = member.avatar.name
    member = type(reader).objects.get(pk=reader.pk)

    member.avatar = factories.jpeg_file(name="second.jpg")
    with django_capture_on_commit_callbacks(execute=True):
        member.save()

    assert default_storage.exists(member.avatar.name)
    assert not default_storage.exists(old)
