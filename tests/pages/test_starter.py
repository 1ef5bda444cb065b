"""A new site and the demo both have the four standing pages; an editor's text is kept."""

import io

from django.core.management import call_command

from forum.pages.models import Page
from forum.pages.starter import create_missing_pages


def test_a_migrated_site_has_the_four_pages_with_rendered_text(db):
    pages = {page.slug: page for page in Page.objects.all()}

    assert sorted(pages) == ["about", "comment-policy", "contact", "privacy"]
    assert "volunteers" in pages["about"].body_html
    assert "<h2>How moderation works</h2>" in pages["comment-policy"].body_html


def test_seed_demo_brings_back_a_deleted_page_and_keeps_an_edited_one(db):
    Page.objects.filter(slug="privacy").delete()
    Page.objects.filter(slug="about").update(title="Our story", body="Edited.")
    out = io.StringIO()

    call_command("seed_demo", stdout=out)

    privacy = Page.objects.get(slug="privacy")
    assert privacy.title == "Privacy"
    assert "<h2>Cookies</h2>" in privacy.body_html
    assert Page.objects.get(slug="about").title == "Our story"
    assert "4 pages (1 new)" in out.getvalue()


def test_creating_the_missing_pages_again_creates_nothing(db):
    assert create_missing_pages(Page) == 0
    assert Page.objects.count() == 4
