from django.urls import path

from . import views

app_name = "public_profiles"

urlpatterns = [
    path("<str:username>/", views.public_profile, name="detail"),
]
