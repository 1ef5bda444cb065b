from django.urls import path

from . import feeds, views, webhooks

app_name = "newsletter"

urlpatterns = [
    path("", views.about, name="about"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("check-your-email/", views.check_email, name="check-email"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("manage/", views.request_link, name="request-link"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("account/", views.member, name="member"),
    path("archive/", views.archive, name="archive"),
    path("archive/feed/", feeds.IssueFeed(), name="archive-feed"),
    path("archive/<int:pk>/", views.issue, name="issue"),
    path("bounces/", webhooks.bounces, name="bounces"),
]
