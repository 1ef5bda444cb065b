from django.urls import path

from . import views

app_name = "donations"

urlpatterns = [
    path("", views.support, name="support"),
]
