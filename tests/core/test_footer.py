"""The footer: links for readers. The sitemap is for crawlers (robots.txt names it)."""

import re
from xml.etree import ElementTree

import pytest
from django.urls import reverse


def footer_links(response) -> list[str]:
    """The hrefs inside the page's site footer."""
    footers = re.findall(
        r'<footer class="site-footer".*?</footer>', response.content.decode(), re.S
    )
    assert len(footers) == 1, "one site footer per page"
    return re.findall(r'<a\b[^>]*\bhref="([^"]*)"', footers[0])


@pytest.mark.parametrize("page", ["home", "article"])
def test_footer_has_no_link_to_the_raw_xml_sitemap(page, article, client):
    path = "/" if page == "home" else article.get_absolute_url()

    response = client.get(path)

    links = footer_links(response)
    assert reverse("articles:feed") in links  # the footer's links are read
    assert not [link for link in links if "sitemap" in link], links
    assert 'href="/sitemap.xml"' not in response.content.decode()


def test_sitemap_still_answers_crawlers_with_xml(article, client):
    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own response)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    assert "Sitemap: http://testserver/sitemap.xml" in client.get("/robots.txt").text
