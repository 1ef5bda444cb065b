from django.urls import path

from . import views

app_name = "wordpress"

urlpatterns = [
    path("comment/<int:key>/", views.comment, name="comment"),
]
