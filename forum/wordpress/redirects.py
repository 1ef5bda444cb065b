"""Old WordPress addresses, answered with a permanent redirect to the page that replaced them.

Links to the old site live on in search engines, other people's posts and readers' bookmarks:
`/?p=123`, `/2019/05/03/a-post/` (or `/2019/05/a-post/`, or `/a-post/`, as the site's permalink
setting had it, with `comment-page-2/`, `feed/` or `amp/` after it), `/category/film/darkroom/`,
`/tag/selenium/` and `/author/marta/`. Only an address this site does not answer itself is looked
up (WordPress's `/?p=` asks for the home page, so that one is read before the page is made),
with one indexed query among what the imports recorded.

A post's new address carries `?from=wordpress`, so that the page's script reads a `#comment-N`
the browser kept from the old link as WordPress's comment N (see static/js/comments.js and
`views.comment`): the fragment never reaches the server.
"""

import re

from django.http import HttpResponsePermanentRedirect
from django.urls import reverse

from .models import ImportedItem

Kind = ImportedItem.Kind
FROM_WORDPRESS = "from=wordpress"

# What WordPress put after a post's address: a page of comments, its comment feed, AMP.
_COMMENT_PAGE = r"(?:comment-page-\d+/|feed/|amp/)?"
_PATTERNS = [
    (Kind.POST, re.compile(rf"^/\d{{4}}/\d{{2}}/(?:\d{{2}}/)?(?P<slug>[^/]+)/{_COMMENT_PAGE}$")),
    (Kind.CATEGORY, re.compile(r"^/category/(?P<slug>.+?)/(?:page/\d+/)?$")),
    (Kind.TAG, re.compile(r"^/tag/(?P<slug>[^/]+)/(?:page/\d+/)?$")),
    (Kind.AUTHOR, re.compile(r"^/author/(?P<slug>[^/]+)/(?:page/\d+/)?$")),
    (Kind.POST, re.compile(rf"^/(?P<slug>[^/]+)/{_COMMENT_PAGE}$")),
]


def old_address(path: str) -> tuple[str, str] | None:
    """(kind, slug) for a path in one of WordPress's shapes, else None."""
    path = path if path.endswith("/") else f"{path}/"
    for kind, pattern in _PATTERNS:
        if match := pattern.match(path):
            return kind, match.group("slug").lower()
    return None


def new_address(item: ImportedItem) -> str:
    address = item.target.get_absolute_url()
    return f"{address}?{FROM_WORDPRESS}" if item.kind == Kind.POST else address


def _found(items) -> str:
    item = items.latest_first().select_related("article", "category", "tag", "author").first()
    return new_address(item) if item is not None and item.target is not None else ""


def find(path: str, query) -> str:
    """Where an old WordPress address now lives ("" when it is not one)."""
    if path == "/":
        post = query.get("p", "")
        return (
            _found(ImportedItem.objects.filter(kind=Kind.POST, key=post)) if post.isdigit() else ""
        )
    if shape := old_address(path):
        kind, slug = shape
        return _found(ImportedItem.objects.filter(kind=kind, slug=slug))
    return ""


class OldWordPressLinksMiddleware:
    """Redirect old WordPress addresses (see the module's docstring); every other request
    passes untouched."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.home = reverse("articles:home")

    def __call__(self, request):
        reading = request.method in {"GET", "HEAD"}
        # WordPress's /?p=ID asks for the home page, which this site answers itself.
        asks_home = reading and request.path == self.home and "p" in request.GET
        if asks_home and (target := find("/", request.GET)):
            return HttpResponsePermanentRedirect(target)
        response = self.get_response(request)
        if reading and response.status_code == 404 and (target := find(request.path, request.GET)):
            return HttpResponsePermanentRedirect(target)
        return response
