from django.urls import path

from . import views
from .models import Page

app_name = "pages"

# /about/, /contact/, /comment-policy/, /privacy/: each named after its page
# (pages:about, pages:comment-policy, ...).
urlpatterns = [path(f"{slug}/", views.page, {"slug": slug}, name=slug) for slug in Page.Slug.values]
