from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("name/", views.choose_name, name="name"),
    path("comments/", views.own_comments, name="comments"),
]
