"""Compressed answers: pages go out gzipped to browsers that ask; static files once only."""

import gzip
import os
from pathlib import Path

import pytest
from django.test import Client
from django.urls import resolve

from tests import factories

GZIP = {"Accept-Encoding": "gzip, deflate, br"}
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "X-Frame-Options",
)


@pytest.fixture
def discussion(article):
    """The article with enough comments for a page worth compressing."""
    for n in range(20):  # fewer than a page of threads
        factories.create_comment(article=article, body=f"Comment {n}: fine grain at box speed.")
    return article


def test_article_page_is_gzipped_for_a_browser_that_accepts_it(discussion, client):
    plain = client.get(discussion.get_absolute_url())
    response = client.get(discussion.get_absolute_url(), headers=GZIP)

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert int(response["Content-Length"]) == len(response.content)
    page = gzip.decompress(response.content)
    assert page.lower().startswith(b"<!doctype html>")
    assert discussion.title.encode() in page
    assert b"Comment 19: fine grain at box speed." in page
    assert len(response.content) < len(plain.content) / 3


def test_article_page_is_plain_without_accept_encoding(discussion, client):
    response = client.get(discussion.get_absolute_url())

    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert "Accept-Encoding" in response["Vary"]
    assert response.content.lower().startswith(b"<!doctype html>")


def test_gzipped_page_keeps_the_security_headers(discussion, client):
    plain = client.get(discussion.get_absolute_url())
    response = client.get(discussion.get_absolute_url(), headers=GZIP)

    assert response["Content-Encoding"] == "gzip"
    for header in SECURITY_HEADERS:
        assert response.has_header(header), header
        assert response[header].split("nonce-")[0] == plain[header].split("nonce-")[0], header


@pytest.fixture
def static_root(settings, tmp_path):
    """A collected static folder, as CompressedManifestStaticFilesStorage leaves it: a
    stylesheet with its .gz twin, and an image (never precompressed)."""
    root = tmp_path / "static"
    (root / "css").mkdir(parents=True)
    (root / "img").mkdir()
    css = b"body { margin: 0; color: #222; }\n" * 100
    (root / "css" / "site.css").write_bytes(css)
    (root / "css" / "site.css.gz").write_bytes(gzip.compress(css))
    image = os.urandom(4096)  # incompressible, like a JPEG
    (root / "img" / "photo.jpg").write_bytes(image)
    settings.STATIC_ROOT = root
    return {"css": css, "image": image}


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_precompressed_static_file_is_gzipped_once(static_root, db):
    response = Client().get("/static/css/site.css", headers=GZIP)  # WhiteNoise reads the root

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(body(response)) == static_root["css"]


def test_static_image_is_served_as_it_is_not_compressed_on_the_fly(static_root, db):
    response = Client().get("/static/img/photo.jpg", headers=GZIP)

    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert int(response["Content-Length"]) == len(static_root["image"])
    assert body(response) == static_root["image"]


def test_an_uploaded_picture_that_django_serves_goes_out_as_it_is(db):
    """On one machine Django serves uploads (SERVE_MEDIA): a JPEG is not gzipped again."""
    picture = os.urandom(4096)
    # The folder the URLconf was built with (MEDIA_ROOT when it was first imported).
    folder = Path(resolve("/media/x").kwargs["document_root"]) / "test-compression"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "photo.jpg").write_bytes(picture)

    response = Client().get("/media/test-compression/photo.jpg", headers=GZIP)
    (folder / "photo.jpg").unlink()

    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert int(response["Content-Length"]) == len(picture)
    assert body(response) == picture


def test_the_feed_is_gzipped(article, client):
    response = client.get("/feed/", headers=GZIP)

    assert response["Content-Encoding"] == "gzip"
    assert b"<rss" in gzip.decompress(response.content)
