"""The browser harness itself: Chromium starts, reaches the live server, and axe-core and
the page-error watch work under the site's Content Security Policy."""

import pytest


def test_robots_txt_names_the_sitemap(page, live_server):
    response = page.goto(f"{live_server.url}/robots.txt")
    assert response.status == 200
    assert "Sitemap:" in page.inner_text("body")


def test_axe_runs_under_the_sites_csp(page, live_server, axe):
    response = page.goto(f"{live_server.url}/robots.txt")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    violations = axe()
    # A plain-text page has no title: axe ran and saw it.
    assert "document-title" in {v["id"] for v in violations}


def test_assert_accessible_lists_the_violations(page, assert_accessible):
    page.set_content('<html lang="en"><title>t</title><main><img src="x.png"></main></html>')
    with pytest.raises(pytest.fail.Exception, match=r"image-alt \(critical\)"):
        assert_accessible(page)
    page.set_content('<html lang="en"><title>t</title><main><p>Fine.</p></main></html>')
    assert_accessible(page)


def test_page_errors_are_caught(page, page_errors):
    page.set_content("<script>throw new Error('boom')</script>")
    page.wait_for_timeout(100)
    assert any("boom" in error for error in page_errors)
    page_errors.clear()
