from django.conf import settings
from django.core.cache import cache

from forum.articles.models import Category

NAV_CACHE_KEY = "core:nav-sections"


def site(request):
    """Site name, canonical origin and the top-level sections for the navigation bar."""
    sections = cache.get(NAV_CACHE_KEY)
    if sections is None:
        roots = Category.objects.filter(parent=None).only("name", "path")
        sections = [(c.name, c.get_absolute_url()) for c in roots]
        cache.set(NAV_CACHE_KEY, sections, 300)
    return {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "nav_sections": [
            {"name": name, "url": url, "current": request.path.startswith(url)}
            for name, url in sections
        ],
    }
