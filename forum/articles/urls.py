from django.urls import path

from . import feeds, views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
    path("articles/<slug:slug>/", views.detail, name="detail"),
    path("section/<path:path>/feed/", feeds.CategoryFeed(), name="category-feed"),
    path("section/<path:path>/", views.category, name="category"),
    path("tag/<slug:slug>/", views.tag, name="tag"),
    path("authors/<slug:slug>/", views.author, name="author"),
]
