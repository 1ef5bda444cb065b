from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.decorators.cache import cache_control, cache_page
from django.views.static import serve

from forum.articles.sitemaps import SITEMAPS
from forum.core.views import favicon, healthz, robots_txt
from forum.newsletter.sitemaps import IssueSitemap
from forum.pages.sitemaps import PageSitemap

admin.site.site_header = f"{settings.SITE_NAME} administration"
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "Newsroom"
# Staff sign in where members do, through allauth: its failed-login limits (and two-factor
# authentication) then guard the admin too; Django's own admin log-in has neither.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/profile/", include("forum.members.urls")),
    path("accounts/", include("allauth.urls")),
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots"),
    path("favicon.ico", favicon),
    path(
        "sitemap.xml",
        cache_page(600)(sitemap),
        {"sitemaps": {**SITEMAPS, "pages": PageSitemap, "newsletter": IssueSitemap}},
        name="sitemap",
    ),
    path("comments/", include("forum.comments.urls")),
    path("newsletter/", include("forum.newsletter.urls")),
    path("support/", include("forum.donations.urls")),
    path("notifications/", include("forum.notifications.urls")),
    path("privacy/", include("forum.privacy.urls")),
    path("members/", include("forum.members.public_urls")),
    path("wordpress/", include("forum.wordpress.urls")),
    path("", include("forum.pages.urls")),
    path("", include("forum.articles.urls")),
]

if settings.SERVE_MEDIA:
    # One machine: Django serves uploads itself. Behind a web server, set DJANGO_SERVE_MEDIA=0.
    urlpatterns.insert(
        0,
        re_path(
            r"^media/(?P<path>.*)$",
            cache_control(max_age=86400, public=True)(serve),
            {"document_root": settings.MEDIA_ROOT},
        ),
    )
