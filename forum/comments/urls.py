from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("post/<int:article_id>/", views.post_comment, name="post"),
    path("more/<int:article_id>/", views.more, name="more"),
    path("<int:pk>/", views.permalink, name="permalink"),
    path("<int:pk>/thread/", views.thread, name="thread"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/moderate/", views.moderate, name="moderate"),
]
