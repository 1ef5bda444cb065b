from django.conf import settings

from forum.articles.models import Category


def site(request):
    """Site name, canonical origin and the top-level sections for the navigation bar."""
    return {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "nav_sections": [
            {"name": name, "url": url, "current": request.path.startswith(url)}
            for name, url in Category.sections()
        ],
    }
