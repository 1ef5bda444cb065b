from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("settings/<str:token>/", views.settings_page, name="settings"),
    path("unsubscribe/<str:token>/<str:kind>/", views.unsubscribe, name="unsubscribe"),
    path("unfollow/<str:token>/<int:article_id>/", views.unfollow, name="unfollow"),
    path("follow/<str:token>/", views.follow_link, name="follow-link"),
    path("follow/article/<int:article_id>/", views.follow, name="follow"),
    path("account/", views.account, name="account"),
]
